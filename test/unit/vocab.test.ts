import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/app.ts';
import { LOCALES } from '../../src/core/model.ts';
import { buildQuiz, entryFits, fieldOf, looksFinnish, VOCAB_FIELDS, type QuizQuestion } from '../../src/core/vocab.ts';
import { loadResources } from '../../src/engine/i18n.ts';
import { nextDailyAt } from '../../src/services/programme/vocab.service.ts';
import { curatedVocab } from '../../src/services/programme/vocab.curated.ts';
import { vocabQuizFlow } from '../../flows/vocab/vocab-quiz.flow.ts';
import { ctx, drive, keyOf, type Step } from '../support/flow-driver.ts';

const curated = curatedVocab(loadResources(join(PROJECT_ROOT, 'locales')));

/** A fixed sequence in place of Math.random, so a quiz is the same every run. */
const seeded = (seed = 7) => {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return (s - 1) / 2147483646;
  };
};

describe('her field from her profession, in any language', () => {
  it.each([
    ['Nurse', 'health'],
    ['registered nurse (10 years)', 'health'],
    ['Sairaanhoitaja', 'health'],
    ['lähihoitaja', 'health'],
    ['ممرضة', 'health'],
    ['الممرضة في مستشفى', 'health'],
    ['Медсестра', 'health'],
    ['лікар-педіатр', 'health'],
    ['Software engineer', 'it'],
    ['IT-tukihenkilö', 'it'],
    ['Програміст', 'it'],
    ['مبرمجة', 'it'],
    ['Mechanical engineer', 'engineering'],
    ['Инженер-строитель', 'engineering'],
    ['Kirjanpitäjä', 'economics'],
    ['бухгалтер', 'economics'],
    ['محاسبة', 'economics'],
    ['Учитель математики', 'teaching'],
    ['luokanopettaja', 'teaching'],
    ['معلمة', 'teaching'],
    ['Social worker', 'social'],
    ['sosionomi', 'social'],
    ['соціальний працівник', 'social'],
    ['أخصائية اجتماعية', 'social'],
  ])('%s -> %s', (profession, field) => {
    expect(fieldOf(profession, curated.keywords)).toBe(field);
  });

  it.each(['Artist', 'florist', '', '   ', 'Italian chef'])('"%s": no field (the general list serves)', (p) => {
    expect(fieldOf(p, curated.keywords)).toBeUndefined();
  });
});

describe('the Finnish check', () => {
  it.each([
    'sairaanhoitaja',
    'Potilas odottaa lääkäriä.',
    'Oppitunti kestää 45 minuuttia.',
    'työhaastattelu',
    'Onko sinulla kipua?',
  ])('"%s" looks Finnish', (text) => expect(looksFinnish(text)).toBe(true));

  it.each([
    'The nurse gives the patient medicine.',
    'Hello world',
    'медсестра',
    'ممرضة',
    'Krankenschwester',
    'nurse and doctor',
    '',
    '123',
    'sairaanhoitaja медсестра',
  ])('"%s" does not', (text) => expect(looksFinnish(text)).toBe(false));
});

