import { t } from '../../core/flow.ts';
import type { EndingConfirmation, EndPairOutcome } from '../../core/operations.ts';
import type { EndingStart, RejoinAnswer } from '../../core/ending.operations.ts';
import type { Participant } from '../../core/model.ts';
import type { PairRepository, ParticipantRepository, TimelineRepository } from '../../core/ports.ts';
import { EndReason, type Pair } from '../../core/programme.ts';
import { nameOf } from './labels.ts';
import type { Notifier, Staff } from './notifier.ts';

const DAY = 86_400_000;

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
  async begin(pairId: string | undefined, me: Participant): Promise<EndingStart> {
    const officer = me.role === 'officer';
    if (officer && !pairId?.trim()) return { outcome: 'usage' };
    const pair = officer
      ? await this.d.pairs.get(pairId?.trim() ?? '')
      : (await this.d.pairs.openFor(me.id)).find((p) => p.state === 'active');
    if (pair?.state !== 'active') return { outcome: officer ? 'not_found' : 'no_pair' };
    return { outcome: 'ask_reason', pair };
  }

  /** The reason is chosen: is she sure? Nothing changes until she confirms. */
  async confirm(pairId: string, reasonValue: string, me: Participant): Promise<EndingConfirmation> {
    const pair = await this.d.pairs.get(pairId);
    const reason = EndReason.safeParse(reasonValue);
    if (pair?.state !== 'active' || !(me.role === 'officer' || isMember(pair, me)) || !reason.success)
      return { outcome: 'not_found' };
    const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
    const partner =
      me.role === 'officer' ? undefined : members.get(pair.actorId === me.id ? pair.mentorId : pair.actorId);
    return {
      outcome: 'confirm',
      pair,
      reason: reason.data,
      actor: members.get(pair.actorId) ?? null,
      mentor: members.get(pair.mentorId) ?? null,
      partner: partner ?? null,
    };
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
  async rejoin(pairId: string, value: string, me: Participant, now: Date): Promise<RejoinAnswer> {
    const pair = await this.d.pairs.get(pairId);
    if (!pair || pair.actorId !== me.id || (pair.state !== 'ended' && pair.state !== 'completed'))
      return { outcome: 'not_found' };
    if ((await this.d.pairs.openFor(me.id)).length) return { outcome: 'has_pair' };
    const status = value === 'yes' ? 'waiting' : 'finished';
    await this.d.participants.setStatus(me.id, status, now);
    return { outcome: 'saved', status };
  }
}
