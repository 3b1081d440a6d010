import { z } from 'zod';
import type { Effect, Text } from '../../src/core/flow.ts';
import { literal, t } from '../../src/core/flow.ts';
import { invoke } from '../../src/core/operation.ts';
import { markKnown } from '../../src/core/vocab.operations.ts';
import type { QuizQuestion } from '../../src/core/vocab.ts';
import { defineForm, type FormData, type FormStep } from '../form/form.flow.ts';

const ns = 'vocab';
const KNOW = 'know';

const Question = z.object({
  word: z.string(),
  direction: z.enum(['fi_to_meaning', 'meaning_to_fi']),
  shown: z.string(),
  choices: z.array(z.string()).min(1).max(4),
  answer: z.number().int().min(0),
});
/** The quiz as kept in her conversation: the questions, where she is, how many she got right. */
const QuizData = z.object({
  questions: z.array(Question).min(1).max(10),
  index: z.number().int().min(0).default(0),
  right: z.number().int().min(0).default(0),
});

const read = (data: FormData) => QuizData.parse(data);

const question: FormStep = {
  prompt(data) {
    const { questions, index } = read(data);
    const q = questions[Math.min(index, questions.length - 1)]!;
    const where = { n: index + 1, total: questions.length };
    const ask =
      q.direction === 'fi_to_meaning'
        ? t(`${ns}:quiz.ask_meaning`, { ...where, word: q.shown })
        : t(`${ns}:quiz.ask_word`, { ...where, meaning: q.shown });
    return {
      text: [ask],
      choices: [
        ...q.choices.map((c, i) => ({ value: `c${i}`, label: literal(c) })),
        { value: KNOW, label: t(`${ns}:quiz.know`) },
      ],
      columns: 1,
    };
  },
  answer(input, data) {
    const quiz = read(data);
    const q = quiz.questions[quiz.index]!;
    const value = input.type === 'choice' ? input.value : undefined;
    const picked = value?.startsWith('c') ? Number(value.slice(1)) : undefined;
    if (value !== KNOW && (picked === undefined || !Number.isInteger(picked) || !q.choices[picked]))
      return { kind: 'invalid', error: t('common:use_buttons') };
    const right = picked === q.answer;
    const meaning = q.direction === 'fi_to_meaning' ? q.choices[q.answer]! : q.shown;
    const feedback: Text =
      value === KNOW
        ? t(`${ns}:quiz.known_noted`)
        : right
          ? t(`${ns}:quiz.right`)
          : t(`${ns}:quiz.wrong`, { word: q.word, meaning });
    // Known at once, so an answer is kept even when she stops halfway.
    const effects: Effect[] = [
      { type: 'say', text: [feedback] },
      ...(right || value === KNOW ? [invoke(markKnown, { words: [q.word] })] : []),
    ];
    const score = quiz.right + (right ? 1 : 0);
    if (quiz.index + 1 >= quiz.questions.length)
      return {
        kind: 'end',
        effects: [
          ...effects,
          { type: 'say', text: [t(`${ns}:quiz.done`, { right: score, total: quiz.questions.length })] },
        ],
      };
    return { kind: 'next', goto: 'q', data: { ...data, index: quiz.index + 1, right: score }, effects };
  },
};

/** Five questions (three in the daily practice) with buttons; each right answer or "I know this" is kept. */
export const vocabQuizFlow = defineForm({
  name: 'vocab-quiz',
  version: 1,
  pausable: false,
  order: ['q'],
  steps: { q: question },
  begin: (_ctx, args) => ({ step: 'q', data: { questions: args.questions as QuizQuestion[], index: 0, right: 0 } }),
});
