import type { Effect, Text } from '../../core/flow.ts';
import { t } from '../../core/flow.ts';
import { handoff } from '../../core/operation.ts';
import { type EndPairOutcome, endPair, endPairReason } from '../../core/operations.ts';
import type { Participant } from '../../core/model.ts';
import type { PairRepository, ParticipantRepository, TimelineRepository } from '../../core/ports.ts';
import { END_REASONS, EndReason, type Pair } from '../../core/programme.ts';
import { nameOf } from './labels.ts';
import type { Notifier, Staff } from './notifier.ts';

const DAY = 86_400_000;
const say = (...text: Text[]): Effect => ({ type: 'say', text });
const expired = [say(t('common:button_expired'))];

export interface EndingDeps {
  participants: ParticipantRepository;
  pairs: PairRepository;
  timeline: TimelineRepository;
  notifier: Notifier;
  staff: Staff;
}

/**
 * After a pair closes (completed or ended) its mentor's place is free for a new actor; a mentor with no
 * other open pair is waiting again, so officers see her among the mentors with room.
 */
export async function freeMentor(d: Pick<EndingDeps, 'pairs' | 'participants'>, pair: Pair, now: Date): Promise<void> {
  await d.pairs.releaseMentorPlace(pair.id);
  if (!(await d.pairs.openFor(pair.mentorId)).length) await d.participants.setStatus(pair.mentorId, 'waiting', now);
}

const isMember = (pair: Pair, me: Participant) => pair.actorId === me.id || pair.mentorId === me.id;

/** Ending a pair before its planned end: by either partner or an officer, with a reason and a confirmation. */
export class EndingService {
  constructor(private readonly d: EndingDeps) {}

  /** `/endpair`: a partner ends her own active pair; an officer names the pair by its id. */
  async begin(args: string, me: Participant): Promise<Effect[]> {
    const officer = me.role === 'officer';
    if (officer && !args.trim()) return [say(t('ending:officer_usage'))];
    const pair = officer
      ? await this.d.pairs.get(args.trim())
      : (await this.d.pairs.openFor(me.id)).find((p) => p.state === 'active');
    if (pair?.state !== 'active') return [say(t(officer ? 'ending:not_found' : 'ending:no_pair'))];
    return [
      {
        type: 'begin',
        flow: 'pick',
        args: {
          question: t('ending:reason_ask'),
          options: END_REASONS.map((r) => ({ value: r, label: t(`ending:reason.${r}`) })),
          ...handoff(endPairReason, 'reason', { pairId: pair.id }),
        },
      },
    ];
  }

  /** The reason is chosen: is she sure? Nothing changes until she confirms. */
  async confirm(pairId: string, reason: string, me: Participant): Promise<Effect[]> {
    const pair = await this.d.pairs.get(pairId);
    if (
      pair?.state !== 'active' ||
      !(me.role === 'officer' || isMember(pair, me)) ||
      !EndReason.safeParse(reason).success
    )
      return expired;
    const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
    const partner =
      me.role === 'officer' ? undefined : members.get(pair.actorId === me.id ? pair.mentorId : pair.actorId);
    const question = partner
      ? t('ending:confirm_ask', { name: nameOf(partner) })
      : t('ending:confirm_ask_officer', {
          actor: nameOf(members.get(pair.actorId)),
          mentor: nameOf(members.get(pair.mentorId)),
        });
    return [
      {
        type: 'begin',
        flow: 'pick',
        args: {
          question,
          options: [
            { value: 'end', label: t('ending:confirm_yes') },
            { value: 'keep', label: t('ending:confirm_no') },
          ],
          ...handoff(endPair, 'answer', { pairId, reason }),
        },
      },
    ];
  }

  async end(pairId: string, reasonValue: string, answer: string, me: Participant, now: Date): Promise<EndPairOutcome> {
    const pair = await this.d.pairs.get(pairId);
    const reason = EndReason.safeParse(reasonValue);
    if (pair?.state !== 'active' || !(me.role === 'officer' || isMember(pair, me)) || !reason.success)
      return { outcome: 'not_found' };
    if (answer !== 'end') return { outcome: 'kept' };
    const by = me.role === 'officer' ? 'officer' : 'member';
    await this.d.pairs.save({
      ...pair,
      state: 'ended',
      endReason: reason.data,
      endedAt: now,
      history: [...pair.history, { state: 'ended', by: me.id, at: now, note: reason.data }],
    });
    await this.d.timeline.append({ pairId, type: 'ended', at: now, by: me.id, data: { reason: reason.data, by } });
    await freeMentor(this.d, pair, now);
    // She decides herself whether she waits for a new mentor; until then she is not on the waiting list.
    await this.d.participants.setStatus(pair.actorId, 'finished', now);
    const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
    const actor = members.get(pair.actorId);
    const mentor = members.get(pair.mentorId);
    for (const id of [pair.actorId, pair.mentorId].filter((x) => x !== me.id)) {
      const partner = members.get(id === pair.actorId ? pair.mentorId : pair.actorId);
      const text =
        by === 'officer'
          ? t('ending:to_member_by_officer', { name: nameOf(partner) })
          : t('ending:to_partner', { name: nameOf(me) });
      await this.d.notifier.send({ key: `ended:${pairId}:${id}`, recipientId: id, due: now, text: [text] }, now);
    }
    await this.d.notifier.send(
      {
        key: `ended:${pairId}:rejoin`,
        recipientId: pair.actorId,
        due: now,
        text: [t('ending:rejoin_ask')],
        buttons: {
          kind: 'ending.rejoin',
          ref: { pairId },
          choices: [
            { value: 'yes', label: t('ending:rejoin_yes') },
            { value: 'no', label: t('ending:rejoin_no') },
          ],
          // She may change her mind while the buttons last.
          once: false,
          expiresAt: new Date(now.getTime() + 60 * DAY),
        },
      },
      now,
    );
    const staffText = t('ending:to_staff', {
      actor: nameOf(actor),
      mentor: nameOf(mentor),
      who: nameOf(me),
      reason: t(`ending:reason.${reason.data}`),
      pairId,
    });
    for (const recipientId of await this.d.staff.recipients()) {
      if (recipientId !== me.id)
        await this.d.notifier.send(
          { key: `ended:${pairId}:staff:${recipientId}`, recipientId, due: now, text: [staffText] },
          now,
        );
    }
    const partnerName =
      by === 'officer' ? `${nameOf(actor)} & ${nameOf(mentor)}` : nameOf(me.id === pair.actorId ? mentor : actor);
    return { outcome: 'ended', reason: reason.data, partnerName, by };
  }

  /** The actor's answer after an ending: back to the waiting list for a new mentor, or not now. */
  async rejoin(pairId: string, value: string, me: Participant, now: Date): Promise<Effect[]> {
    const pair = await this.d.pairs.get(pairId);
    if (!pair || pair.actorId !== me.id || (pair.state !== 'ended' && pair.state !== 'completed')) return expired;
    if ((await this.d.pairs.openFor(me.id)).length) return [say(t('ending:rejoin_has_pair'))];
    if (value === 'yes') {
      await this.d.participants.setStatus(me.id, 'waiting', now);
      return [say(t('ending:rejoin_waiting'))];
    }
    await this.d.participants.setStatus(me.id, 'finished', now);
    return [say(t('ending:rejoin_later'))];
  }
}
