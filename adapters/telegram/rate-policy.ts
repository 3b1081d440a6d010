import type { RatePolicy } from '../../src/core/ports.ts';

/** Telegram's published limits: ~30 messages/s overall, 1/s per private chat, 20/min per group. */
export const TELEGRAM_POLICY: RatePolicy = {
  // A 7% margin: requests booked at the edge of a window may reach the server late, inside the next one.
  global: { count: 30, perMs: 1_075 },
  perConversation: (id) => (id.startsWith('telegram:-') ? { count: 20, perMs: 60_000 } : { count: 1, perMs: 1_000 }),
};
