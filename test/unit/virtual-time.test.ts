import { describe, expect, it } from 'vitest';
import { parseShift, travel, VirtualClock } from '../../src/services/virtual-time.ts';

const HOUR = 3_600_000;

describe('the console clock', () => {
  it('reads /clock arguments and refuses anything else', () => {
    expect(parseShift('+3d')).toBe(72 * HOUR);
    expect(parseShift('+2h')).toBe(2 * HOUR);
    expect(parseShift('15d')).toBe(360 * HOUR);
    expect(parseShift('+1w')).toBe(168 * HOUR);
    expect(parseShift('+30m')).toBe(HOUR / 2);
    for (const bad of ['', 'tomorrow', '-2h', '+0h', '+2x', '+500d']) expect(parseShift(bad)).toBeUndefined();
  });

  it('only moves forward', () => {
    let real = 1_000_000;
    const clock = new VirtualClock(-HOUR, () => real);
    expect(clock.now().getTime()).toBe(real - HOUR);
    clock.advanceTo(real - 2 * HOUR);
    expect(clock.now().getTime()).toBe(real - HOUR);
    clock.advanceTo(real + HOUR);
    real += 10;
    expect(clock.now().getTime()).toBe(real + HOUR);
    expect(clock.shift).toBe(HOUR);
  });

  it('stops at every message due on the way and at least every six hours, then at the target', async () => {
    const start = Date.parse('2026-12-01T10:00:00Z');
    const clock = new VirtualClock(0, () => start);
    const dueAt = [start + 90 * 60_000, start + 100 * 60_000];
    const runs: number[] = [];
    const moved = await travel(
      {
        clock,
        runDue: async (now) => void runs.push(now.getTime()),
        nextDue: async (after) => {
          const next = dueAt.find((d) => d > after.getTime());
          return next === undefined ? undefined : new Date(next);
        },
      },
      14 * HOUR,
    );
    expect(runs.map((r) => (r - start) / 60_000)).toEqual([0, 90, 100, 100 + 360, 100 + 720, 840]);
    expect(moved.to.getTime() - moved.from.getTime()).toBe(14 * HOUR);
  });
});
