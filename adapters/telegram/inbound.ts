import type { Update } from 'telegraf/types';
import { MAX_INBOUND_TEXT, type InboundEvent } from '../../src/core/messages.ts';

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/;
const MEDIA = ['sticker', 'photo', 'voice', 'video', 'video_note', 'audio', 'document', 'animation', 'location', 'contact', 'poll', 'dice', 'venue'] as const;

/** Translates a Telegram update into the neutral model; null for updates the bot does not use. */
export function toInboundEvent(update: Update): InboundEvent | null {
  const id = `telegram:${update.update_id}`;
  if ('callback_query' in update) {
    const q = update.callback_query;
    if (!q.message || !('data' in q) || typeof q.data !== 'string') return null;
    const isPrivate = q.message.chat.type === 'private';
    return {
      id,
      identity: `telegram:${q.from.id}`,
      // In a private chat only its owner can press; a press claiming someone else's chat is answered
      // in the presser's own chat, never in the other person's.
      conversationId: `telegram:${isPrivate ? q.from.id : q.message.chat.id}`,
      conversationKind: isPrivate ? 'private' : 'group',
      ...(isPrivate ? {} : { privateConversationId: `telegram:${q.from.id}` }),
      ...(q.from.language_code ? { languageHint: q.from.language_code } : {}),
      senderName: q.from.first_name,
      payload: { type: 'button', data: q.data, messageId: String(q.message.message_id) },
    };
  }
  if ('chat_join_request' in update) {
    const r = update.chat_join_request;
    return {
      id,
      identity: `telegram:${r.from.id}`,
      conversationId: `telegram:${r.chat.id}`,
      conversationKind: 'group',
      privateConversationId: `telegram:${r.user_chat_id}`,
      ...(r.from.language_code ? { languageHint: r.from.language_code } : {}),
      payload: { type: 'join_request' },
    };
  }
  if (!('message' in update) || !update.message.from) return null;
  const m = update.message;
  const base = {
    id,
    identity: `telegram:${m.from!.id}`,
    conversationId: `telegram:${m.chat.id}`,
    conversationKind: m.chat.type === 'private' ? ('private' as const) : ('group' as const),
    // A bot's private chat with a user has the user's id: where anything meant for her alone goes.
    ...(m.chat.type === 'private' ? {} : { privateConversationId: `telegram:${m.from!.id}` }),
    ...(m.from!.language_code ? { languageHint: m.from!.language_code } : {}),
    senderName: m.from!.first_name,
  };
  if ('migrate_to_chat_id' in m) return { ...base, payload: { type: 'group_moved', to: `telegram:${m.migrate_to_chat_id}` } };
  if ('text' in m) {
    const text = m.text.slice(0, MAX_INBOUND_TEXT);
    const command = COMMAND.exec(text);
    if (command) return { ...base, payload: { type: 'command', name: command[1]!.toLowerCase(), args: command[2] ?? '' } };
    return { ...base, payload: { type: 'text', text } };
  }
  const kind = MEDIA.find((k) => k in m) ?? 'other';
  return { ...base, payload: { type: 'unsupported', kind } };
}
