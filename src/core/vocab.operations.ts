import { z } from 'zod';
import { returning } from './operation.ts';
import type { QuizQuestion, VocabEntry, VocabField } from './vocab.ts';

/** Finnish vocabulary practice for actors: a list of her field, a quiz, known words, a daily practice. */
const Short = z.string().max(200);

export type VocabOutcome =
  | {
      outcome: 'list';
      field: VocabField;
      source: 'ai' | 'curated';
      entries: VocabEntry[];
      /** Her profession named no field we know: the general list, and she may pick one. */
      unknownField: boolean;
      quiz: QuizQuestion[];
    }
  /** The quiz of the list she has, without showing it again. */
  | { outcome: 'quiz'; quiz: QuizQuestion[] }
  /** She knows every word of the list: new words (from the model) or another field. */
  | { outcome: 'all_known'; field: VocabField; canGenerate: boolean }
  | { outcome: 'usage' };

/** `choice`: '' (her field), `next` (new words), `quiz` (a quiz on the list she has) or a field's name. */
export const showVocab = returning<VocabOutcome>()('vocab.show', z.object({ choice: Short.default('') }), ['actor']);

/** Words she answered right or marked as known: not asked again. The result: how many she knows now in all. */
export type KnownWords = { known: number };
export const markKnown = returning<KnownWords>()(
  'vocab.known',
  z.object({ words: z.array(z.string().max(80)).max(20) }),
  ['actor'],
);

export type DailyOutcome =
  | { outcome: 'on'; at: Date /** `17:00` in her zone. */; localTime: string }
  | { outcome: 'off'; cancelled: number }
  | { outcome: 'already_off' };
export const setDaily = returning<DailyOutcome>()('vocab.daily', z.object({ on: z.boolean() }), ['actor']);

export const VOCAB_OPERATIONS = [showVocab, markKnown, setDaily] as const;
