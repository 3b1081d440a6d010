import { DateTime } from 'luxon';
import { z } from 'zod';
import { t } from '../../core/flow.ts';
import type { Locale, Participant } from '../../core/model.ts';
import type { AiPort, Logger, OutboxRepository, ParticipantRepository } from '../../core/ports.ts';
import type { DailyOutcome, KnownWords, VocabOutcome } from '../../core/vocab.operations.ts';
import {
  buildQuiz,
  entryFits,
  fieldOf,
  knownKey,
  VOCAB_FIELDS,
  type VocabEntry,
  type VocabField,
  type VocabList,
  type VocabProgress,
  type VocabProgressRepository,
} from '../../core/vocab.ts';
import { type KnownPerson, officersKnown, redact } from '../redactor.ts';
import { AiConsentService } from './ai-consent.service.ts';
import type { Notifier } from './notifier.ts';

/** The curated lists (`locales/<lng>/vocab.json`) and the field keywords of every language. */
export interface CuratedVocab {
  lists: Partial<Record<Locale, Partial<Record<VocabField, VocabEntry[]>>>>;
  keywords: Partial<Record<VocabField, readonly string[]>>;
}

/** What the model answers: checked by zod, then for Finnish and for her personal data. */
export const VocabAnswer = z.object({
  entries: z
    .array(
      z.object({
        fi: z.string().min(1).max(80),
        translation: z.string().min(1).max(160),
        example: z.string().min(1).max(240),
      }),
    )
    .min(1)
    .max(15),
});

const LANGUAGE_NAMES: Record<Locale, string> = {
  en: 'English',
  fi: 'plain, simple Finnish (a short explanation)',
  ru: 'Russian',
  uk: 'Ukrainian',
  ar: 'Arabic',
};
const FIELD_NAMES: Record<VocabField, string> = {
  health: 'health care',
  it: 'information technology',
  teaching: 'teaching and education',
  engineering: 'engineering',
  economics: 'economics and accounting',
  social: 'social work',
  general: 'working life in general',
};
const LIST_SIZE = 10;
const QUIZ_SIZE = 5;
const DAILY_SIZE = 3;
const PLACEHOLDER = /\[(?:ACTOR|MENTOR|PERSON\d+|EMAIL|PHONE|ADDRESS|IBAN|HETU|URL|HANDLE|EMPLOYER)\]/;

const system = [
  'You write Finnish vocabulary lists for immigrant women in Finland who are learning Finnish for work.',
  'Give ten common, correct Finnish words or short phrases of the field named, each with its translation into',
  'the language named and one short, simple Finnish example sentence. Do not use any names of people or places.',
].join(' ');

export interface VocabDeps {
  ai: AiPort;
  participants: ParticipantRepository;
  vocab: VocabProgressRepository;
  outbox: OutboxRepository;
  notifier: Notifier;
  curated: CuratedVocab;
  /** The local hour of the daily practice (17: after a working day, never at night). */
  dailyHour: number;
  logger: Logger;
  random?: () => number;
}

/**
 * /vocab: ten words of her field with a quiz. The list comes from the model when she agreed to AI and the
 * feature is on (only her field and her profession, redacted, and her language are sent), else, and
 * whenever the answer fails or is not Finnish or repeats her data, from the curated lists.
 */
export class VocabService {
  constructor(private readonly d: VocabDeps) {}

  async show(choice: string, me: Participant, now: Date): Promise<VocabOutcome> {
    const progress = (await this.d.vocab.get(me.id)) ?? fresh(me.id, now);
    const known = new Set(progress.known);
    if (choice === 'quiz' || choice === 'daily') {
      const size = choice === 'daily' ? DAILY_SIZE : QUIZ_SIZE;
      const entries = progress.current?.entries ?? this.curatedList(this.fieldFor(me, progress).field, me.locale);
      return { outcome: 'quiz', quiz: buildQuiz(entries, known, size, this.d.random) };
    }
    if (choice !== '' && choice !== 'next' && !isField(choice)) return { outcome: 'usage' };
    if (isField(choice)) progress.field = choice;
    const { field, unknownField } = this.fieldFor(me, progress);
    const current = progress.current;
    const reuse =
      choice === '' && current?.field === field && current.locale === me.locale && unseen(current.entries, known);
    const list = reuse ? current : await this.newList(field, me, known, now);
    const entries = list.entries.filter((e) => !known.has(knownKey(e.fi))).slice(0, LIST_SIZE);
    await this.d.vocab.save({ ...progress, current: list, updatedAt: now });
    if (!entries.length) return { outcome: 'all_known', field, canGenerate: this.aiAllowed(me) && choice !== 'next' };
    return {
      outcome: 'list',
      field,
      source: list.source,
      entries,
      unknownField,
      quiz: buildQuiz(entries, known, QUIZ_SIZE, this.d.random),
    };
  }

