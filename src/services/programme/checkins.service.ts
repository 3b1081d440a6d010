import { DateTime } from 'luxon';
import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import type { CheckinStart } from '../../core/meetings.operations.ts';
import type { CheckinAnswerOutcome } from '../../core/operations.ts';
import type { CheckInRepository, PairRepository, ParticipantRepository, TimelineRepository } from '../../core/ports.ts';
import type { CheckIn, Pair } from '../../core/programme.ts';
import type { Notifier } from './notifier.ts';

const DAY = 86_400_000;

export interface CheckinsDeps {
  participants: ParticipantRepository;
  pairs: PairRepository;
  checkins: CheckInRepository;
  timeline: TimelineRepository;
  notifier: Notifier;
  intervalDays: number;
  /** Asked again once after this many days; missed after `missedAfterDays`. */
  reminderAfterDays?: number;
  missedAfterDays?: number;
  /** Told of each answer once it is stored (the triage of its notes); must not throw or make her wait. */
  afterAnswer?: (checkin: CheckIn, by: Participant, now: Date) => void;
}

/** Between 9 and 18 local time on a weekday, else the next such morning at 10:00. */
export function reasonableTime(now: Date, timeZone: string): Date {
  let t = DateTime.fromJSDate(now, { zone: timeZone });
  const ok = (x: DateTime) => x.weekday <= 5 && x.hour >= 9 && x.hour < 18;
  if (ok(t)) return now;
  if (t.hour >= 9) t = t.plus({ days: 1 });
  t = t.set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
  while (t.weekday > 5) t = t.plus({ days: 1 });
  return t.toJSDate();
}

export const activatedAt = (pair: Pair): Date | undefined => pair.history.find((h) => h.state === 'active')?.at;

/** Short progress check-ins for every active pair, each side separately, in her own language. */
export class CheckinsService {
  constructor(private readonly d: CheckinsDeps) {}

  /** Sends the rounds that are due and records the ones left unanswered too long as missed. */
  async tick(now: Date): Promise<{ sent: number; missed: number }> {
    let sent = 0;
    for (const pair of await this.d.pairs.list(['active'])) {
      const start = activatedAt(pair);
      // Past its planned end a pair gets the final survey instead.
      if (!start || (pair.commitment && new Date(pair.commitment.plannedEnd) <= now)) continue;
      const round = Math.floor((now.getTime() - new Date(start).getTime()) / (this.d.intervalDays * DAY));
      if (round < 1) continue;
      for (const participantId of [pair.actorId, pair.mentorId])
        if (await this.send(pair, round, participantId, now)) sent++;
    }
    let missed = 0;
    for (const c of await this.d.checkins.unansweredSince(
      new Date(now.getTime() - (this.d.missedAfterDays ?? 7) * DAY),
    )) {
      await this.d.checkins.save({ ...c, state: 'missed' });
      await this.d.timeline.append({
        pairId: c.pairId,
        type: 'checkin_missed',
        at: now,
        data: { participantId: c.participantId, round: c.round },
      });
      missed++;
    }
    return { sent, missed };
  }

  private async send(pair: Pair, round: number, participantId: string, now: Date): Promise<boolean> {
    const id = `checkin:${pair.id}:${round}:${participantId}`;
    if (!(await this.d.checkins.create({ id, pairId: pair.id, round, participantId, state: 'sent', sentAt: now })))
      return false;
    const person = await this.d.participants.findById(participantId);
    const due = reasonableTime(now, person?.timeZone ?? 'Europe/Helsinki');
    const buttons = {
      kind: 'checkin.met',
      ref: { checkinId: id },
      choices: ['yes', 'no', 'planned'].map((v) => ({ value: v, label: t(`checkins:met.${v}`) })),
      once: true,
      expiresAt: new Date(now.getTime() + (this.d.missedAfterDays ?? 7) * DAY),
      columns: 3,
    };
    await this.d.notifier.send(
      { key: id, recipientId: participantId, due, text: [t('checkins:ask'), t('checkins:met_ask')], buttons },
      now,
    );
    const again = reasonableTime(
      new Date(due.getTime() + (this.d.reminderAfterDays ?? 2) * DAY),
      person?.timeZone ?? 'Europe/Helsinki',
    );
    await this.d.notifier.send(
      {
        key: `${id}:again`,
        recipientId: participantId,
        due: again,
        text: [t('checkins:again'), t('checkins:met_ask')],
        buttons,
        guard: { checkinId: id },
      },
      now,
    );
    return true;
  }

  /** The first tap (did you meet?) opens the rest: rating, topics, notes. */
  async start(checkinId: string, met: string, me: Participant): Promise<CheckinStart> {
    const c = await this.d.checkins.get(checkinId);
    if (!c) return { outcome: 'not_found' };
    if (c.participantId !== me.id) return { outcome: 'not_yours' };
    if (c.state !== 'sent') return { outcome: c.state === 'answered' ? 'already_answered' : 'missed' };
    return { outcome: 'started', checkin: c, met };
  }

  async answer(
    a: { checkinId: string; met: string; rating: number; topics: string[]; note?: string; privateNote?: string },
    me: Participant,
    now: Date,
  ): Promise<CheckinAnswerOutcome> {
    const c = await this.d.checkins.get(a.checkinId);
    if (!c) return { outcome: 'not_found' };
    if (c.participantId !== me.id) return { outcome: 'not_yours' };
    if (c.state !== 'sent') return { outcome: c.state === 'answered' ? 'already_answered' : 'missed' };
    const answered: CheckIn = {
      ...c,
      state: 'answered',
      answeredAt: now,
      met: a.met as CheckIn['met'],
      rating: a.rating,
      topics: a.topics,
      ...(a.note ? { note: a.note } : {}),
      ...(a.privateNote ? { privateNote: a.privateNote } : {}),
    };
    await this.d.checkins.save(answered);
    await this.d.timeline.append({
      pairId: c.pairId,
      type: 'checkin_answered',
      at: now,
      by: me.id,
      data: {
        participantId: me.id,
        round: c.round,
        met: a.met,
        rating: a.rating,
        topics: a.topics,
        helpRequested: Boolean(a.privateNote),
      },
    });
    if (answered.note || answered.privateNote) this.d.afterAnswer?.(answered, me, now);
    return { outcome: 'recorded', checkin: answered };
  }
}
