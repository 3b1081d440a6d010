import { TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import { describe, expect, it } from 'vitest';
import { toInboundEvent, updateKind } from '../../adapters/telegram/inbound.ts';
import { keyboardOf, splitText } from '../../adapters/telegram/outbound.ts';
import { translateError } from '../../adapters/telegram/telegram.adapter.ts';
import { ChannelError, RateLimitedError, ValidationError } from '../../src/core/errors.ts';

const from = { id: 42, is_bot: false, first_name: 'Amira', language_code: 'ar' };
const chat = { id: 42, type: 'private' as const, first_name: 'Amira' };
const msg = (extra: Record<string, unknown>) =>
  ({ update_id: 7, message: { message_id: 1, date: 0, chat, from, ...extra } }) as unknown as Update;

describe('Telegram update -> inbound event', () => {
  it.each([
    ['/start', { type: 'command', name: 'start', args: '' }],
    ['/start mentor-ABC123', { type: 'command', name: 'start', args: 'mentor-ABC123' }],
    ['/Help@womento_bot', { type: 'command', name: 'help', args: '' }],
    ['hello /start', { type: 'text', text: 'hello /start' }],
    ['<b>Anna</b>', { type: 'text', text: '<b>Anna</b>' }],
  ])('%j', (text, payload) => {
    expect(toInboundEvent(msg({ text }))).toEqual({
      id: 'telegram:7',
      identity: 'telegram:42',
      conversationId: 'telegram:42',
      conversationKind: 'private',
      languageHint: 'ar',
      senderName: 'Amira',
      payload,
    });
  });

  it('a group that became a supergroup says where it moved', () => {
    const update = {
      update_id: 10,
      message: {
        message_id: 3,
        date: 0,
        chat: { id: -777, type: 'group', title: 'Cohort 1' },
        from,
        migrate_to_chat_id: -100777,
      },
    } as unknown as Update;
    expect(toInboundEvent(update)?.payload).toEqual({ type: 'group_moved', to: 'telegram:-100777' });
  });

  it('a join request to a group names the group, the person and her own chat', () => {
    const group = { id: -100777, type: 'supergroup', title: 'Cohort 1' };
    const update = {
      update_id: 9,
      chat_join_request: {
        chat: group,
        from,
        user_chat_id: 42,
        date: 0,
        invite_link: { invite_link: 'https://t.me/+x' },
      },
    } as unknown as Update;
    expect(toInboundEvent(update)).toEqual({
      id: 'telegram:9',
      identity: 'telegram:42',
      conversationId: 'telegram:-100777',
      conversationKind: 'group',
      privateConversationId: 'telegram:42',
      languageHint: 'ar',
      payload: { type: 'join_request' },
    });
  });

  it('cuts an over-long text to the platform maximum', () => {
    const event = toInboundEvent(msg({ text: 'x'.repeat(5000) }));
    expect(event?.payload).toEqual({ type: 'text', text: 'x'.repeat(4096) });
  });

  it.each(['sticker', 'photo', 'voice', 'document'])('a %s becomes "unsupported"', (kind) => {
    expect(toInboundEvent(msg({ [kind]: {} }))?.payload).toEqual({ type: 'unsupported', kind });
  });

  it('a button press carries its data and message', () => {
    const update = {
      update_id: 8,
      callback_query: {
        id: 'q',
        from,
        chat_instance: 'c',
        data: 'abc|yes',
        message: { message_id: 55, date: 0, chat },
      },
    } as unknown as Update;
    expect(toInboundEvent(update)?.payload).toEqual({ type: 'button', data: 'abc|yes', messageId: '55' });
  });

  it("answers a press that claims someone else's private chat in the presser's own chat", () => {
    const forged = {
      update_id: 10,
      callback_query: {
        id: 'q',
        from: { ...from, id: 77 },
        chat_instance: 'c',
        data: 'abc|yes',
        message: { message_id: 5, date: 0, chat },
      },
    } as unknown as Update;
    expect(toInboundEvent(forged)).toMatchObject({
      identity: 'telegram:77',
      conversationId: 'telegram:77',
      conversationKind: 'private',
    });
  });

  it('marks group messages and ignores updates it does not use', () => {
    expect(
      toInboundEvent(msg({ text: 'hi', chat: { id: -100, type: 'supergroup', title: 'g' } }))?.conversationKind,
    ).toBe('group');
    expect(toInboundEvent({ update_id: 9, edited_message: {} } as unknown as Update)).toBeNull();
  });
});

describe('outbound', () => {
  it('splits long text at word boundaries within 4096 characters', () => {
    const parts = splitText(`${'word '.repeat(1000)}end`);
    expect(parts.length).toBe(2);
    expect(parts.every((p) => p.length <= 4096)).toBe(true);
    expect(parts.join(' ').replace(/\s+/g, ' ')).toBe(`${'word '.repeat(1000)}end`.replace(/\s+/g, ' '));
  });

  it('never splits inside a surrogate pair', () => {
    const parts = splitText('🌷'.repeat(3000));
    expect(parts.every((p) => !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p))).toBe(true);
    expect(parts.join('')).toBe('🌷'.repeat(3000));
  });

  it('keeps short text whole and renders buttons as an inline keyboard', () => {
    expect(splitText('hei')).toEqual(['hei']);
    expect(keyboardOf({ type: 'choice', text: 'q', rows: [[{ label: 'Yes', data: 'p|yes' }]] })).toEqual({
      inline_keyboard: [[{ text: 'Yes', callback_data: 'p|yes' }]],
    });
  });
});