  async markKnown(words: readonly string[], me: Participant, now: Date): Promise<KnownWords> {
    const progress = (await this.d.vocab.get(me.id)) ?? fresh(me.id, now);
    const known = [...new Set([...progress.known, ...words.map(knownKey)])];
    await this.d.vocab.save({ ...progress, known, updatedAt: now });
    return { known: known.length };
  }

  async setDaily(on: boolean, me: Participant, now: Date): Promise<DailyOutcome> {
    const progress = (await this.d.vocab.get(me.id)) ?? fresh(me.id, now);
    if (!on) {
      if (!progress.daily) return { outcome: 'already_off' };
      await this.d.vocab.save({
        ...progress,
        daily: false,
        dailyRound: (progress.dailyRound ?? 0) + 1,
        updatedAt: now,
      });
      const cancelled = await this.d.outbox.cancelByKeyPrefix(dailyKeyPrefix(me.id));
      return { outcome: 'off', cancelled };
    }
    const saved = { ...progress, daily: true, updatedAt: now };
    await this.d.vocab.save(saved);
    const at = await this.enqueueDaily(saved, me, now);
    return { outcome: 'on', at, localTime: DateTime.fromJSDate(at, { zone: me.timeZone }).toFormat('HH:mm') };
  }

  /** Hourly: the next practice of everyone who has it on is in the outbox (one a day, by its key). */
  async tick(now: Date): Promise<number> {
    let queued = 0;
    for (const progress of await this.d.vocab.withDaily()) {
      const me = await this.d.participants.findById(progress.id);
      // Only actors still in the programme; someone who left or refused the notice gets nothing.
      if (!me || !isPracticing(me)) continue;
      await this.enqueueDaily(progress, me, now);
      queued++;
    }
    return queued;
  }

  private async enqueueDaily(progress: VocabProgress, me: Participant, now: Date): Promise<Date> {
    const at = nextDailyAt(now, me.timeZone, this.d.dailyHour);
    const day = DateTime.fromJSDate(at, { zone: me.timeZone }).toISODate()!;
    const known = new Set(progress.known);
    const entries = progress.current?.entries ?? this.curatedList(this.fieldFor(me, progress).field, me.locale);
    const open = entries.filter((e) => !known.has(knownKey(e.fi)));
    // A different three each day while she has not learnt them.
    const start = open.length ? (Math.floor(at.getTime() / 86_400_000) * DAILY_SIZE) % open.length : 0;
    const today = [...open.slice(start), ...open.slice(0, start)].slice(0, DAILY_SIZE);
    await this.d.notifier.send(
      {
        key: dailyKey(me.id, day, progress.dailyRound ?? 0),
        recipientId: me.id,
        due: at,
        text: today.length
          ? [t('vocab:daily.title'), ...today.map((e) => t('vocab:entry', { ...e }))]
          : [t('vocab:daily.all_known')],
        ...(today.length
          ? {
              buttons: {
                kind: 'vocab.daily',
                ref: { participantId: me.id },
                choices: [
                  { value: 'quiz', label: t('vocab:daily.quiz') },
                  { value: 'stop', label: t('vocab:daily.stop') },
                ],
                once: false,
                expiresAt: new Date(at.getTime() + 2 * 86_400_000),
              },
            }
          : {}),
      },
      now,
    );
    return at;
  }

  private fieldFor(me: Participant, progress: VocabProgress): { field: VocabField; unknownField: boolean } {
    if (progress.field) return { field: progress.field, unknownField: false };
    const field = fieldOf(me.actor?.profession, this.d.curated.keywords);
    return { field: field ?? 'general', unknownField: !field };
  }

  private curatedList(field: VocabField, locale: Locale): VocabEntry[] {
    return this.d.curated.lists[locale]?.[field] ?? this.d.curated.lists.en?.[field] ?? [];
  }

