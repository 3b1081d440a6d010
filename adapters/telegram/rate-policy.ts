import type { RatePolicy } from '../../src/core/ports.ts';

/**
 * Telegram's published limits: ~30 messages/s overall (`perSecond`: more only for a bot Telegram allows more,
 * or a test server), 1/s per private chat, 20/min per group.
 */
export function telegramPolicy(perSecond = 30): RatePolicy {
  return {
    // Windows count from each send's answer (see RateLimiter), so a late request cannot land in the next window;
    // 2% over a second for clocks that tick coarser than ours.
    global: { count: perSecond, perMs: 1_020 },
    perConversation: (id) => (id.startsWith('telegram:-') ? { count: 20, perMs: 60_000 } : { count: 1, perMs: 1_000 }),
  };
}

export const TELEGRAM_POLICY: RatePolicy = telegramPolicy();
