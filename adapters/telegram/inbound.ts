import type { Update } from 'telegraf/types';
import { ValidationError } from '../../src/core/errors.ts';
import { MAX_INBOUND_TEXT, type InboundEvent } from '../../src/core/messages.ts';

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/;
const MEDIA = [
  ...['sticker', 'photo', 'voice', 'video', 'video_note', 'audio', 'document', 'animation'],
  ...['location', 'contact', 'poll', 'dice', 'venue'],
] as const;
const KINDS = ['message', 'callback_query', 'chat_join_request'] as const;

/** The update's kind (`message`, `callback_query` ...), safe to log: it carries nothing a person wrote. */
export function updateKind(update: unknown): string {
  if (typeof update !== 'object' || update === null) return typeof update;
  return (
    Object.keys(update)
      .find((k) => k !== 'update_id')
      ?.slice(0, 40) ?? 'empty'
  );
}

type Shape = Record<string, unknown>;
const isObject = (v: unknown): v is Shape => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => Number.isSafeInteger(v);

/** A person or chat as the Bot API names it: an object with an integer id. */
function party(v: unknown, what: string, kind: string): Shape & { id: number } {
  if (!isObject(v) || !isId(v.id)) throw new ValidationError(`${kind} update without a valid ${what}`);
  return v as Shape & { id: number };
}

const optionalString = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * Translates a Telegram update into the neutral model; null for updates the bot does not use.
 * Throws ValidationError for an update of a kind it uses whose shape is not the Bot API's.
 */
/** Telegram's `date` (Unix seconds); a button press has none of its own. */
const sentAtOf = (date: unknown): { sentAt?: number } =>
  Number.isSafeInteger(date) && (date as number) > 0 ? { sentAt: (date as number) * 1000 } : {};

export function toInboundEvent(update: Update): InboundEvent | null {
  const u = update as unknown as Shape;
  if (!isObject(u) || !isId(u.update_id)) throw new ValidationError('update without a valid update_id');
  const id = `telegram:${u.update_id}`;
  const kind = KINDS.find((k) => k in u);
  if (!kind) return null;
  const body = u[kind];
  if (!isObject(body)) throw new ValidationError(`${kind} update without its object`);
  if (kind === 'callback_query') return buttonOf(id, body);
  if (kind === 'chat_join_request') return joinRequestOf(id, body);
  return messageOf(id, body);
}

function buttonOf(id: string, q: Shape): InboundEvent | null {
  const from = party(q.from, 'from', 'callback_query');
  // A press on an inline-mode message has no message, and a game button no data: neither is ours.
  if (q.message === undefined || typeof q.data !== 'string') return null;
  const message = isObject(q.message) ? q.message : undefined;
  if (!message || !isId(message.message_id)) throw new ValidationError('callback_query update without a valid message');
  const chat = party(message.chat, 'chat', 'callback_query');
  const isPrivate = chat.type === 'private';
  const languageHint = optionalString(from.language_code);
  const senderName = optionalString(from.first_name);
  return {
    id,
    identity: `telegram:${from.id}`,
    // In a private chat only its owner can press; a press claiming someone else's chat is answered
    // in the presser's own chat, never in the other person's.
    conversationId: `telegram:${isPrivate ? from.id : chat.id}`,
    conversationKind: isPrivate ? 'private' : 'group',
    ...(isPrivate ? {} : { privateConversationId: `telegram:${from.id}` }),
    ...(languageHint ? { languageHint } : {}),
    ...(senderName !== undefined ? { senderName } : {}),
    payload: { type: 'button', data: q.data, messageId: String(message.message_id) },
  };
}

function joinRequestOf(id: string, r: Shape): InboundEvent {
  const from = party(r.from, 'from', 'chat_join_request');
  const chat = party(r.chat, 'chat', 'chat_join_request');
  if (!isId(r.user_chat_id)) throw new ValidationError('chat_join_request update without a valid user_chat_id');
  const languageHint = optionalString(from.language_code);
  return {
    id,
    identity: `telegram:${from.id}`,
    conversationId: `telegram:${chat.id}`,
    conversationKind: 'group',
    privateConversationId: `telegram:${r.user_chat_id}`,
    ...(languageHint ? { languageHint } : {}),
    ...sentAtOf(r.date),
    payload: { type: 'join_request' },
  };
}

function messageOf(id: string, m: Shape): InboundEvent {
  const from = party(m.from, 'from', 'message');
  const chat = party(m.chat, 'chat', 'message');
  const languageHint = optionalString(from.language_code);
  const senderName = optionalString(from.first_name);
  const base = {
    id,
    identity: `telegram:${from.id}`,
    conversationId: `telegram:${chat.id}`,
    conversationKind: chat.type === 'private' ? ('private' as const) : ('group' as const),
    // A bot's private chat with a user has the user's id: where anything meant for her alone goes.
    ...(chat.type === 'private' ? {} : { privateConversationId: `telegram:${from.id}` }),
    ...(languageHint ? { languageHint } : {}),
    ...(senderName !== undefined ? { senderName } : {}),
    ...sentAtOf(m.date),
  };
  if ('migrate_to_chat_id' in m) {
    if (!isId(m.migrate_to_chat_id)) throw new ValidationError('message update with an invalid migrate_to_chat_id');
    return { ...base, payload: { type: 'group_moved', to: `telegram:${m.migrate_to_chat_id}` } };
  }
  if ('text' in m) {
    if (typeof m.text !== 'string') throw new ValidationError('message update whose text is not a string');
    const text = m.text.slice(0, MAX_INBOUND_TEXT);
    const command = COMMAND.exec(text);
    if (command) {
      return { ...base, payload: { type: 'command', name: command[1]!.toLowerCase(), args: command[2] ?? '' } };
    }
    return { ...base, payload: { type: 'text', text } };
  }
  const kind = MEDIA.find((k) => k in m) ?? 'other';
  return { ...base, payload: { type: 'unsupported', kind } };
}
