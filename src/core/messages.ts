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
  /**
   * When she sent it by the platform's clock (ms since epoch; Telegram counts whole seconds), if the
   * platform says: under load, who writes slowly is answered before a flood, however they were fetched.
   */
  sentAt: z.number().optional(),
  /**
   * Set by the intake when it hands the event on: how hurried her waiting messages were then (1: one at
   * a time). Her replies keep that place in line, so a flood's first reply does not go before others.
   */
  hurry: z.number().int().min(1).optional(),
  /**
   * Set by the intake: when the event was stored (ms since epoch), the time its handling goes by, and whether
   * this handling follows right after the insert that stored it (nobody else is handling it; a redelivery of one
   * handled before is known by her conversation's recent event ids).
   */
  accepted: z.object({ at: z.number(), first: z.boolean() }).optional(),
  /** Platform payload for logging only; flows never read it. */
  raw: z.unknown().optional(),
});
export type InboundEvent = z.infer<typeof InboundEvent>;

/** Largest file the bot sends; Telegram takes up to 50 MB from bots, Slack more. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Telegram's caption limit; a longer caption goes as a message of its own before the file. */
export const MAX_CAPTION_LENGTH = 1024;

export const FileAttachment = z.object({
  /** Shown to her as the file's name, e.g. `report-helsinki-2026-q4.csv`. */
  name: z.string().min(1).max(120),
  mimeType: z.string(),
  /** The bytes, base64: a delivery stays plain data that can be queued, logged (without it) and retried. */
  base64: z.string(),
});
export type FileAttachment = z.infer<typeof FileAttachment>;

export const fileOf = (name: string, mimeType: string, bytes: Uint8Array | string): FileAttachment => ({
  name,
  mimeType,
  base64: Buffer.from(bytes).toString('base64'),
});

export const ButtonRow = z.array(z.object({ label: z.string(), data: z.string() }));

/** A rendered message ready for a channel: plain text only, never markup. */
export const OutboundMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({ type: z.literal('choice'), text: z.string(), rows: z.array(ButtonRow) }),
  /** A file (a report, a record, a certificate); `text` is its caption, possibly empty. */
  z.object({ type: z.literal('document'), text: z.string(), file: z.lazy(() => FileAttachment) }),
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