  private aiAllowed(me: Participant): boolean {
    return this.d.ai.enabled('vocab') && AiConsentService.allowsAi(me, 'vocab');
  }

  private async newList(field: VocabField, me: Participant, known: ReadonlySet<string>, now: Date): Promise<VocabList> {
    const curated = {
      field,
      locale: me.locale,
      source: 'curated' as const,
      entries: this.curatedList(field, me.locale),
      at: now,
    };
    if (!this.aiAllowed(me)) return curated;
    const generated = await this.askModel(field, me, known);
    if (typeof generated === 'string') {
      this.d.logger.info({ participantId: me.id, field, reason: generated }, 'vocab: curated list');
      return curated;
    }
    return { field, locale: me.locale, source: 'ai', entries: generated, at: now };
  }

  /** The model's ten entries, or why they are not used. */
  private async askModel(
    field: VocabField,
    me: Participant,
    known: ReadonlySet<string>,
  ): Promise<VocabEntry[] | string> {
    const person = await this.knownPeople(me);
    const profession = redact(me.actor?.profession ?? '', person);
    if (!profession.ok) return 'unsure';
    const avoid = [...known].slice(-60).join(', ');
    const user = [
      `Field: ${FIELD_NAMES[field]}`,
      ...(profession.text.trim() ? [`Profession: ${profession.text.trim()}`] : []),
      `Translate into: ${LANGUAGE_NAMES[me.locale]}`,
      ...(avoid ? [`She knows already (give other words): ${avoid}`] : []),
    ].join('\n');
    const answer = await this.d.ai.complete({
      feature: 'vocab',
      system,
      user,
      schema: VocabAnswer,
      schemaName: 'finnish_vocabulary',
    });
    if (!answer.ok) return answer.reason;
    const entries = answer.value.entries.map((e) => ({
      fi: e.fi.trim(),
      meaning: e.translation.trim(),
      example: e.example.trim(),
    }));
    if (entries.length < LIST_SIZE) return 'too_few';
    if (!entries.every((e) => entryFits(e, me.locale))) return 'not_finnish';
    if (entries.some((e) => repeats([e.fi, e.meaning, e.example], person))) return 'personal_data';
    return entries.slice(0, LIST_SIZE);
  }

  /** She herself (names, city) and the staff: replaced in what is sent, and looked for in what comes back. */
  private async knownPeople(me: Participant): Promise<KnownPerson[]> {
    return [
      { role: 'actor', names: [me.actor?.firstName, me.displayName], address: me.actor?.city },
      ...(await officersKnown(this.d.participants)),
    ];
  }
}

/** Whether a text of the answer holds what the redactor would have replaced: her names, her city, an e-mail ... */
function repeats(texts: readonly string[], people: readonly KnownPerson[]): boolean {
  const mine = people.filter((p) => p.role === 'actor').map((p) => ({ ...p, names: [...p.names, p.address] }));
  return texts.some((text) => {
    const r = redact(text, mine);
    return !r.ok || (PLACEHOLDER.test(r.text) && !PLACEHOLDER.test(text));
  });
}

const isPracticing = (p: Participant) => p.role === 'actor' && ['waiting', 'paired', 'finished'].includes(p.status);
const isField = (v: string): v is VocabField => (VOCAB_FIELDS as readonly string[]).includes(v);
const unseen = (entries: readonly VocabEntry[], known: ReadonlySet<string>) =>
  entries.some((e) => !known.has(knownKey(e.fi)));
const fresh = (id: string, now: Date): VocabProgress => ({ id, known: [], daily: false, updatedAt: now });
export const dailyKeyPrefix = (participantId: string) => `vocab:daily:${participantId}:`;

/** One message a day per round: off cancels the day's, and on again the same day queues a new one. */
const dailyKey = (participantId: string, day: string, round: number) =>
  `${dailyKeyPrefix(participantId)}${day}${round ? `#${round}` : ''}`;

/** The next daily practice: today at `hour` her time if that is still ahead, else tomorrow. */
export function nextDailyAt(now: Date, timeZone: string, hour: number): Date {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const today = local.set({ hour, minute: 0, second: 0, millisecond: 0 });
  return (today > local ? today : today.plus({ days: 1 })).toJSDate();
}
