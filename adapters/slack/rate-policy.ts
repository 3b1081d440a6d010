import type { RatePolicy } from '../../src/core/ports.ts';

/** Slack's chat.postMessage: about one message per second per channel. */
export const SLACK_POLICY: RatePolicy = { perConversation: () => ({ count: 1, perMs: 1_000 }) };
