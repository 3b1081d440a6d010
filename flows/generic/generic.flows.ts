import type { Choice, Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { defineForm } from '../form/form.flow.ts';
import { choiceQuestion, multiQuestion, textQuestion } from '../form/questions.ts';
import { z } from 'zod';

/**
 * Small conversations that services start with their data in the args: choose one option, choose
 * several, or write a text; the answer is handed to the named use case as `args[argName]`.
 */
interface Handoff {
  question: Text;
  useCase: string;
  argName: string;
  args?: Record<string, unknown>;
}

const invoke = (h: Handoff, value: unknown) => ({ type: 'invoke' as const, useCase: h.useCase, args: { ...(h.args ?? {}), [h.argName]: value } });

export const pickFlow = defineForm({
  name: 'pick',
  version: 1,
  pausable: false,
  order: ['pick'],
  steps: {
    pick: {
      prompt: (data, ctx) => {
        const h = data as unknown as Handoff & { options: Choice[]; columns?: number };
        return choiceQuestion({ field: 'picked', ask: h.question, choices: h.options, columns: h.columns ?? 1 }).prompt(data, ctx);
      },
      answer(input, data, ctx) {
        const h = data as unknown as Handoff & { options: Choice[] };
        const answer = choiceQuestion({ field: 'picked', ask: h.question, choices: h.options }).answer(input, data, ctx);
        return answer.kind === 'next' ? { kind: 'end', effects: [invoke(h, answer.data.picked)] } : answer;
      },
    },
  },
  begin: (_ctx, args) => ({ step: 'pick', data: { ...args } }),
});

export const pickManyFlow = defineForm({
  name: 'pick-many',
  version: 1,
  pausable: false,
  order: ['pick'],
  steps: {
    pick: {
      prompt: (data, ctx) => question(data).prompt(data, ctx),
      answer(input, data, ctx) {
        const answer = question(data).answer(input, data, ctx);
        return answer.kind === 'next' ? { kind: 'end', effects: [invoke(data as unknown as Handoff, answer.data.picked ?? [])] } : answer;
      },
    },
  },
  begin: (_ctx, args) => ({ step: 'pick', data: { ...args } }),
});

function question(data: Record<string, unknown>) {
  const h = data as unknown as Handoff & { options: Choice[]; min?: number; max?: number };
  return multiQuestion({ field: 'picked', ask: h.question, choices: h.options, min: h.min ?? 1, tooFew: t('common:choose_more', { count: h.min ?? 1 }), columns: 1 });
}

export const askTextFlow = defineForm({
  name: 'ask-text',
  version: 1,
  pausable: false,
  order: ['text'],
  steps: {
    text: {
      prompt: (data, ctx) => textStep(data).prompt(data, ctx),
      answer(input, data, ctx) {
        const answer = textStep(data).answer(input, data, ctx);
        return answer.kind === 'next' ? { kind: 'end', effects: [invoke(data as unknown as Handoff, answer.data.text)] } : answer;
      },
    },
  },
  begin: (_ctx, args) => ({ step: 'text', data: { ...args } }),
});

function textStep(data: Record<string, unknown>) {
  const h = data as unknown as Handoff & { optional?: boolean; max?: number };
  const max = h.max ?? 500;
  return textQuestion({
    field: 'text',
    ask: h.question,
    schema: z.string().trim().min(1).max(max),
    invalid: t('common:text_invalid', { count: max }),
    skippable: Boolean(h.optional),
  });
}
