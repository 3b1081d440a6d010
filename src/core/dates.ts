import { DateTime } from 'luxon';

const FORMATS = [
  'd.M.yyyy H.mm',
  'd.M.yyyy H:mm',
  'd.M.yy H.mm',
  'd.M. H.mm',
  'd.M. H:mm',
  'd.M H.mm',
  'd.M H:mm',
  'yyyy-MM-dd HH:mm',
  'yyyy-MM-dd H:mm',
  'yyyy-MM-dd H.mm',
  'd/M/yyyy H:mm',
  'd/M H:mm',
];

/**
 * Reads a typed date and time (`3.12. 17.30`, `2026-12-03 17:30`, `3.12.2026 klo 17`) in the writer's
 * time zone. A date without a year is the next such date from `now`. Returns null if unreadable.
 */
export function parseMeetingTime(typed: string, timeZone: string, now: Date): Date | null {
  const cleaned = typed
    .trim()
    .replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) & 0xf))
    .replace(/\s+(klo|kello|at|в|о|الساعة)\s+/i, ' ')
    .replace(/\s+/g, ' ');
  const withMinutes = /\s\d{1,2}$/.test(cleaned) ? `${cleaned}.00` : cleaned;
  for (const format of FORMATS) {
    const parsed = DateTime.fromFormat(withMinutes, format, { zone: timeZone });
    if (!parsed.isValid) continue;
    let result = parsed;
    if (!format.includes('y')) {
      const reference = DateTime.fromJSDate(now, { zone: timeZone });
      result = parsed.set({ year: reference.year });
      if (result < reference.minus({ days: 1 })) result = result.plus({ years: 1 });
    }
    return result.toJSDate();
  }
  return null;
}

/** Quick choices offered as buttons: tomorrow and the day after at 17:00, next Monday at 17:00. */
export function quickTimes(now: Date, timeZone: string): Date[] {
  const base = DateTime.fromJSDate(now, { zone: timeZone }).set({ hour: 17, minute: 0, second: 0, millisecond: 0 });
  const monday = base.plus({ days: (8 - base.weekday) % 7 || 7 });
  return [base.plus({ days: 1 }), base.plus({ days: 2 }), monday]
    .map((d) => d.toJSDate())
    .filter((d, i, all) => all.findIndex((x) => x.getTime() === d.getTime()) === i);
}

export const addMonths = (d: Date, months: number, timeZone: string): Date =>
  DateTime.fromJSDate(d, { zone: timeZone }).plus({ months }).toJSDate();

/** A typed day (`1.12.`, `1.12.2026`, `2026-12-01`) as noon of that day in the zone; null if unreadable. */
export function parseDay(typed: string, timeZone: string, now: Date): Date | null {
  return parseMeetingTime(`${typed.trim().replace(/\.$/, '.')} 12.00`.replace('..', '.'), timeZone, now);
}

/** Today and next Monday, at noon in the zone. */
export function quickDays(now: Date, timeZone: string): Date[] {
  const today = DateTime.fromJSDate(now, { zone: timeZone }).set({ hour: 12, minute: 0, second: 0, millisecond: 0 });
  return [today, today.plus({ days: (8 - today.weekday) % 7 || 7 })].map((d) => d.toJSDate());
}
