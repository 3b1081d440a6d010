import type { RatePolicy } from '../../src/core/ports.ts';

/**
 * The console stands in for Telegram, so what the outbox sends it keeps Telegram's limits for private
 * chats (~30 messages/s overall, 1/s per person); on the console's virtual clock this costs no real time.
 */
export const CONSOLE_POLICY: RatePolicy = {
  global: { count: 30, perMs: 1_075 },
  perConversation: () => ({ count: 1, perMs: 1_000 }),
};
