import type { MentorRanking, PairDeclineOutcome, PairProposal } from '../../core/operations.ts';
import type { PairReplyOutcome, WaitingActors } from '../../core/pairs.operations.ts';
import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import type { ParticipantRepository, PairRepository, TimelineRepository } from '../../core/ports.ts';
import type { Pair, TimelineEvent } from '../../core/programme.ts';
import { DEFAULT_WEIGHTS, type MatchWeights, rankMentors } from '../matching.ts';
import { actorIntro, mentorIntro, nameOf } from './labels.ts';
import type { Notifier } from './notifier.ts';

const DAY = 86_400_000;

export interface PairsDeps {
  participants: ParticipantRepository;
  pairs: PairRepository;
  timeline: TimelineRepository;
  notifier: Notifier;
  weights?: MatchWeights;
  /** How long a proposal's buttons stay valid. */
  replyDays?: number;
}

/** Matching and the life of a pair: proposed -> active -> completed | ended, every change recorded. */
export class PairsService {
  constructor(private readonly d: PairsDeps) {}

  /** Actors registered and without an open pair, oldest first. */
  async waitingActors(): Promise<Participant[]> {
    const actors = await this.d.participants.list('actor', ['waiting']);
    const open = await Promise.all(actors.map((a) => this.d.pairs.openFor(a.id)));
    return actors.filter((_, i) => !open[i]!.length);
  }

  /** /waiting: the first twenty, for the officer to pick one and see her mentors ranked. */
  async listWaiting(): Promise<WaitingActors> {
    return { actors: (await this.waitingActors()).slice(0, 20) };
  }

  /** The mentors ranked for one actor, with the reasons: the best five with a free place. */
  async rank(actorId: string, now: Date): Promise<MentorRanking> {
    const actor = await this.d.participants.findById(actorId);
    if (!actor?.actor) return { outcome: 'not_found' };
    const mentors = await this.d.participants.list('mentor', ['waiting', 'paired']);
    const taken = await this.d.pairs.placesTaken(mentors.map((m) => m.id));
    const candidates = rankMentors(actor, mentors, taken, now, this.d.weights ?? DEFAULT_WEIGHTS).slice(0, 5);
    return { outcome: 'ranked', actor, candidates };
  }

  async propose(actorId: string, mentorId: string, officer: Participant, now: Date): Promise<PairProposal> {
    const [actor, mentor] = await Promise.all([
      this.d.participants.findById(actorId),
      this.d.participants.findById(mentorId),
    ]);
    if (!actor?.actor || !mentor?.mentor) return { outcome: 'not_found' };
    if ((await this.d.pairs.openFor(actorId)).length) return { outcome: 'already_open', actor };
    const pair = await this.d.pairs.create({
      actorId,
      mentorId,
      state: 'proposed',
      proposedBy: officer.id,
      actorAccepted: false,
      mentorAccepted: false,
      history: [{ state: 'proposed', by: officer.id, at: now }],
      createdAt: now,
    });
    if (!(await this.d.pairs.claimMentorPlace(mentorId, mentor.mentor.capacity, pair.id))) {
      await this.d.pairs.save({
        ...pair,
        state: 'ended',
        endedReason: 'mentor_full',
        history: [...pair.history, { state: 'ended', by: officer.id, at: now, note: 'mentor_full' }],
      });
      return { outcome: 'mentor_full', mentor };
    }
    await this.d.timeline.append({ pairId: pair.id, type: 'proposed', at: now, by: officer.id });
    const buttons = (side: 'actor' | 'mentor') => ({
      kind: 'pair.reply',
      ref: { pairId: pair.id, side },
      choices: [
        { value: 'accept', label: t('pairs:proposal.accept') },
        { value: 'decline', label: t('pairs:proposal.decline') },
      ],
      once: true,
      expiresAt: new Date(now.getTime() + (this.d.replyDays ?? 14) * DAY),
    });
    await this.d.notifier.send(
      {
        key: `proposal:${pair.id}:actor`,
        recipientId: actorId,
        due: now,
        text: [t('pairs:proposal.to_actor', mentorIntro(mentor))],
        buttons: buttons('actor'),
      },
      now,
    );
    await this.d.notifier.send(
      {
        key: `proposal:${pair.id}:mentor`,
        recipientId: mentorId,
        due: now,
        text: [t('pairs:proposal.to_mentor', actorIntro(actor))],
        buttons: buttons('mentor'),
      },
      now,
    );
    return { outcome: 'proposed', pair, actor, mentor };
  }

  /** A yes or no to a proposal from one side. A no changes nothing yet: `pairs.decline` ends it, reason asked. */
  async reply(
    pairId: string,
    side: 'actor' | 'mentor',
    accept: boolean,
    me: Participant,
    now: Date,
  ): Promise<PairReplyOutcome> {
    const pair = await this.d.pairs.get(pairId);
    if (pair?.state !== 'proposed' || pair[`${side}Id`] !== me.id) return { outcome: 'not_found' };
    if (!accept) return { outcome: 'declining', pair };
    const updated: Pair = {
      ...pair,
      [`${side}Accepted`]: true,
      history: [...pair.history, { state: `accepted_by_${side}`, by: me.id, at: now }],
    };
    await this.d.timeline.append({ pairId, type: 'accepted', at: now, by: me.id, data: { side } });
    if (!(updated.actorAccepted && updated.mentorAccepted)) {
      await this.d.pairs.save(updated);
      return { outcome: 'accepted', pair: updated };
    }
    const active: Pair = {
      ...updated,
      state: 'active',
      history: [...updated.history, { state: 'active', by: me.id, at: now }],
    };
    await this.activate(active, now);
    return { outcome: 'activated', pair: active };
  }

