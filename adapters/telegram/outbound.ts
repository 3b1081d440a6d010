import type { InlineKeyboardMarkup } from 'telegraf/types';
import { MAX_TEXT_LENGTH, type OutboundMessage } from '../../src/core/messages.ts';

/**
 * Splits at paragraph, line or word boundaries so no part exceeds Telegram's 4096 characters
 * (counted in UTF-16 units, the stricter reading), never inside a surrogate pair.
 */
export function splitText(text: string, max = MAX_TEXT_LENGTH): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const head = rest.slice(0, max);
    const cut = Math.max(head.lastIndexOf('\n\n'), head.lastIndexOf('\n'), head.lastIndexOf(' '));
    let at = cut > max / 2 ? cut : max;
    if (/[\uD800-\uDBFF]/.test(rest[at - 1] ?? '')) at -= 1;
    parts.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length || !parts.length) parts.push(rest);
  return parts;
}

export function keyboardOf(message: OutboundMessage): InlineKeyboardMarkup | undefined {
  if (message.type !== 'choice') return undefined;
  return { inline_keyboard: message.rows.map((row) => row.map((b) => ({ text: b.label, callback_data: b.data }))) };
}
