import { z } from 'zod';
import type { Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import type { FormData, FormStep } from '../form/form.flow.ts';
import { defineForm, finishing, fromData } from '../form/form.flow.ts';
import { choiceQuestion, multiQuestion, textQuestion } from '../form/questions.ts';

/**
 * Small conversations that services start with their data in the args: choose one option, choose
 * several, or write a text; the answer is handed to the named use case as `args[argName]`.
 */
const TextSchema: z.ZodType<Text> = z.union([
  z.object({ literal: z.string() }),
  z.object({ key: z.string(), params: z.record(z.string(), z.any()).optional() }),
]) as z.ZodType<Text>;

/** What a service hands these flows (see `handoff` in src/core/operation.ts), parsed where it is read. */
const Handoff = z.object({
  question: TextSchema,
  useCase: z.string(),
  argName: z.string(),
  args: z.record(z.string(), z.unknown()).optional(),
  options: z.array(z.object({ value: z.string(), label: TextSchema, selected: z.boolean().optional() })).default([]),
  columns: z.number().optional(),
  min: z.number().optional(),
  optional: z.boolean().optional(),
  max: z.number().optional(),
});
type Handoff = z.infer<typeof Handoff>;

const handoff = (data: FormData): Handoff => Handoff.parse(data);

/** A one-question form: its question is built from the args, its answer goes to the use case. */
function oneQuestion(name: string, question: (h: Handoff) => FormStep, answerField: string, empty?: unknown) {
  return defineForm({
    name,
    version: 2,
    pausable: false,
    order: ['ask'],
    steps: {
      ask: finishing(
        fromData((data) => question(handoff(data))),
        (data) => {
          const h = handoff(data);
          return [
            {
              type: 'invoke',
              operation: h.useCase,
              args: { ...(h.args ?? {}), [h.argName]: data[answerField] ?? empty },
            },
          ];
        },
      ),
    },
    begin: (_ctx, args) => ({ step: 'ask', data: { ...args } }),
  });
}

export const pickFlow = oneQuestion(
  'pick',
  (h) => choiceQuestion({ field: 'picked', ask: h.question, choices: h.options, columns: h.columns ?? 1 }),
  'picked',
);

export const pickManyFlow = oneQuestion(
  'pick-many',
  (h) =>
    multiQuestion({
      field: 'picked',
      ask: h.question,
      choices: h.options,
      min: h.min ?? 1,
      tooFew: t('common:choose_more', { count: h.min ?? 1 }),
      columns: 1,
    }),
  'picked',
  [],
);

export const askTextFlow = oneQuestion(
  'ask-text',
  (h) =>
    textQuestion({
      field: 'text',
      ask: h.question,
      schema: z
        .string()
        .trim()
        .min(1)
        .max(h.max ?? 500),
      invalid: t('common:text_invalid', { count: h.max ?? 500 }),
      skippable: Boolean(h.optional),
    }),
  'text',
);