  private async activate(pair: Pair, now: Date): Promise<void> {
    await this.d.pairs.save(pair);
    await this.d.timeline.append({ pairId: pair.id, type: 'activated', at: now });
    const [actor, mentor] = await Promise.all([
      this.d.participants.findById(pair.actorId),
      this.d.participants.findById(pair.mentorId),
    ]);
    if (!actor || !mentor) return;
    await Promise.all([
      this.d.participants.setStatus(actor.id, 'paired', now),
      this.d.participants.setStatus(mentor.id, 'paired', now),
    ]);
    const commitmentButton = () => ({
      kind: 'commitment.start',
      ref: { pairId: pair.id },
      choices: [{ value: 'start', label: t('pairs:intro.write_commitment') }],
      once: false,
      expiresAt: new Date(now.getTime() + 60 * DAY),
    });
    await this.d.notifier.send(
      {
        key: `intro:${pair.id}:actor`,
        recipientId: actor.id,
        due: now,
        text: [t('pairs:intro.to_actor', mentorIntro(mentor)), t('pairs:intro.next')],
        buttons: commitmentButton(),
      },
      now,
    );
    await this.d.notifier.send(
      {
        key: `intro:${pair.id}:mentor`,
        recipientId: mentor.id,
        due: now,
        text: [t('pairs:intro.to_mentor', actorIntro(actor)), t('pairs:intro.next')],
        buttons: commitmentButton(),
      },
      now,
    );
  }

  /** She left the programme: her open pairs end, each partner is told kindly, an actor waits for a new mentor. */
  async endForWithdrawal(participantId: string, officer: Participant, now: Date): Promise<number> {
    const open = await this.d.pairs.openFor(participantId);
    for (const pair of open) {
      await this.d.pairs.save({
        ...pair,
        state: 'ended',
        endedReason: 'withdrawn',
        history: [...pair.history, { state: 'ended', by: officer.id, at: now, note: 'withdrawn' }],
      });
      await this.d.pairs.releaseMentorPlace(pair.id);
      await this.d.timeline.append({
        pairId: pair.id,
        type: 'ended',
        at: now,
        by: officer.id,
        data: { reason: 'withdrawn' },
      });
      const partnerId = pair.actorId === participantId ? pair.mentorId : pair.actorId;
      await this.d.notifier.send(
        { key: `withdrawn:${pair.id}:${partnerId}`, recipientId: partnerId, due: now, text: [t('pairs:partner_left')] },
        now,
      );
      if (partnerId === pair.actorId) await this.d.participants.setStatus(partnerId, 'waiting', now);
    }
    return open.length;
  }

  async decline(pairId: string, me: Participant, reason: string | undefined, now: Date): Promise<PairDeclineOutcome> {
    const pair = await this.d.pairs.get(pairId);
    if (pair?.state !== 'proposed' || (pair.actorId !== me.id && pair.mentorId !== me.id))
      return { outcome: 'not_found' };
    const side = pair.actorId === me.id ? 'actor' : 'mentor';
    const ended: Pair = {
      ...pair,
      state: 'ended',
      endedReason: `declined_by_${side}`,
      history: [...pair.history, { state: 'ended', by: me.id, at: now, ...(reason ? { note: reason } : {}) }],
    };
    await this.d.pairs.save(ended);
    await this.d.pairs.releaseMentorPlace(pairId);
    await this.d.timeline.append({
      pairId,
      type: 'declined',
      at: now,
      by: me.id,
      data: { side, ...(reason ? { reason } : {}) },
    });
    const [actor, mentor] = await Promise.all([
      this.d.participants.findById(pair.actorId),
      this.d.participants.findById(pair.mentorId),
    ]);
    const other = side === 'actor' ? pair.mentorId : pair.actorId;
    await this.d.notifier.send(
      {
        key: `declined:${pairId}:${other}`,
        recipientId: other,
        due: now,
        text: [t(`pairs:decline.to_${side === 'actor' ? 'mentor' : 'actor'}`)],
      },
      now,
    );
    await this.d.notifier.send(
      {
        key: `declined:${pairId}:officer`,
        recipientId: pair.proposedBy,
        due: now,
        text: [
          t('officer:declined', {
            who: nameOf(me),
            actor: nameOf(actor),
            mentor: nameOf(mentor),
            reason: reason ?? '–',
          }),
        ],
      },
      now,
    );
    return { outcome: 'declined', pair: ended };
  }

  /** The pair's history, oldest first. */
  async timeline(pairId: string): Promise<TimelineEvent[]> {
    return this.d.timeline.forPair(pairId);
  }

  async pairsOf(participantId: string): Promise<Pair[]> {
    return this.d.pairs.openFor(participantId);
  }
}
