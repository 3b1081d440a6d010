import type { Prompt, Text } from '../core/flow.ts';
import type { OutboundMessage } from '../core/messages.ts';
import type { Locale } from '../core/model.ts';
import type { Translator } from './i18n.ts';
import { normalise } from '../core/text.ts';

/** Telegram's callback_data limit; the strictest of the platforms. */
export const MAX_BUTTON_DATA_BYTES = 64;
const SELECTED = '✅ ';

export const buttonData = (promptId: string, value: string): string => {
  const data = `${promptId}|${value}`;
  if (Buffer.byteLength(data, 'utf8') > MAX_BUTTON_DATA_BYTES) throw new Error(`button data too long: ${value}`);
  return data;
};

export function parseButtonData(data: string): { promptId: string; value: string } | null {
  const bar = data.indexOf('|');
  if (bar <= 0 || Buffer.byteLength(data, 'utf8') > MAX_BUTTON_DATA_BYTES) return null;
  return { promptId: data.slice(0, bar), value: data.slice(bar + 1) };
}

export function renderTexts(texts: readonly Text[], locale: Locale, i18n: Translator): string {
  return texts.map((x) => i18n.render(x, locale)).join('\n\n');
}

/** `repeated`: the same question asked again (after a mistake or a /help), so its intro is not read out again. */
export function renderPrompt(
  prompt: Prompt,
  promptId: string,
  locale: Locale,
  i18n: Translator,
  repeated = false,
): OutboundMessage {
  const text = renderTexts([...(repeated ? [] : (prompt.intro ?? [])), ...prompt.text], locale, i18n);
  if (!prompt.choices?.length) return { type: 'text', text };
  const columns = prompt.columns ?? 1;
  const buttons = prompt.choices.map((c) => ({
    label: (c.selected ? SELECTED : '') + i18n.render(c.label, locale),
    data: buttonData(promptId, c.value),
  }));
  const rows = [];
  for (let i = 0; i < buttons.length; i += columns) rows.push(buttons.slice(i, i + columns));
  return { type: 'choice', text, rows };
}

/** A typed answer that reads like one of the buttons counts as pressing it. */
export function choiceForTypedText(
  prompt: Prompt,
  typed: string,
  locale: Locale,
  i18n: Translator,
): string | undefined {
  const wanted = normalise(typed.replace(SELECTED, ''));
  return prompt.choices?.find(
    (c) =>
      normalise(i18n.render(c.label, locale).replace(/[\u2068\u2069]/g, '')) === wanted ||
      normalise(c.value) === wanted,
  )?.value;
}
