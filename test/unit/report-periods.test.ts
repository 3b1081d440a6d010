import { describe, expect, it } from 'vitest';
import { parsePeriod, periodOf, ratio, suppressed } from '../../src/core/report.ts';

const TZ = 'Europe/Helsinki';
const now = new Date('2026-12-15T10:00:00Z');

describe('report periods and cells', () => {
  it.each([
    ['month', '2026-11-30T22:00:00.000Z', '2026-12-31T22:00:00.000Z'],
    ['quarter', '2026-09-30T21:00:00.000Z', '2026-12-31T22:00:00.000Z'],
    ['year', '2025-12-31T22:00:00.000Z', '2026-12-31T22:00:00.000Z'],
  ] as const)('%s runs from its first local midnight; it ends now while it lasts', (kind, from, to) => {
    const p = periodOf(kind, now, TZ);
    expect([p.from.toISOString(), p.to.toISOString(), p.until]).toEqual([from, to, now]);
  });

  it('a programme year starting in August that began last year', () => {
    expect(periodOf('year', new Date('2026-03-01T10:00:00Z'), TZ, 8).from.toISOString()).toBe(
      '2025-07-31T21:00:00.000Z',
    );
  });

  it.each([
    ['1.7.2026 - 30.9.2026', '2026-06-30T21:00:00.000Z', '2026-09-30T21:00:00.000Z'],
    ['2026-07-01 2026-09-30', '2026-06-30T21:00:00.000Z', '2026-09-30T21:00:00.000Z'],
    ['١.٧.٢٠٢٦ - ٣٠.٩.٢٠٢٦', '2026-06-30T21:00:00.000Z', '2026-09-30T21:00:00.000Z'],
  ])('typed %s: whole days in her zone', (typed, from, to) => {
    const p = parsePeriod(typed, TZ, now)!;
    expect([p.from.toISOString(), p.to.toISOString()]).toEqual([from, to]);
  });

  it.each([
    '30.9.2026 - 1.7.2026',
    '1.1.2027 - 2.1.2027',
    '1.7.2026',
    'last summer',
    '31.2.2026 - 1.3.2026',
    '1.1.2010 - 1.1.2026',
  ])('refuses %s', (typed) => expect(parsePeriod(typed, TZ, now)).toBeNull());

  it('1 or 2 people show "<3"; a ratio over 1 or 2 too; nothing to divide by is n/a', () => {
    expect([0, 1, 2, 3].map(suppressed)).toEqual([0, '<3', '<3', 3]);
    expect([ratio(4, 3), ratio(1, 2), ratio(0, 0)]).toEqual([1.33, '<3', 'n/a']);
  });
});
