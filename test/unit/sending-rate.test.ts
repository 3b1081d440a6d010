import { describe, expect, it } from 'vitest';
import { SendingRate } from '../../src/services/sending-rate.ts';

describe('how fast someone writes, by the times of her messages', () => {
  it('one message at a time stays at 1; ten in one second count up to 10', () => {
    const rate = new SendingRate(1_500);
    expect([0, 2_000, 4_000, 6_000].map((t) => rate.rank('slow', t))).toEqual([1, 1, 1, 1]);
    expect(Array.from({ length: 10 }, () => rate.rank('flood', 10_000))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // A pause longer than the window starts her over.
    expect(rate.rank('flood', 12_000)).toBe(1);
  });

  it('forgets the least recently seen sender first', () => {
    const rate = new SendingRate(1_500, 2);
    rate.rank('a', 0);
    rate.rank('b', 0);
    rate.rank('a', 100);
    rate.rank('c', 100);
    // "a" was kept with both its times; "b" was forgotten.
    expect(rate.rank('a', 200)).toBe(3);
    expect(rate.rank('b', 200)).toBe(1);
  });
});
