import { z } from 'zod';
import { literal, t } from '../../src/core/flow.ts';
import { invoke } from '../../src/core/operation.ts';
import { answerFinalSurvey } from '../../src/core/operations.ts';
import { SURVEY_CHANGES } from '../../src/core/programme.ts';
import { defineForm, finishing, type FormStep } from '../form/form.flow.ts';
import { choiceQuestion, multiQuestion, textQuestion } from '../form/questions.ts';
import { strings } from '../form/values.ts';

const ns = 'completion';
const scale = (field: string, ask: string) =>
  choiceQuestion({
    field,
    ask: t(`${ns}:${ask}`),
    choices: ['1', '2', '3', '4', '5'].map((v) => ({ value: v, label: literal(v) })),
    columns: 5,
    parse: Number,
  });
const yesNo = (field: string, ask: (role: string) => string): FormStep => {
  const build = (role: string) =>
    choiceQuestion({
      field,
      ask: t(`${ns}:${ask(role)}`),
      choices: [
        { value: 'yes', label: t(`${ns}:yes`) },
        { value: 'no', label: t(`${ns}:no`) },
      ],
      columns: 2,
      parse: (v) => v === 'yes',
    });
  return {
    prompt: (d, c) => build(String(d.role)).prompt(d, c),
    answer: (i, d, c) => build(String(d.role)).answer(i, d, c),
  };
};

/** A mentor is not asked the actor's outcomes: after the rating she goes straight to "would you mentor again". */
const rating = scale('rating', 'rating_ask');
const ratingStep: FormStep = {
  prompt: rating.prompt,
  answer(input, data, ctx) {
    const a = rating.answer(input, data, ctx);
    return a.kind === 'next' && data.role === 'mentor' ? { ...a, goto: 'mentor' } : a;
  },
};

/**
 * The final survey at a pair's planned end: how it went (1-5); for the actor what changed (CV,
 * applications, interviews, a job or traineeship, studies, networks) and her confidence in Finnish
 * (1-5); would she mentor (again), would she recommend it; an optional note.
 */
export const finalSurveyFlow = defineForm({
  name: 'final-survey',
  version: 1,
  pausable: true,
  order: ['rating', 'changed', 'finnish', 'mentor', 'recommend', 'note'],
  steps: {
    rating: ratingStep,
    changed: multiQuestion({
      field: 'changed',
      ask: t(`${ns}:changed_ask`),
      choices: SURVEY_CHANGES.map((v) => ({ value: v, label: t(`${ns}:changed.${v}`) })),
      min: 0,
      tooFew: t(`${ns}:changed_ask`),
    }),
    finnish: scale('finnishConfidence', 'finnish_ask'),
    mentor: yesNo('wouldMentor', (role) => (role === 'mentor' ? 'mentor_again_ask' : 'become_mentor_ask')),
    recommend: yesNo('wouldRecommend', () => 'recommend_ask'),
    note: finishing(
      textQuestion({
        field: 'note',
        ask: t(`${ns}:note_ask`),
        schema: z.string().trim().min(1).max(1000),
        invalid: t('common:text_invalid', { count: 1000 }),
        skippable: true,
      }),
      (d) => [
        invoke(answerFinalSurvey, {
          surveyId: String(d.surveyId),
          rating: Number(d.rating),
          changed: strings(d.changed),
          ...(typeof d.finnishConfidence === 'number' ? { finnishConfidence: d.finnishConfidence } : {}),
          wouldMentor: d.wouldMentor === true,
          wouldRecommend: d.wouldRecommend === true,
          ...(d.note ? { note: String(d.note) } : {}),
        }),
      ],
    ),
  },
  begin: (_ctx, args) => ({
    step: 'rating',
    data: { surveyId: args.surveyId, role: args.role === 'mentor' ? 'mentor' : 'actor' },
  }),
});
