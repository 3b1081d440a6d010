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
  }
  return times;
}

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
});
