import { t } from '../../core/flow.ts';
import { commitmentParams } from '../../core/commitment.labels.ts';
import type { Participant } from '../../core/model.ts';
import type { CommitmentDrafted } from '../../core/operations.ts';
import type { CommitmentConfirmed, CommitmentStart } from '../../core/pairs.operations.ts';
import type { PairRepository, ParticipantRepository, TimelineRepository } from '../../core/ports.ts';
import type { Commitment, Pair } from '../../core/programme.ts';
import { addMonths } from '../../core/dates.ts';
import { nameOf } from './labels.ts';
import type { Notifier } from './notifier.ts';

const DAY = 86_400_000;

export interface CommitmentDeps {
  participants: ParticipantRepository;
  pairs: PairRepository;
  timeline: TimelineRepository;
  notifier: Notifier;
}

const memberOf = (pair: Pair | null, me: Participant) =>
  Boolean(pair && (pair.actorId === me.id || pair.mentorId === me.id));

/** The pair's written commitment: either side drafts, the other confirms; it opens their documentation. */
export class CommitmentService {
  constructor(private readonly d: CommitmentDeps) {}

  /** The drafting conversation opens prefilled with the actor's goals (or the draft to change). */
  async start(pairId: string, me: Participant): Promise<CommitmentStart> {
    const pair = await this.d.pairs.get(pairId);
    if (pair?.state !== 'active' || !memberOf(pair, me)) return { outcome: 'not_found' };
    if (pair.commitment) return { outcome: 'already_set', commitment: pair.commitment, timeZone: me.timeZone };
    const actor = await this.d.participants.findById(pair.actorId);
    const draft = pair.commitmentDraft;
    return {
      outcome: 'write',
      pairId,
      goals: actor?.actor?.goals ?? [],
      timeZone: me.timeZone,
      ...(draft ? { draft } : {}),
    };
  }

  async draft(
    args: {
      pairId: string;
      aims: string[];
      note?: string;
      frequency: Commitment['frequency'];
      start: string;
      months: number;
    },
    me: Participant,
    now: Date,
  ): Promise<CommitmentDrafted> {
    const pair = await this.d.pairs.get(args.pairId);
    if (pair?.state !== 'active' || !memberOf(pair, me) || pair.commitment) return { outcome: 'not_found' };
    const start = new Date(args.start);
    // Months in her own zone: the same day, not an hour off after a change of summer time.
    const plannedEnd = addMonths(start, Math.min(8, Math.max(6, args.months)), me.timeZone);
    const draft: Commitment = {
      aims: args.aims,
      ...(args.note ? { note: args.note } : {}),
      frequency: args.frequency,
      start,
      plannedEnd,
      draftedBy: me.id,
    };
    await this.d.pairs.save({ ...pair, commitmentDraft: draft });
    const other = pair.actorId === me.id ? pair.mentorId : pair.actorId;
    const recipient = await this.d.participants.findById(other);
    await this.d.notifier.send(
      {
        key: `commitment:${pair.id}:draft:${now.getTime()}`,
        recipientId: other,
        due: now,
        text: [
          t('pairs:commitment.to_confirm', { name: nameOf(me) }),
          ...this.lines(draft, recipient?.timeZone ?? me.timeZone),
        ],
        buttons: {
          kind: 'commitment.confirm',
          ref: { pairId: pair.id, draftAt: String(now.getTime()) },
          choices: [
            { value: 'confirm', label: t('pairs:commitment.confirm') },
            { value: 'change', label: t('pairs:commitment.change') },
          ],
          once: true,
          expiresAt: new Date(now.getTime() + 30 * DAY),
        },
      },
      now,
    );
    return { outcome: 'sent', draft, partner: recipient };
  }

  async confirm(pairId: string, me: Participant, now: Date): Promise<CommitmentConfirmed> {
    const pair = await this.d.pairs.get(pairId);
    const draft = pair?.commitmentDraft;
    if (!pair || !draft || !memberOf(pair, me) || draft.draftedBy === me.id || pair.commitment)
      return { outcome: 'not_found' };
    const commitment: Commitment = { ...draft, confirmedBy: me.id, confirmedAt: now };
    const { commitmentDraft: _done, ...rest } = pair;
    await this.d.pairs.save({ ...rest, commitment });
    await this.d.timeline.append({
      pairId,
      type: 'commitment_set',
      at: now,
      by: me.id,
      data: {
        aims: commitment.aims,
        frequency: commitment.frequency,
        start: commitment.start,
        plannedEnd: commitment.plannedEnd,
      },
    });
    await this.d.notifier.send(
      {
        key: `commitment:${pairId}:confirmed`,
        recipientId: draft.draftedBy,
        due: now,
        text: [t('pairs:commitment.confirmed_by_partner', { name: nameOf(me) }), t('pairs:commitment.next')],
      },
      now,
    );
    return { outcome: 'confirmed', commitment };
  }

  lines(c: Commitment, timeZone: string) {
    return [t('pairs:commitment.summary', commitmentParams(c, timeZone))];
  }
}
