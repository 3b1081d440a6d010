import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';

/**
 * Reports per city and period for funders: counts only, no names. Every figure names the date rule it
 * follows (README, "Reports"); the read model below is what the report needs of the store, read in a
 * few bulk queries with projections, never per pair.
 */

export const PERIOD_KINDS = ['month', 'quarter', 'year', 'typed'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** `[from, to)`; `until` is `to`, or now when the period has not ended: "at its end" means then. */
export interface ReportPeriod {
  kind: PeriodKind;
  from: Date;
  to: Date;
  until: Date;
  timeZone: string;
}

/** The rule a figure follows, written next to it in the CSV. */
export const DATE_RULES = [
  'registered_in_period',
  'at_end',
  'proposed_in_period',
  'started_in_period',
  'finished_in_period',
  'active_during',
  'active_at_end',
  'now',
  'held_in_period',
  'sent_in_period',
  'made_in_period',
  'answered_in_period',
  'cohort_by_end',
] as const;
export type DateRule = (typeof DATE_RULES)[number];

/** What a cell shows: a number, "<3" for 1 or 2 people, or "n/a" where there is nothing to divide by or no data yet. */
export type CellValue = number | '<3' | 'n/a';

export interface ReportRow {
  /** `all` or a city as stored. */
  scope: string;
  figure: string;
  /** A reason, a topic, a cohort, a load; empty for the figure itself. */
  breakdown: string;
  rule: DateRule;
  value: CellValue;
}

/** A report as the chat, a dashboard or an export show it; already anonymised, so no caller can leak a small count. */
export interface ProgrammeReport {
  scope: 'all' | { city: string };
  period: ReportPeriod;
  madeAt: Date;
  rows: ReportRow[];
  /** Whether final-survey outcomes could be read (the survey comes with pair completion). */
  surveysAvailable: boolean;
}

/** Fewer than 3 people identify someone: 1 and 2 become "<3"; 0 says nothing about anyone. */
export const MIN_CELL = 3;
export function suppressed(count: number): CellValue {
  return count > 0 && count < MIN_CELL ? '<3' : count;
}

/** A ratio over `base` people or pairs: hidden as "<3" on a base of 1 or 2, "n/a" on none. */
export function ratio(numerator: number, base: number, digits = 2): CellValue {
  if (base === 0) return 'n/a';
  if (base < MIN_CELL) return '<3';
  const f = 10 ** digits;
  return Math.round((numerator / base) * f) / f;
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A city as a short button value: typed city names may be longer than a button carries. */
export const cityKey = (city: string): string => createHash('sha256').update(city).digest('base64url').slice(0, 12);

/** This month, this quarter or the programme year around `now`, in the officer's zone. */
export function periodOf(
  kind: Exclude<PeriodKind, 'typed'>,
  now: Date,
  timeZone: string,
  yearStartMonth = 1,
): ReportPeriod {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  let from: DateTime;
  let months: number;
  if (kind === 'month') [from, months] = [local.startOf('month'), 1];
  else if (kind === 'quarter') [from, months] = [local.startOf('quarter'), 3];
  else {
    const start = local.set({ month: yearStartMonth }).startOf('month');
    [from, months] = [start > local ? start.minus({ years: 1 }) : start, 12];
  }
  const to = from.plus({ months }).toJSDate();
  return { kind, from: from.toJSDate(), to, until: to > now ? now : to, timeZone };
}

const DAY_PATTERN = /\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4}/g;

/**
 * Two typed days, `1.9.2026 - 30.11.2026` or `2026-09-01 2026-11-30`: from the first day's start to the
 * end of the second, in the officer's zone. Null if unreadable, reversed, in the future or over 5 years.
 */
export function parsePeriod(typed: string, timeZone: string, now: Date): ReportPeriod | null {
  const western = typed.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) & 0xf));
  const days = western.match(DAY_PATTERN);
  if (days?.length !== 2) return null;
  const [a, b] = days.map((d) => DateTime.fromFormat(d, d.includes('-') ? 'yyyy-M-d' : 'd.M.yyyy', { zone: timeZone }));
  if (!a?.isValid || !b?.isValid || b < a || b.diff(a, 'years').years > 5) return null;
  const from = a.startOf('day').toJSDate();
  const to = b.plus({ days: 1 }).startOf('day').toJSDate();
  if (from > now) return null;
  return { kind: 'typed', from, to, until: to > now ? now : to, timeZone };
}

/** How a pair ended, from what it stores; the completion work may add `endedAt`/`endReason` to a pair. */
export interface PairEnding {
  outcome: 'completed' | 'ended';
  at: Date;
  reason?: string;
}

/** One answer to the final survey (what changed for her), when the completion work stores them. */
export interface SurveyOutcome {
  participantId: string;
  pairId: string;
  answeredAt: Date;
  cv: boolean;
  applications: boolean;
  interviews: boolean;
  jobOrTraineeship: boolean;
  studies: boolean;
}

/** A note read as at risk: who wrote it, what read it, and whether an officer said the reading was wrong. */
export interface TriageRaised {
  participantId: string;
  source: 'ai' | 'keywords';
  markedWrong: boolean;
}

/** The read model of a report: projections of what the programme stores, nothing more. */
export interface ReportPerson {
  id: string;
  role: 'actor' | 'mentor';
  city: string;
  status: string;
  registeredAt: Date;
  capacity?: number;
}

export interface ReportPair {
  id: string;
  actorId: string;
  mentorId: string;
  state: string;
  proposedAt: Date;
  startedAt?: Date;
  ending?: PairEnding;
  cohortId?: string;
}

export interface ReportSource {
  /** Actors and mentors registered before `before` (registration done, consent given). */
  people(before: Date): Promise<ReportPerson[]>;
  /** Pairs proposed before `before`. */
  pairs(before: Date): Promise<ReportPair[]>;
  /** Pair meetings held, by the meeting's time. */
  meetingsHeld(from: Date, to: Date): Promise<{ pairId: string }[]>;
  /** Group meetings that took place (attendance recorded), by the meeting's time. */
  groupMeetingsHeld(from: Date, to: Date): Promise<{ cohortId: string; attended: string[] }[]>;
  /** Check-ins sent in the range, with whether they were answered. */
  checkinsSent(from: Date, to: Date): Promise<{ participantId: string; answered: boolean }[]>;
  counsellingMade(from: Date, to: Date): Promise<{ participantId: string; topic: string }[]>;
  /** Pairs with an alert open now. */
  pairsWithOpenAlerts(): Promise<string[]>;
  cohorts(): Promise<{ id: string; name: string; pairIds: string[] }[]>;
  /** Final-survey answers in the range; absent until the completion work stores them. */
  surveysAnswered?(from: Date, to: Date): Promise<SurveyOutcome[]>;
  /** Check-in notes the triage found a risk in (low or high), by when they were read. */
  triagesRaised(from: Date, to: Date): Promise<TriageRaised[]>;
  /** Cities people registered with, the most common first. */
  cities(): Promise<string[]>;
}
