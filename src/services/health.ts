import type { Evaluation, Health, Signal } from '../core/health.ts';
import type { TimelineEvent } from '../core/programme.ts';

export interface Thresholds {
  noMeetingDays: number;
  missedCheckinsInARow: number;
  lowRating: number;
  lowRatingTimes: number;
  ratingDrop: number;
  noCommitmentDays: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  noMeetingDays: 21,
  missedCheckinsInARow: 2,
  lowRating: 2,
  lowRatingTimes: 2,
  ratingDrop: 2,
  noCommitmentDays: 14,
};

export type { Evaluation, Health, Signal } from '../core/health.ts';

const DAY = 86_400_000;
const STALLING: ReadonlySet<Signal['code']> = new Set(['no_meeting', 'missed_checkins', 'unreachable']);

/**
 * A pair's health from its timeline: pure and deterministic, so every signal and combination is
 * tested as a table. `unreachable` are the members who blocked the bot.
 */
export function evaluatePair(
  timeline: readonly TimelineEvent[],
  unreachable: readonly string[],
  now: Date,
  t: Thresholds = DEFAULT_THRESHOLDS,
): Evaluation {
  const events = [...timeline].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  const activated = events.find((e) => e.type === 'activated');
  const signals: Signal[] = [];
  const deadlines: number[] = [now.getTime() + DAY];
  if (!activated) return { health: 'on_track', signals, nextEvaluationAt: new Date(deadlines[0]!) };
  const start = new Date(activated.at);

  const lastMeeting = events.filter((e) => e.type === 'meeting_held').at(-1);
  const since = lastMeeting ? new Date(lastMeeting.at) : start;
  const quietDays = Math.floor((now.getTime() - since.getTime()) / DAY);
  if (quietDays >= t.noMeetingDays) signals.push({ code: 'no_meeting', days: quietDays, since });
  else deadlines.push(since.getTime() + t.noMeetingDays * DAY);

  if (!events.some((e) => e.type === 'commitment_set')) {
    const days = Math.floor((now.getTime() - start.getTime()) / DAY);
    if (days >= t.noCommitmentDays) signals.push({ code: 'no_commitment', days });
    else deadlines.push(start.getTime() + t.noCommitmentDays * DAY);
  }

  const byPerson = new Map<string, TimelineEvent[]>();
  for (const e of events.filter((x) => x.type === 'checkin_answered' || x.type === 'checkin_missed')) {
    const who = String(e.data?.participantId ?? e.by);
    byPerson.set(who, [...(byPerson.get(who) ?? []), e]);
  }
  for (const [who, rounds] of byPerson) {
    const tail = rounds.slice(-t.missedCheckinsInARow);
    if (tail.length === t.missedCheckinsInARow && tail.every((e) => e.type === 'checkin_missed'))
      signals.push({ code: 'missed_checkins', participantId: who, count: tail.length });
    const ratings = rounds
      .filter((e) => e.type === 'checkin_answered' && typeof e.data?.rating === 'number')
      .map((e) => e.data!.rating as number);
    const last = ratings.slice(-t.lowRatingTimes);
    if (last.length === t.lowRatingTimes && last.every((r) => r <= t.lowRating))
      signals.push({ code: 'low_rating', participantId: who, ratings: last });
    else if (ratings.length >= 2 && ratings.at(-2)! - ratings.at(-1)! >= t.ratingDrop)
      signals.push({ code: 'rating_drop', participantId: who, from: ratings.at(-2)!, to: ratings.at(-1)! });
    const lastAnswer = rounds.filter((e) => e.type === 'checkin_answered').at(-1);
    if (lastAnswer?.data?.helpRequested)
      signals.push({ code: 'help_requested', participantId: who, at: new Date(lastAnswer.at) });
  }
  for (const [who, triaged] of highTriages(events)) {
    const resolved = events.some(
      (e) =>
        e.type === 'alert_resolved' && e.data?.signal === `note_help:${who}` && new Date(e.at) >= new Date(triaged.at),
    );
    const d = triaged.data ?? {};
    if (!resolved)
      signals.push({
        code: 'note_help',
        participantId: who,
        at: new Date(triaged.at),
        triageId: String(d.triageId),
        source: d.source === 'ai' ? 'ai' : 'keywords',
        reason: String(d.reason ?? ''),
      });
  }
  for (const who of unreachable) signals.push({ code: 'unreachable', participantId: who });

  const health: Health = signals.some((s) => STALLING.has(s.code))
    ? 'stalled'
    : signals.length
      ? 'needs_attention'
      : 'on_track';
  return { health, signals, nextEvaluationAt: new Date(Math.min(...deadlines.filter((d) => d > now.getTime()))) };
}

/** Per person, her last note triaged as high risk. */
function highTriages(events: readonly TimelineEvent[]): Map<string, TimelineEvent> {
  const last = new Map<string, TimelineEvent>();
  for (const e of events)
    if (e.type === 'note_triaged' && e.data?.risk === 'high') last.set(String(e.data.participantId), e);
  return last;
}

/**
 * The events `evaluatePair` reads with these thresholds, and no others: the first activation and
 * commitment, the last meeting and ending, every unreachable member, and per person the last
 * `missedCheckinsInARow` rounds, the answers that hold her last ratings and her last answer.
 * A pair's queued history is kept this small, so compaction must follow the thresholds.
 */
export function compactTimeline(events: readonly TimelineEvent[], t: Thresholds = DEFAULT_THRESHOLDS): TimelineEvent[] {
  const keep = new Set<TimelineEvent>();
  const first = (type: string) => events.find((e) => e.type === type);
  const last = (type: string) => events.filter((e) => e.type === type).at(-1);
  for (const e of [first('activated'), first('commitment_set'), last('meeting_held'), last('ended'), last('completed')])
    if (e) keep.add(e);
  const rounds = new Map<string, TimelineEvent[]>();
  for (const e of highTriages(events).values()) keep.add(e);
  for (const e of events) {
    if (e.type === 'member_unreachable') keep.add(e);
    if (e.type === 'alert_resolved' && String(e.data?.signal ?? '').startsWith('note_help:')) keep.add(e);
    if (e.type !== 'checkin_answered' && e.type !== 'checkin_missed') continue;
    const who = String(e.data?.participantId ?? e.by);
    rounds.set(who, [...(rounds.get(who) ?? []), e]);
  }
  const ratingsKept = Math.max(t.lowRatingTimes, 2);
  for (const list of rounds.values()) {
    for (const e of list.slice(-t.missedCheckinsInARow)) keep.add(e);
    const answers = list.filter((e) => e.type === 'checkin_answered');
    for (const e of answers.filter((x) => typeof x.data?.rating === 'number').slice(-ratingsKept)) keep.add(e);
    const lastAnswer = answers.at(-1);
    if (lastAnswer) keep.add(lastAnswer);
  }
  return events.filter((e) => keep.has(e));
}

/** One open alert per pair and signal kind (per person where it is about one person). */
export const signalKey = (s: Signal): string => ('participantId' in s ? `${s.code}:${s.participantId}` : s.code);
