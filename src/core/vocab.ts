import { z } from 'zod';
import { escapeRegExp } from './text.ts';
import type { Locale } from './model.ts';

/** The fields with a curated word list; `general` (working life) serves anyone whose field is not known. */
export const VOCAB_FIELDS = ['health', 'it', 'teaching', 'engineering', 'economics', 'social', 'general'] as const;
export const VocabField = z.enum(VOCAB_FIELDS);
export type VocabField = z.infer<typeof VocabField>;

/** One Finnish word or phrase: its meaning in her language (plain Finnish for Finnish readers), an example. */
export const VocabEntry = z.object({
  fi: z.string().min(1).max(80),
  meaning: z.string().min(1).max(160),
  example: z.string().min(1).max(240),
});
export type VocabEntry = z.infer<typeof VocabEntry>;

/** The list she was shown last: the daily practice and a repeated /vocab use it without asking the model again. */
export const VocabList = z.object({
  field: VocabField,
  locale: z.string(),
  source: z.enum(['ai', 'curated']),
  entries: z.array(VocabEntry).max(20),
  at: z.date(),
});
export type VocabList = z.infer<typeof VocabList>;

/** Her practice, one document per actor (`id` = her participant id). */
export const VocabProgress = z.object({
  id: z.string(),
  /** Finnish words she answered right or marked as known, lower case. */
  known: z.array(z.string()).default([]),
  /** A field she picked herself; otherwise her profession decides. */
  field: VocabField.optional(),
  current: VocabList.optional(),
  daily: z.boolean().default(false),
  /** How often she switched the daily practice off: a day's message cancelled then can be queued anew. */
  dailyRound: z.number().int().min(0).optional(),
  updatedAt: z.date(),
});
export type VocabProgress = z.infer<typeof VocabProgress>;

export interface VocabProgressRepository {
  get(participantId: string): Promise<VocabProgress | null>;
  save(progress: VocabProgress): Promise<void>;
  /** Everyone with the daily practice on (the daily job; a scan, once an hour). */
  withDaily(): Promise<VocabProgress[]>;
}

/** A quiz question: a Finnish word to pick the meaning of, or a meaning to pick the Finnish word of. */
export interface QuizQuestion {
  /** The Finnish word asked about: what is stored as known. */
  word: string;
  direction: 'fi_to_meaning' | 'meaning_to_fi';
  /** What is shown in the question. */
  shown: string;
  choices: string[];
  /** Index of the right choice. */
  answer: number;
}

export const knownKey = (word: string) => word.normalize('NFC').trim().toLocaleLowerCase('fi');

const ARABIC_PREFIX = '(?:ال|[وفبلك])?';
const ARABIC = /\p{Script=Arabic}/u;

/**
 * Her field from her profession, written in any language: each field's keywords of every language are
 * tried at the start of a word (short ones as whole words); the field with most hits wins, ties in list order.
 */
export function fieldOf(
  profession: string | undefined,
  keywords: Partial<Record<VocabField, readonly string[]>>,
): VocabField | undefined {
  const text = (profession ?? '').normalize('NFC').toLocaleLowerCase();
  if (!text.trim()) return undefined;
  let best: { field: VocabField; hits: number } | undefined;
  for (const field of VOCAB_FIELDS) {
    const hits = (keywords[field] ?? []).filter((k) => keywordPattern(k).test(text)).length;
    if (hits && (!best || hits > best.hits)) best = { field, hits };
  }
  return best?.field;
}

function keywordPattern(keyword: string): RegExp {
  const k = escapeRegExp(keyword.normalize('NFC').toLocaleLowerCase().trim());
  const prefix = ARABIC.test(keyword) ? ARABIC_PREFIX : '';
  const end = keyword.trim().length <= 3 ? '(?![\\p{L}])' : '';
  return new RegExp(`(?<![\\p{L}])${prefix}${k}${end}`, 'u');
}

/** Words English has and Finnish never: an "example" made of these is not Finnish. */
const ENGLISH = new Set(['the', 'and', 'of', 'is', 'are', 'to', 'with', 'you', 'for', 'this', 'that', 'in', 'be']);
const FINNISH_LETTERS = /^[a-zåäöšž]$/u;
const FOREIGN_CLUSTER = /th|sh|ch|ph|ck|gh|w|q|x|z|c/u;
const FINNISH_END = /(?:[aeiouyäö]|[nstlr])$/u;

/**
 * A simple check that a text is Finnish: only letters of the Finnish alphabet (no Cyrillic, Arabic, ...),
 * no English function words, and most words free of foreign letter clusters and ending as Finnish words do.
 */
export function looksFinnish(text: string): boolean {
  const s = text.normalize('NFC').trim().toLocaleLowerCase('fi');
  const letters = s.match(/\p{L}/gu) ?? [];
  if (!letters.length || letters.some((ch) => !FINNISH_LETTERS.test(ch))) return false;
  const words = s.match(/\p{L}+/gu) ?? [];
  if (words.some((w) => ENGLISH.has(w))) return false;
  const finnish = words.filter((w) => FINNISH_END.test(w) && !FOREIGN_CLUSTER.test(w)).length;
  return finnish / words.length >= 0.75;
}

/** Whether a meaning is written in the script of her language: Arabic, Cyrillic, or Latin (Finnish: Finnish). */
export function inScriptOf(text: string, locale: Locale): boolean {
  const letters = text.normalize('NFC').match(/\p{L}/gu) ?? [];
  if (!letters.length) return false;
  if (locale === 'fi') return looksFinnish(text);
  const script =
    locale === 'ar' ? /\p{Script=Arabic}/u : locale === 'en' ? /\p{Script=Latin}/u : /\p{Script=Cyrillic}/u;
  return letters.filter((ch) => script.test(ch)).length / letters.length >= 0.8;
}

/** An entry fit to show her: Finnish where Finnish is expected, her language for the meaning. */
export function entryFits(entry: VocabEntry, locale: Locale): boolean {
  return looksFinnish(entry.fi) && looksFinnish(entry.example) && inScriptOf(entry.meaning, locale);
}

/**
 * Up to `count` questions about words she does not know yet, alternating the direction; each with the
 * right answer and up to three others of the same list, shuffled by `random` (tests pass their own).
 */
export function buildQuiz(
  entries: readonly VocabEntry[],
  known: ReadonlySet<string>,
  count: number,
  random: () => number = Math.random,
): QuizQuestion[] {
  const unknown = shuffle(
    entries.filter((e) => !known.has(knownKey(e.fi))),
    random,
  ).slice(0, count);
  return unknown.map((entry, i) => {
    const direction = i % 2 === 0 ? 'fi_to_meaning' : 'meaning_to_fi';
    const side = (e: VocabEntry) => (direction === 'fi_to_meaning' ? e.meaning : e.fi);
    const others = shuffle(
      entries.filter((e) => e !== entry && side(e) !== side(entry)),
      random,
    ).slice(0, 3);
    const choices = shuffle([side(entry), ...new Set(others.map(side))], random);
    return {
      word: entry.fi,
      direction,
      shown: direction === 'fi_to_meaning' ? entry.fi : entry.meaning,
      choices,
      answer: choices.indexOf(side(entry)),
    };
  });
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
