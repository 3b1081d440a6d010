import { describe, expect, it } from 'vitest';
import { RecentStates } from '../../adapters/mongo/recent-states.ts';

describe('RecentStates', () => {
  it('answers for maxAgeMs from when a value was known, keeps at most max, and nothing once the clock goes back', () => {
    let t = 1_000_000;
    const states = new RecentStates<string>({ maxAgeMs: 30_000, max: 2, now: () => t });
    states.set('a', 'A1', t - 10_000);
    expect(states.get('a')).toBe('A1');
    t += 19_999;
    expect(states.get('a')).toBe('A1');
    t += 1;
    expect(states.get('a')).toBeUndefined();
    states.set('a', 'A2', t);
    states.set('b', 'B', t);
    states.set('c', 'C', t);
    // The oldest went first.
    expect([states.get('a'), states.get('b'), states.get('c')]).toEqual([undefined, 'B', 'C']);
    expect(states.size).toBe(2);
    t -= 60_000;
    expect(states.get('b')).toBeUndefined();
    const never = new RecentStates<string>({ maxAgeMs: 0, max: 10, now: () => t });
    never.set('a', 'A', t);
    expect(never.get('a')).toBeUndefined();
  });
});
