import { DateTime } from 'luxon';

export interface QuietHours {
  /** Local hour when quiet starts (21 = 21:00) and ends (8 = 08:00). */
  start: number;
  end: number;
}

const isQuiet = (t: DateTime, q: QuietHours) =>
  q.start > q.end ? t.hour >= q.start || t.hour < q.end : t.hour >= q.start && t.hour < q.end;

/** Moves a time out of quiet hours: earlier to just before they start (reminders), or later to when they end. */
export function outOfQuietHours(at: Date, timeZone: string, q: QuietHours, direction: 'earlier' | 'later'): Date {
  const t = DateTime.fromJSDate(at, { zone: timeZone });
  if (!isQuiet(t, q)) return at;
  if (direction === 'later') {
    const end = t.set({ hour: q.end, minute: 0, second: 0, millisecond: 0 });
    return (end < t ? end.plus({ days: 1 }) : end).toJSDate();
  }
  const start = t.set({ hour: q.start, minute: 0, second: 0, millisecond: 0 }).minus({ minutes: 15 });
  return (start > t ? start.minus({ days: 1 }) : start).toJSDate();
}

export interface Reminder {
  /** `24h`, `1h`: part of the idempotency key. */
  label: string;
  due: Date;
}

/**
 * When to remind a participant of a meeting: `offsetsMinutes` before it, moved out of her quiet
 * hours (earlier), and only those still ahead of `now`.
 */
export function reminderTimes(
  meetingAt: Date,
  offsetsMinutes: readonly number[],
  timeZone: string,
  quiet: QuietHours,
  now: Date,
): Reminder[] {
  return offsetsMinutes
    .map((min) => ({
      label: min % 60 === 0 ? `${min / 60}h` : `${min}m`,
      due: outOfQuietHours(new Date(meetingAt.getTime() - min * 60_000), timeZone, quiet, 'earlier'),
    }))
    .filter((r) => r.due > now && r.due < meetingAt);
}

/** "Did you meet?" goes two hours after the meeting, moved past quiet hours. */
export function followUpTime(meetingAt: Date, timeZone: string, quiet: QuietHours): Date {
  return outOfQuietHours(new Date(meetingAt.getTime() + 2 * 3_600_000), timeZone, quiet, 'later');
}
