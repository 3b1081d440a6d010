import { z } from 'zod';
import { escapeRegExp } from '../../core/text.ts';
import type { Locale, Participant } from '../../core/model.ts';
import type {
  AiFailure,
  AiPort,
  CheckInRepository,
  Logger,
  PairRepository,
  ParticipantRepository,
  RecordStore,
  TimelineRepository,
} from '../../core/ports.ts';
import { type CheckIn, type Pair, TRIAGE_TOPICS, type Triage, TriageRisk } from '../../core/programme.ts';
import { type KnownPerson, officersKnown, redact, restoreNames } from '../redactor.ts';
import { AiConsentService } from './ai-consent.service.ts';

/** What the model answers for one note; checked by zod before anything is stored. */
export const TriageAnswer = z.object({
  risk: TriageRisk,
  topics: z.array(z.enum(TRIAGE_TOPICS)).max(5),
  reason: z.string().min(1).max(300),
});

/** Phrases that make a note high or low risk, per language (from `locales/<lng>/triage.json`). */
export type KeywordLists = Partial<Record<Locale, { high: readonly string[]; low: readonly string[] }>>;

const LANGUAGE_NAMES: Record<Locale, string> = {
  en: 'English',
  fi: 'Finnish',
  ru: 'Russian',
  uk: 'Ukrainian',
  ar: 'Arabic',
};

export interface TriageDeps {
  ai: AiPort;
  participants: ParticipantRepository;
  checkins: CheckInRepository;
  pairs: PairRepository;
  timeline: TimelineRepository;
  triages: RecordStore<Triage>;
  keywords: KeywordLists;
  /** The language of officers' alerts: the model writes its reason in it. */
  officersLocale: Locale;
  /** Looks at due pairs at once, so a high-risk note alerts officers now rather than at the next tick. */
  evaluate: (now: Date) => Promise<unknown>;
  logger: Logger;
}

const system = (lng: Locale) =>
  [
    'You help the staff of a mentoring programme for immigrant women in Finland notice who needs help.',
    'You read one check-in note written by a participant. Personal details were replaced by placeholders',
    'such as [ACTOR] (the mentee), [MENTOR], [PERSON1], [PHONE]; keep the placeholders as they are.',
    'Risk "high": she asks for help, wants to quit or leave the programme, feels unwell or unsafe, or there',
    'is a serious problem between the partners. "low": a small worry (busy, tired, a meeting missed).',
    '"none": nothing of concern. Topics: the ones that fit.',
    `Write the reason as one short line in ${LANGUAGE_NAMES[lng]} for the programme staff.`,
  ].join(' ');

/**
 * Reads each check-in note and private note for risk, in the background: the model where she agreed and
 * AI is on, with her text redacted first; otherwise, or when anything fails, the keyword lists. High risk
 * goes on the timeline as `note_triaged` and officers are alerted at once; low risk is kept for officers.
 */
