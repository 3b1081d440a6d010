import type { z } from 'zod';
import type { Choice, Text } from '../../src/core/flow.ts';
import { literal, t } from '../../src/core/flow.ts';
import { normalise } from '../../src/core/text.ts';
import type { FormData, FormStep } from './form.flow.ts';

const DONE = '_done';
const SKIP = '_skip';
const OTHER = '_other';

/** A free-text answer checked by a zod schema; optional buttons offer common answers. */
export function textQuestion(opts: {
  field: string;
  ask: Text;
  schema: z.ZodType<unknown, string>;
  invalid: Text;
  suggestions?: readonly Choice[];
  skippable?: boolean;
  columns?: number;
}): FormStep {
  const choices = [...(opts.suggestions ?? []), ...(opts.skippable ? [{ value: SKIP, label: t('common:skip') }] : [])];
  return {
    prompt: () => ({ text: [opts.ask], ...(choices.length ? { choices, columns: opts.columns ?? 2 } : {}) }),
    answer(input, data) {
      if (input.type === 'choice') {
        if (input.value === SKIP && opts.skippable) {
          const { [opts.field]: _removed, ...rest } = data;
          return { kind: 'next', data: rest };
        }
        const picked = choices.find((c) => c.value === input.value);
        if (!picked) return { kind: 'invalid', error: opts.invalid };
        return { kind: 'next', data: { ...data, [opts.field]: picked.value } };
      }
      const parsed = opts.schema.safeParse(input.text);
      if (!parsed.success) return { kind: 'invalid', error: opts.invalid };
      return { kind: 'next', data: { ...data, [opts.field]: parsed.data } };
    },
  };
}

/** One answer from a fixed list. `parse` turns a stored button value into the stored field value. */
export function choiceQuestion(opts: {
  field: string;
  ask: Text | Text[];
  choices: readonly Choice[];
  invalid?: Text;
  columns?: number;
  parse?: (value: string) => unknown;
}): FormStep {
  const text = Array.isArray(opts.ask) ? opts.ask : [opts.ask];
  return {
    prompt: () => ({ text, choices: [...opts.choices], columns: opts.columns ?? 1 }),
    answer(input, data) {
      const value = input.type === 'choice' ? input.value : undefined;
      if (value === undefined || !opts.choices.some((c) => c.value === value)) {
        return { kind: 'invalid', error: opts.invalid ?? t('common:use_buttons') };
      }
      return { kind: 'next', data: { ...data, [opts.field]: opts.parse ? opts.parse(value) : value } };
    },
  };
}

/**
 * Several answers from a list: each press toggles one, "Done" moves on. With `freeText`, typed answers
 * (comma separated) are added too; they are listed under the question rather than made buttons, so "Done"
 * keeps its place (and number) last, and a long answer of her own never has to fit in a button.
 * `other` adds an "Other" button that asks her to write her own.
 */
export function multiQuestion(opts: {
  field: string;
  ask: Text;
  choices: readonly Choice[];
  min: number;
  tooFew: Text;
  freeText?: { schema: z.ZodType<string, string>; invalid: Text; max: number };
  other?: { label: Text; hint: Text };
  columns?: number;
}): FormStep {
  const selectedOf = (data: FormData): string[] =>
    Array.isArray(data[opts.field]) ? (data[opts.field] as string[]) : [];
  const listed = (v: string) => opts.choices.some((c) => c.value === v);
  const own = (data: FormData) => selectedOf(data).filter((v) => !listed(v));
  return {
    prompt(data) {
      const selected = selectedOf(data);
      const extra = own(data);
      const choices: Choice[] = [
        ...opts.choices.map((c) => ({ ...c, selected: selected.includes(c.value) })),
        ...(opts.other ? [{ value: OTHER, label: opts.other.label }] : []),
        { value: DONE, label: t('common:done') },
      ];
      const text = [opts.ask, ...(extra.length ? [t('common:own_answers', { value: extra.map(literal) })] : [])];
      return { text, choices, columns: opts.columns ?? 1 };
    },
    answer(input, data) {
      const selected = selectedOf(data);
      if (input.type === 'text') {
        if (!opts.freeText) return { kind: 'invalid', error: t('common:use_buttons') };
        const typed = input.text
          .split(/[,;\n\u060C\u061B]/)
          .map((s) => s.trim())
          .filter(Boolean);
        const parsed = typed.map((s) => opts.freeText!.schema.safeParse(s));
        if (!typed.length || parsed.some((p) => !p.success)) return { kind: 'invalid', error: opts.freeText.invalid };
        let merged = [...selected];
        const added: string[] = [];
        const removed: string[] = [];
        for (const p of parsed) {
          const value = p.data as string;
          const known = opts.choices.find((c) => normalise(c.value) === normalise(value));
          const mine = merged.find((m) => !listed(m) && normalise(m) === normalise(value));
          // Writing one of her own answers again takes it away: it has no button to untick.
          if (mine) {
            merged = merged.filter((m) => m !== mine);
            removed.push(mine);
          } else if (!merged.some((m) => normalise(m) === normalise(known?.value ?? value))) {
            merged.push(known ? known.value : value);
            added.push(value);
          }
        }
        if (merged.length > opts.freeText.max) return { kind: 'invalid', error: opts.freeText.invalid };
        const notice = [
          ...(added.length ? [t('common:added', { value: added.map(literal) })] : []),
          ...(removed.length ? [t('common:removed', { value: removed.map(literal) })] : []),
        ];
        return {
          kind: 'stay',
          data: { ...data, [opts.field]: merged },
          notice: notice.length ? notice : [t('common:already_chosen')],
        };
      }
      if (input.value === OTHER && opts.other) return { kind: 'hint', text: opts.other.hint };
      if (input.value === DONE) {
        if (selected.length < opts.min) return { kind: 'invalid', error: opts.tooFew };
        return { kind: 'next', data };
      }
      const known = listed(input.value) || selected.includes(input.value);
      if (!known) return { kind: 'invalid', error: t('common:use_buttons') };
      const toggled = selected.includes(input.value)
        ? selected.filter((v) => v !== input.value)
        : [...selected, input.value];
      return { kind: 'stay', data: { ...data, [opts.field]: toggled } };
    },
  };
}
