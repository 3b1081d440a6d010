import { z } from 'zod';
import { IdentityKey } from './model.ts';

/** Telegram's limit; other platforms allow more, so it is the one the engine plans for. */
export const MAX_TEXT_LENGTH = 4096;
/** Longest inbound text the engine keeps; platforms deliver at most this much in one message anyway. */
export const MAX_INBOUND_TEXT = 4096;

export const InboundPayload = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('command'), name: z.string(), args: z.string() }),
  z.object({ type: z.literal('button'), data: z.string(), messageId: z.string().optional() }),
  /** She asked to join a group through a link that needs approval. */
  z.object({ type: z.literal('join_request') }),
  /** The group now lives under another id (Telegram turns a group into a supergroup). */
  z.object({ type: z.literal('group_moved'), to: z.string() }),
  /** Photo, sticker, voice ... where the bot expects text. */
  z.object({ type: z.literal('unsupported'), kind: z.string() }),
]);
export type InboundPayload = z.infer<typeof InboundPayload>;

/** One thing a person did, in platform-neutral form. */
export const InboundEvent = z.object({
  /** Platform event id, e.g. `telegram:<update_id>`; a redelivery carries the same id. */
  id: z.string(),
  identity: IdentityKey,
  /** Where replies go: `telegram:<chatId>`, `console:<name>`. */
  conversationId: z.string(),
  conversationKind: z.enum(['private', 'group']),
  /** For an event in a group: her own chat with the bot, where a question to her alone goes. */
  privateConversationId: z.string().optional(),
  /** The first name the platform shows for her, if any. */
  senderName: z.string().optional(),
  /** The platform's language hint (IETF tag), if any. */
  languageHint: z.string().optional(),
  payload: InboundPayload,
  /** Platform payload for logging only; flows never read it. */
  raw: z.unknown().optional(),
});
export type InboundEvent = z.infer<typeof InboundEvent>;

export const ButtonRow = z.array(z.object({ label: z.string(), data: z.string() }));

/** A rendered message ready for a channel: plain text only, never markup. */
export const OutboundMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('choice'), text: z.string(), rows: z.array(ButtonRow) }),
]);
export type OutboundMessage = z.infer<typeof OutboundMessage>;

export interface Delivery {
  conversationId: string;
  message: OutboundMessage;
  /** Replace the message that carried the pressed button instead of sending a new one. */
  replaces?: string;
}

export function platformOf(conversationId: string): string {
  return conversationId.slice(0, conversationId.indexOf(':'));
}
