import type { z } from 'zod';
import type { Choice, Text } from '../../src/core/flow.ts';
import { literal, t } from '../../src/core/flow.ts';
import { normalise } from '../../src/core/text.ts';
import type { FormData, FormStep } from './form.flow.ts';


const DONE = '_done';
const SKIP = '_skip';


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
 * Several answers from a list: each press toggles one, "Done" moves on.
 * With `freeText`, typed answers (comma separated) are added to the list as well.
 */
export function multiQuestion(opts: {
  field: string;
  ask: Text;
  choices: readonly Choice[];
  min: number;
  tooFew: Text;
  freeText?: { schema: z.ZodType<string, string>; invalid: Text; max: number };
  columns?: number;
}): FormStep {
  const selectedOf = (data: FormData): string[] => (Array.isArray(data[opts.field]) ? (data[opts.field] as string[]) : []);
  return {
    prompt(data) {
      const selected = selectedOf(data);
      const extra = selected.filter((v) => !opts.choices.some((c) => c.value === v));
      const choices: Choice[] = [
        ...opts.choices.map((c) => ({ ...c, selected: selected.includes(c.value) })),
        ...extra.map((v) => ({ value: v, label: literal(v), selected: true })),
        { value: DONE, label: t('common:done') },
      ];
      return { text: [opts.ask], choices, columns: opts.columns ?? 1 };
    },
    answer(input, data) {
      const selected = selectedOf(data);
      if (input.type === 'text') {
        if (!opts.freeText) return { kind: 'invalid', error: t('common:use_buttons') };
        const typed = input.text.split(/[,;\n\u060C\u061B]/).map((s) => s.trim()).filter(Boolean);
        const parsed = typed.map((s) => opts.freeText!.schema.safeParse(s));
        if (!typed.length || parsed.some((p) => !p.success)) return { kind: 'invalid', error: opts.freeText.invalid };
        const merged = [...selected];
        for (const p of parsed) {
          const value = p.data as string;
          const known = opts.choices.find((c) => normalise(c.value) === normalise(value));
          const v = known ? known.value : value;
          if (!merged.some((m) => normalise(m) === normalise(v))) merged.push(v);
        }
        if (merged.length > opts.freeText.max) return { kind: 'invalid', error: opts.freeText.invalid };
        return { kind: 'stay', data: { ...data, [opts.field]: merged } };
      }
      if (input.value === DONE) {
        if (selected.length < opts.min) return { kind: 'invalid', error: opts.tooFew };
        return { kind: 'next', data };
      }
      const known = opts.choices.some((c) => c.value === input.value) || selected.includes(input.value);
      if (!known) return { kind: 'invalid', error: t('common:use_buttons') };
      const toggled = selected.includes(input.value) ? selected.filter((v) => v !== input.value) : [...selected, input.value];
      return { kind: 'stay', data: { ...data, [opts.field]: toggled } };
    },
  };
}
