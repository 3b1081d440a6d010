import { describe, expect, it } from 'vitest';
import { SLACK_POLICY } from '../../adapters/slack/rate-policy.ts';
import { TELEGRAM_POLICY } from '../../adapters/telegram/rate-policy.ts';
import type { RatePolicy } from '../../src/core/ports.ts';
import { RateLimiter } from '../../src/services/delivery/rate-limiter.ts';

/** Sends `n` messages to one conversation on a virtual clock; returns when each was let through. */
async function sendTimes(policy: RatePolicy, conversationId: string, n: number): Promise<number[]> {
  let now = 0;
  const limiter = new RateLimiter(
    policy,
    () => now,
    async (ms) => {
      now += ms;
    },
  );
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    await limiter.acquire(conversationId);
    times.push(now);
    limiter.finished(conversationId);
  }
  return times;
}

/** A limiter of `count` sends a second overall, on a clock the test moves. */
const globalLimit = (count: number, clock: { now: number }) =>
  new RateLimiter({ global: { count, perMs: 1_000 }, perConversation: () => undefined }, () => clock.now);

const mostInAnyWindow = (times: number[], windowMs: number) =>
  Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length));

describe('rate limits of the platforms', () => {
  it('a Telegram group gets at most 20 messages a minute, and all of them in time', async () => {
    const times = await sendTimes(TELEGRAM_POLICY, 'telegram:-1005001', 45);
    expect(mostInAnyWindow(times, 60_000)).toBe(20);
    expect(times.at(-1)).toBeLessThan(3 * 60_000);
  });

  it('a private Telegram chat gets at most one a second', async () => {
    const times = await sendTimes(TELEGRAM_POLICY, 'telegram:42', 10);
    expect(mostInAnyWindow(times, 1_000)).toBe(1);
  });

  it('a Slack channel gets at most one a second', async () => {
    const times = await sendTimes(SLACK_POLICY, 'slack:C0COHORT', 10);
    expect(mostInAnyWindow(times, 1_000)).toBe(1);
  });

  it('after a 429 nothing is sent before retry_after is over', async () => {
    let now = 0;
    const limiter = new RateLimiter(
      TELEGRAM_POLICY,
      () => now,
      async (ms) => {
        now += ms;
      },
    );
    limiter.pause(5_000);
    await limiter.acquire('telegram:7');
    expect(now).toBeGreaterThanOrEqual(5_000);
  });

  it('a window counts from when each send finished, and a send under way fills its slot', () => {
    const clock = { now: 0 };
    const limiter = globalLimit(2, clock);
    expect(limiter.tryAcquire('telegram:1')).toBe(0);
    expect(limiter.tryAcquire('telegram:2')).toBe(0);
    // Both still under way two seconds later (a slow network): the platform may not have counted them yet.
    clock.now = 2_000;
    expect(limiter.tryAcquire('telegram:3')).toBeGreaterThan(0);
    limiter.finished('telegram:1');
    clock.now = 2_999;
    expect(limiter.tryAcquire('telegram:3')).toBe(1);
    limiter.finished('telegram:2');
    clock.now = 3_000;
    expect(limiter.tryAcquire('telegram:3')).toBe(0);
    // The third finished at 3,000; the second at 2,999: the next one waits for the second's window to end.
    limiter.finished('telegram:3');
    expect(limiter.tryAcquire('telegram:4')).toBe(999);
  });

  it('a send never reported finished gives its slot back after 30 s', () => {
    const clock = { now: 0 };
    const limiter = globalLimit(1, clock);
    expect(limiter.tryAcquire('telegram:1')).toBe(0);
    clock.now = 29_999;
    expect(limiter.tryAcquire('telegram:2')).toBeGreaterThan(0);
    clock.now = 30_000;
    expect(limiter.tryAcquire('telegram:2')).toBe(0);
  });
});