describe('Bot API errors', () => {
  const err = (error_code: number, description: string, parameters?: object) =>
    new TelegramError({ error_code, description, ...(parameters ? { parameters } : {}) } as never);

  it('translates 429, 403 and 400 into neutral errors', () => {
    const limited = translateError(err(429, 'Too Many Requests: retry after 3', { retry_after: 3 }));
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(3000);
    expect(translateError(err(403, 'Forbidden: bot was blocked by the user'))).toMatchObject({
      code: 'channel_blocked',
    });
    expect(translateError(err(400, 'Bad Request: message is too long'))).toMatchObject({ code: 'channel_bad_request' });
    expect(translateError(new Error('ECONNREFUSED'))).toBeInstanceOf(ChannelError);
  });
});

describe('malformed updates', () => {
  const group = { id: -100, type: 'supergroup', title: 'g' };
  it.each([
    ['a null message', { update_id: 1, message: null }],
    ['a message without from', { update_id: 2, message: { message_id: 1, date: 0, chat, text: 'hi' } }],
    ['a message without chat', { update_id: 3, message: { message_id: 1, date: 0, from, text: 'hi' } }],
    ['a numeric text', { update_id: 4, message: { message_id: 1, date: 0, chat, from, text: 42 } }],
    [
      'a press without from',
      { update_id: 5, callback_query: { id: 'q', data: 'a', message: { message_id: 1, chat } } },
    ],
    ['a press whose message has no chat', { update_id: 6, callback_query: { id: 'q', from, data: 'a', message: {} } }],
    ['a join request without from', { update_id: 7, chat_join_request: { chat: group, user_chat_id: 42 } }],
    ['a sender whose id is text', { update_id: 8, message: { chat, from: { ...from, id: '42' }, text: 'hi' } }],
  ])('%s is refused as a validation error, not a crash', (_, update) => {
    expect(() => toInboundEvent(update as unknown as Update)).toThrow(ValidationError);
  });

  it('names the kind of an update without anything a person wrote', () => {
    expect(updateKind({ update_id: 1, message: { text: 'secret' } })).toBe('message');
    expect(updateKind({ update_id: 1 })).toBe('empty');
    expect(updateKind(null)).toBe('object');
  });

  it('a press on an inline-mode message (no message) is not ours and is ignored', () => {
    const update = { update_id: 9, callback_query: { id: 'q', from, inline_message_id: 'x', data: 'a' } };
    expect(toInboundEvent(update as unknown as Update)).toBeNull();
  });
});