export class TriageService {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly d: TriageDeps) {}

  /** Starts the triage of an answered check-in; the answer never waits on it. */
  schedule(checkin: CheckIn, author: Participant, now: Date): void {
    const job = this.triage(checkin, author, now).then(
      () => undefined,
      (err: unknown) => this.d.logger.error({ err, checkinId: checkin.id }, 'triage failed'),
    );
    this.running.add(job);
    void job.finally(() => this.running.delete(job));
  }

  /** Resolves when every triage started so far is done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  /**
   * Triages what an instance that stopped (or crashed) before its background triage left undone: notes
   * answered in the last two days without a stored reading. The background job has a few minutes first.
   */
  async sweep(now: Date): Promise<number> {
    let done = 0;
    const settled = now.getTime() - 5 * 60_000;
    for (const c of await this.d.checkins.answeredSince(new Date(now.getTime() - 2 * 86_400_000))) {
      if (!c.answeredAt || c.answeredAt.getTime() > settled) continue;
      const fields = (['note', 'privateNote'] as const).filter((f) => c[f]?.trim());
      const missing = [];
      for (const f of fields) if (!(await this.d.triages.get(`${c.id}:${f}`))) missing.push(f);
      if (!missing.length) continue;
      const author = await this.d.participants.findById(c.participantId);
      if (author) done += (await this.triage(c, author, now)).length;
    }
    return done;
  }

  async triage(checkin: CheckIn, author: Participant, now: Date): Promise<Triage[]> {
    const pair = await this.d.pairs.get(checkin.pairId);
    if (!pair) return [];
    const done: Triage[] = [];
    for (const field of ['note', 'privateNote'] as const) {
      const text = checkin[field]?.trim();
      if (!text) continue;
      const id = `${checkin.id}:${field}`;
      if (await this.d.triages.get(id)) continue;
      const reading = await this.read(text, author, pair);
      const triage: Triage = {
        id,
        checkinId: checkin.id,
        pairId: pair.id,
        participantId: author.id,
        field,
        ...reading,
        at: now,
      };
      // The insert decides: the same check-in triaged twice (a redelivered answer) is stored and alerted once.
      if (!(await this.d.triages.insert(triage))) continue;
      done.push(triage);
      this.d.logger.info(
        {
          checkinId: checkin.id,
          field,
          risk: triage.risk,
          source: triage.source,
          fallbackReason: triage.fallbackReason,
        },
        'note triaged',
      );
      if (triage.risk === 'none') continue;
      await this.d.timeline.append({
        pairId: pair.id,
        type: 'note_triaged',
        at: now,
        data: {
          participantId: author.id,
          triageId: id,
          risk: triage.risk,
          source: triage.source,
          reason: triage.reason,
          topics: triage.topics,
        },
      });
    }
    if (done.some((x) => x.risk === 'high')) await this.d.evaluate(now);
    return done;
  }

  /** An officer says the triage was wrong: kept, and counted in `precision`. */
  async markWrong(triageId: string, officer: Participant, now: Date): Promise<boolean> {
    const triage = await this.d.triages.get(triageId);
    if (!triage) return false;
    if (!triage.markedWrong) await this.d.triages.save({ ...triage, markedWrong: { by: officer.id, at: now } });
    return true;
  }

  /** How often officers found a raised triage right, by source: for the programme's reports. */
  async precision(): Promise<
    Record<'ai' | 'keywords', { raised: number; markedWrong: number; precision: number | null }>
  > {
    const result = {
      ai: { raised: 0, markedWrong: 0, precision: null as number | null },
      keywords: { raised: 0, markedWrong: 0, precision: null as number | null },
    };
    for (const risk of ['low', 'high'] as const) {
      for (const x of await this.d.triages.find({ risk })) {
        result[x.source].raised++;
        if (x.markedWrong) result[x.source].markedWrong++;
      }
    }
    for (const r of Object.values(result)) r.precision = r.raised ? (r.raised - r.markedWrong) / r.raised : null;
    return result;
  }

  private async read(
    text: string,
    author: Participant,
    pair: Pair,
  ): Promise<Pick<Triage, 'risk' | 'topics' | 'reason' | 'source' | 'fallbackReason'>> {
    const why = await this.askModel(text, author, pair);
    if (typeof why !== 'string') return { ...why, source: 'ai' };
    return { ...readByKeywords(text, this.d.keywords), source: 'keywords', fallbackReason: why };
  }

  /** The model's reading, or why it was not asked or did not answer. */
  private async askModel(
    text: string,
    author: Participant,
    pair: Pair,
  ): Promise<Pick<Triage, 'risk' | 'topics' | 'reason'> | AiFailure | 'no_consent' | 'unsure'> {
    if (!this.d.ai.enabled('triage')) return 'disabled';
    if (!AiConsentService.allowsAi(author)) return 'no_consent';
    const redacted = redact(text, await this.knownPeople(pair));
    if (!redacted.ok) return 'unsure';
    const answer = await this.d.ai.complete({
      feature: 'triage',
      system: system(this.d.officersLocale),
      user: redacted.text,
      schema: TriageAnswer,
      schemaName: 'checkin_triage',
    });
    if (!answer.ok) return answer.reason;
    return {
      risk: answer.value.risk,
      topics: answer.value.topics,
      reason: restoreNames(answer.value.reason, redacted.names),
    };
  }

  /** Both partners, then every officer: what the database knows is replaced before any pattern. */
  private async knownPeople(pair: Pair): Promise<KnownPerson[]> {
    const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
    const person = (p: Participant | undefined, role: KnownPerson['role']): KnownPerson => ({
      role,
      names: [p?.actor?.firstName, p?.mentor?.firstName, p?.displayName],
      ...(p?.mentor?.organisation ? { employer: p.mentor.organisation } : {}),
    });
    return [
      person(members.get(pair.actorId), 'actor'),
      person(members.get(pair.mentorId), 'mentor'),
      ...(await officersKnown(this.d.participants)),
    ];
  }
}

/**
 * The fallback: a phrase of any language's list (a note may be in another language than her chat),
 * high before low, matched at the start of a word so Finnish and Slavic endings still match.
 */
export function readByKeywords(text: string, lists: KeywordLists): Pick<Triage, 'risk' | 'topics' | 'reason'> {
  const lower = text.normalize('NFC').toLocaleLowerCase();
  const found = (risk: 'high' | 'low') =>
    Object.values(lists)
      .flatMap((l) => l?.[risk] ?? [])
      .filter((w) => w && new RegExp(`(?<![\\p{L}])${escapeRegExp(w.toLocaleLowerCase())}`, 'u').test(lower));
  for (const risk of ['high', 'low'] as const) {
    // "кину" is found inside "кинути": only the longest of overlapping phrases is named.
    const all = [...new Set(found(risk))];
    const words = all.filter((w) => !all.some((o) => o !== w && o.includes(w)));
    if (words.length)
      return {
        risk,
        topics: [],
        reason: words
          .slice(0, 3)
          .map((w) => `"${w}"`)
          .join(', '),
      };
  }
  return { risk: 'none', topics: [], reason: '' };
}
