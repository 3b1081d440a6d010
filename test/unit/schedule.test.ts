import { describe, expect, it } from 'vitest';
import { addMonths, parseMeetingTime, quickTimes } from '../../src/core/dates.ts';
import { followUpTime, reminderTimes } from '../../src/services/schedule.ts';

const TZ = 'Europe/Helsinki';
const quiet = { start: 21, end: 8 };
const local = (d: Date) => d.toLocaleString('sv-SE', { timeZone: TZ }).slice(0, 16);

describe('typed meeting times', () => {
  const now = new Date('2026-11-25T10:00:00Z');
  it.each([
    ['3.12. 17.30', '2026-12-03 17:30'],
    ['3.12 17:30', '2026-12-03 17:30'],
    ['2026-12-03 17:30', '2026-12-03 17:30'],
    ['3.12.2026 klo 17', '2026-12-03 17:00'],
    ['٣.١٢. ١٧.٣٠', '2026-12-03 17:30'],
    ['2.1. 9.00', '2027-01-02 09:00'],
  ])('%j is %s in Helsinki', (typed, expected) => {
    expect(local(parseMeetingTime(typed, TZ, now)!)).toBe(expected);
  });

  it.each(['tomorrow', '32.12. 17.00', '3.12.', '', '17.30'])('%j is not a time', (typed) => {
    expect(parseMeetingTime(typed, TZ, now)).toBeNull();
  });

  it("reads the time in the writer's zone", () => {
    expect(parseMeetingTime('2026-12-03 17:30', 'Asia/Dubai', now)!.toISOString()).toBe('2026-12-03T13:30:00.000Z');
  });

  it('offers tomorrow, the day after and next Monday at 17:00', () => {
    expect(quickTimes(now, TZ).map(local)).toEqual(['2026-11-26 17:00', '2026-11-27 17:00', '2026-11-30 17:00']);
    expect(local(addMonths(now, 7, TZ))).toBe('2027-06-25 12:00');
  });
});

describe('reminder times', () => {
  it('reminds 24 h and 1 h before', () => {
    const at = new Date('2026-12-03T15:30:00Z'); // 17:30 in Helsinki
    const r = reminderTimes(at, [1440, 60], TZ, quiet, new Date('2026-11-25T10:00:00Z'));
    expect(r.map((x) => [x.label, local(x.due)])).toEqual([
      ['24h', '2026-12-02 17:30'],
      ['1h', '2026-12-03 16:30'],
    ]);
  });

  it('moves a reminder out of quiet hours to earlier', () => {
    const at = new Date('2026-12-03T06:30:00Z'); // 08:30 local: 1 h before is 07:30, quiet
    const r = reminderTimes(at, [60], TZ, quiet, new Date('2026-11-25T10:00:00Z'));
    expect(local(r[0]!.due)).toBe('2026-12-02 20:45');
    const late = reminderTimes(new Date('2026-12-03T20:30:00Z'), [1440], TZ, quiet, new Date('2026-11-25T10:00:00Z')); // 22:30 local
    expect(local(late[0]!.due)).toBe('2026-12-02 20:45');
  });

  it('drops reminders already past', () => {
    const now = new Date('2026-12-03T10:00:00Z');
    expect(reminderTimes(new Date('2026-12-03T15:30:00Z'), [1440, 60], TZ, quiet, now).map((r) => r.label)).toEqual([
      '1h',
    ]);
  });

  it('asks "did you meet?" two hours after, but not at night', () => {
    expect(local(followUpTime(new Date('2026-12-03T15:30:00Z'), TZ, quiet))).toBe('2026-12-03 19:30');
    expect(local(followUpTime(new Date('2026-12-03T18:00:00Z'), TZ, quiet))).toBe('2026-12-04 08:00');
  });
});