describe('the curated lists', () => {
  const finnishWords = (field: (typeof VOCAB_FIELDS)[number]) => curated.lists.fi?.[field]?.map((e) => e.fi);

  it.each(VOCAB_FIELDS)('%s: at least ten entries, the same words in every language, each fit to show', (field) => {
    const words = finnishWords(field)!;
    expect(words.length).toBeGreaterThanOrEqual(10);
    for (const lng of LOCALES) {
      const list = curated.lists[lng]?.[field] ?? [];
      expect(
        list.map((e) => e.fi),
        lng,
      ).toEqual(words);
      for (const entry of list) {
        expect(entry.meaning.trim(), `${lng} ${field} ${entry.fi}`).not.toBe('');
        expect(entry.example.trim(), `${field} ${entry.fi}: example`).not.toBe('');
        // The same check the model's answers get: Finnish word and example, the meaning in her script.
        expect(entryFits(entry, lng), `${lng} ${field} ${entry.fi}: ${entry.meaning}`).toBe(true);
      }
    }
  });

  it('no Finnish word is in two lists (a known word is known everywhere)', () => {
    const all = VOCAB_FIELDS.flatMap(finnishWords);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('a quiz', () => {
  const entries = curated.lists.en!.health!;

  it('asks only words she does not know, alternating the direction, with the right answer among 3-4 choices', () => {
    const known = new Set(['sairaanhoitaja', 'potilas', 'lääke']);
    const quiz = buildQuiz(entries, known, 5, seeded());
    expect(quiz).toHaveLength(5);
    expect(quiz.map((q) => q.direction)).toEqual([
      'fi_to_meaning',
      'meaning_to_fi',
      'fi_to_meaning',
      'meaning_to_fi',
      'fi_to_meaning',
    ]);
    for (const q of quiz) {
      expect(known.has(q.word)).toBe(false);
      const entry = entries.find((e) => e.fi === q.word)!;
      expect(q.choices.length).toBeGreaterThanOrEqual(3);
      expect(q.choices.length).toBeLessThanOrEqual(4);
      expect(new Set(q.choices).size).toBe(q.choices.length);
      expect(q.choices[q.answer]).toBe(q.direction === 'fi_to_meaning' ? entry.meaning : entry.fi);
      expect(q.shown).toBe(q.direction === 'fi_to_meaning' ? entry.fi : entry.meaning);
    }
  });

  it('is shorter when she knows nearly all, and empty when she knows all', () => {
    const all = new Set(entries.map((e) => e.fi));
    expect(buildQuiz(entries, all, 5)).toEqual([]);
    all.delete('kipu');
    expect(buildQuiz(entries, all, 5).map((q) => q.word)).toEqual(['kipu']);
  });
});

describe('the quiz flow', () => {
  const questions: QuizQuestion[] = [
    { word: 'potilas', direction: 'fi_to_meaning', shown: 'potilas', choices: ['nurse', 'patient', 'pain'], answer: 1 },
    { word: 'kipu', direction: 'meaning_to_fi', shown: 'pain', choices: ['kipu', 'lääke', 'vuoro'], answer: 0 },
    { word: 'vuoro', direction: 'fi_to_meaning', shown: 'vuoro', choices: ['shift', 'medicine', 'pain'], answer: 0 },
  ];
  const known = (effects: ReturnType<typeof drive>['effects']) =>
    effects.flatMap((e) => (e.type === 'invoke' && e.operation === 'vocab.known' ? (e.args.words as string[]) : []));
  const keys = (effects: ReturnType<typeof drive>['effects']) =>
    effects.flatMap((e) => (e.type === 'say' ? e.text.map(keyOf) : []));

  it.each<{ name: string; answers: Step[]; said: string[]; known: string[]; done?: Record<string, number> }>([
    {
      name: 'all right',
      answers: [{ choice: 'c1' }, { choice: 'c0' }, { choice: 'c0' }],
      said: ['vocab:quiz.right', 'vocab:quiz.right', 'vocab:quiz.right', 'vocab:quiz.done'],
      known: ['potilas', 'kipu', 'vuoro'],
      done: { right: 3, total: 3 },
    },
    {
      name: 'one wrong: not stored, the right meaning told',
      answers: [{ choice: 'c0' }, { choice: 'c0' }, { choice: 'c0' }],
      said: ['vocab:quiz.wrong', 'vocab:quiz.right', 'vocab:quiz.right', 'vocab:quiz.done'],
      known: ['kipu', 'vuoro'],
      done: { right: 2, total: 3 },
    },
    {
      name: '"I know this" is stored, but not counted as answered',
      answers: [{ choice: 'know' }, { choice: 'c2' }, { choice: 'know' }],
      said: ['vocab:quiz.known_noted', 'vocab:quiz.wrong', 'vocab:quiz.known_noted', 'vocab:quiz.done'],
      known: ['potilas', 'vuoro'],
      done: { right: 0, total: 3 },
    },
    {
      name: 'typed text or a forged button: the buttons, and the same question',
      answers: [{ text: 'patient' }, { choice: 'c9' }, { choice: 'c1' }],
      said: ['common:use_buttons', 'common:use_buttons', 'vocab:quiz.right'],
      known: ['potilas'],
    },
  ])('$name', ({ answers, said, known: words, done }) => {
    const run = drive(vocabQuizFlow, answers, ctx(), { questions });
    expect(keys(run.effects)).toEqual(said);
    expect(known(run.effects)).toEqual(words);
    if (done) {
      expect(run.state).toBeNull();
      const last = run.effects.at(-1);
      expect(last?.type === 'say' && last.text[0]).toEqual({ key: 'vocab:quiz.done', params: done });
    } else expect(run.state?.data.index).toBe(1);
  });

  it('asks each question with its choices and "I know this"', () => {
    const run = drive(vocabQuizFlow, [{ choice: 'c1' }], ctx(), { questions });
    const prompt = vocabQuizFlow.prompt(run.state!, ctx());
    expect(prompt.text).toEqual([{ key: 'vocab:quiz.ask_word', params: { n: 2, total: 3, meaning: 'pain' } }]);
    expect(prompt.choices?.map((c) => keyOf(c.label))).toEqual(['kipu', 'lääke', 'vuoro', 'vocab:quiz.know']);
  });
});

describe('the daily practice time', () => {
  it.each([
    ['2027-03-01T10:00:00Z', 'Europe/Helsinki', '2027-03-01T15:00:00.000Z'],
    ['2027-03-01T15:30:00Z', 'Europe/Helsinki', '2027-03-02T15:00:00.000Z'],
    ['2027-07-01T03:00:00Z', 'Europe/Helsinki', '2027-07-01T14:00:00.000Z'],
    ['2027-03-01T10:00:00Z', 'Asia/Baghdad', '2027-03-01T14:00:00.000Z'],
  ])('from %s in %s: %s (17:00 her time)', (now, zone, want) => {
    expect(nextDailyAt(new Date(now), zone, 17).toISOString()).toBe(want);
  });
});
