import type { Effect, Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { handoff, type Presenter } from '../../src/core/operation.ts';
import { type markKnown, type setDaily, showVocab } from '../../src/core/vocab.operations.ts';
import { VOCAB_FIELDS, type VocabEntry, type VocabField, type QuizQuestion } from '../../src/core/vocab.ts';
import { vocabQuizFlow } from './vocab-quiz.flow.ts';

const ns = 'vocab';
const say = (...text: Text[]): Effect => ({ type: 'say', text });
const entryLine = (e: VocabEntry) => t(`${ns}:entry`, { fi: e.fi, meaning: e.meaning, example: e.example });
const fieldLabel = (f: VocabField) => t(`${ns}:field.${f}`);

/** Buttons: first what `first` offers, then every field but this one. */
function pick(question: Text, first: { value: string; label: Text }[], except?: VocabField): Effect {
  const fields = VOCAB_FIELDS.filter((f) => f !== except).map((f) => ({ value: f, label: fieldLabel(f) }));
  return {
    type: 'begin',
    flow: 'pick',
    args: { question, options: [...first, ...fields], ...handoff(showVocab, 'choice', {}) },
  };
}

const startQuiz = (quiz: QuizQuestion[]): Effect[] =>
  quiz.length
    ? [{ type: 'begin', flow: vocabQuizFlow.name, args: { questions: quiz } }]
    : [say(t(`${ns}:quiz.none_left`))];

export const presentVocab: Presenter<typeof showVocab> = (r) => {
  switch (r.outcome) {
    case 'usage':
      return [say(t(`${ns}:usage`))];
    case 'quiz':
      return startQuiz(r.quiz);
    case 'all_known':
      return r.canGenerate
        ? [pick(t(`${ns}:all_known`), [{ value: 'next', label: t(`${ns}:next_set`) }], r.field)]
        : [pick(t(`${ns}:no_more`), [], r.field)];
    case 'list': {
      const intro = t(`${ns}:${r.entries.length === 10 ? 'intro' : 'intro_more'}`, { field: fieldLabel(r.field) });
      const list = say(intro, ...r.entries.map(entryLine), ...(r.source === 'ai' ? [t(`${ns}:ai_made`)] : []));
      if (r.unknownField)
        return [list, pick(t(`${ns}:unknown_field`), [{ value: 'quiz', label: t(`${ns}:quiz_these`) }], 'general')];
      return [list, ...startQuiz(r.quiz)];
    }
  }
};

export const presentDaily: Presenter<typeof setDaily> = (r) => {
  switch (r.outcome) {
    case 'on':
      return [say(t(`${ns}:daily.on`, { time: r.localTime }))];
    case 'off':
      return [say(t(`${ns}:daily.off`))];
    case 'already_off':
      return [say(t(`${ns}:daily.already_off`))];
  }
};

/** Her quiz goes on to the next question: a word marked as known needs no answer of its own. */
export const presentKnown: Presenter<typeof markKnown> = () => [];
