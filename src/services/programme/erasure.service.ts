import type { DeletionOutcome, DeletionStep } from '../../core/privacy.operations.ts';
import type { Participant } from '../../core/model.ts';
import type { ParticipantRepository } from '../../core/ports.ts';
import { isErased, type Markers, type PersonalDataStore } from '../../core/privacy.ts';
import type { Pair } from '../../core/programme.ts';
import type { PairsService } from './pairs.service.ts';
import type { PrivacyService } from './privacy.service.ts';
import type { SpacesService } from './spaces.service.ts';

const MONTH_MS = 30.44 * 86_400_000;
/** The typed confirmation, as `privacy:delete.word` says it in each language; any of them will do. */
const WORDS = ['DELETE', 'POISTA', 'УДАЛИТЬ', 'ВИДАЛИТИ', 'حذف'];
/** Records with ids only and no words of anyone: left as they are by the scrub (it reads every record). */
const IDS_ONLY = [
  'processed_events',
  'inbox_claims',
  'migrations',
  'outbox_recipients',
  'mentor_places',
  'open_alerts',
  'action_uses',
  'bind_code_uses',
  'reports_sent',
];
/** Not scrubbed: her profile is replaced whole, her identities go last, the audit log holds ids only. */
const SKIPPED = ['participants', 'identities', 'audit', ...IDS_ONLY];
const TEXT_FIELDS = ['note', 'privateNote', 'topics', 'message', 'text', 'place', 'aims'];

export interface ErasureDeps {
  participants: ParticipantRepository;
  personal: PersonalDataStore;
  privacy: PrivacyService;
  pairsService: PairsService;
  spaces: SpacesService;
  retentionMonths: number;
}

/** What she typed herself, kept in records of the programme: erased wherever it was copied to. */
function freeTextsOf(docs: readonly object[], fields: string[]): string[] {
  const values = docs.flatMap((d) =>
    fields.flatMap((f) => {
      const v: unknown = Reflect.get(d, f);
      return Array.isArray(v) ? v : [v];
    }),
  );
  return values.filter((v): v is string => typeof v === 'string');
}

/**
 * What names her like a name does: her first names and the profile answers she typed (a profession). Others
 * may share them, so they are looked for only where people are written about (messages, notes), never in
 * someone else's answers.
 */
function namesOf(me: Participant): string[] {
  const { actor, mentor } = me;
  const typed = actor
    ? [actor.profession, ...actor.languages]
    : [mentor?.field, mentor?.organisation, ...(mentor?.languages ?? [])];
  return [me.actor?.firstName, me.mentor?.firstName, me.displayName, ...typed].filter((n): n is string =>
    Boolean(n?.trim()),
  );
}

/** Erasure (Art. 17) on request, and the retention rule: free texts of pairs ended long ago, anonymous profiles. */
export class ErasureService {
  constructor(private readonly d: ErasureDeps) {}

  /** /delete: what happens is explained, and she is asked to confirm with a button. */
  begin(): DeletionStep {
    return 'ask_confirmation';
  }

  /** The button pressed: the word is typed next, so a slip of the thumb erases nothing. */
  confirm(answer: string): DeletionStep {
    return answer === 'yes' ? 'ask_word' : 'kept';
  }

  async delete(word: string, me: Participant, now: Date): Promise<DeletionOutcome> {
    if (!WORDS.includes(word.trim().toUpperCase())) return 'word_wrong';
    await this.erase(me, now, true);
    return 'erased';
  }

  /**
   * Erases her personal data everywhere: her open pairs end (the partner is told without her name), she leaves
   * her cohorts' groups, the free texts she wrote are removed wherever they were copied, and her profile keeps
   * only what counts need (role, city, levels, dates), under no identity a platform can send.
   */
  async erase(me: Participant, now: Date, endPairs: boolean): Promise<void> {
    const markers = await this.eraseRecords(me, now, endPairs);
    await this.d.personal.scrub(markers, SKIPPED);
    await this.finish(me, now);
  }

  /** Her own records, emptied of her words; returns what identifies her, for the scrub of every collection. */
  private async eraseRecords(me: Participant, now: Date, endPairs: boolean, all?: readonly Pair[]): Promise<Markers> {
    const { personal } = this.d;
    const pairs = all
      ? all.filter((p) => p.actorId === me.id || p.mentorId === me.id)
      : await this.d.privacy.pairsOf(me.id);
    if (endPairs) {
      await this.d.spaces.leaveSpaces(me);
      await this.d.pairsService.endForWithdrawal(me.id, me, now);
    }
    const checkins = await personal.findBy('checkins', 'participantId', me.id);
    const counselling = await personal.findBy('counselling_requests', 'participantId', me.id);
    const questions = await personal.findBy('anonymous_questions', 'askerId', me.id);
    const surveys = await personal.findBy('final_surveys', 'participantId', me.id);
    const meetings = (await Promise.all(pairs.map((p) => personal.findBy('meetings', 'pairId', p.id)))).flat();
    const proposed = meetings.filter((m) => m.proposedBy === me.id);
    const plans = pairs.flatMap((p) => [p.commitment, p.commitmentDraft]);
    const drafts = plans.filter((c) => c?.draftedBy === me.id) as Record<string, unknown>[];
    const notes = pairs.flatMap((p) => p.history.filter((h) => h.by === me.id));
    const texts = [
      ...freeTextsOf(
        [...checkins, ...counselling, ...questions, ...proposed, ...drafts, ...notes, ...surveys],
        TEXT_FIELDS,
      ),
      ...me.identities,
      ...Object.values(me.addresses),
    ];
    const names = namesOf(me);

    for (const c of checkins) await personal.update('checkins', c._id, { topics: [] }, ['note', 'privateNote']);
    // Her final survey's outcomes stay for the reports, counted; its note goes.
    for (const s of surveys) await personal.update('final_surveys', s._id, {}, ['note']);
    // Counted by topic in reports, never by whom: the request stays without her.
    for (const r of counselling)
      await personal.update('counselling_requests', r._id, { participantId: 'erased' }, ['message']);
    await personal.deleteBy('anonymous_questions', 'askerId', me.id);
    for (const m of proposed) await personal.update('meetings', m._id, {}, ['place']);
    for (const p of pairs) await this.forgetInPair(p, me.id);
    await personal.deleteBy('preferences', '_id', me.id);
    await personal.deleteBy('vocab_progress', '_id', me.id);
    await personal.deleteBy('actions', 'participantId', me.id);
    await personal.dropMessagesTo(me.id);
    for (const identity of me.identities) {
      await personal.eraseConversation(identity);
      await personal.deleteBy('inbox_open', 'event.identity', identity);
      // An older version kept handled events' words in `inbox` too.
      await personal.deleteBy('inbox', 'event.identity', identity);
    }
    await personal.deleteBy('consent_log', 'participantId', me.id);
    return { texts, names };
  }

  /** After the scrub. Last, her identities: until then she is known, so an erasure cut short is done again by /delete. */
  private async finish(me: Participant, now: Date): Promise<void> {
    await this.d.personal.anonymise(me, now);
    await this.d.personal.deleteBy('identities', 'participantId', me.id);
  }

  /** Her words in a pair's record: the plan she drafted, her notes in its history; the partner's stay. */
  private async forgetInPair(p: Pair, participantId: string): Promise<void> {
    await this.d.personal.update(
      'pairs',
      p.id,
      pairWithoutTexts(p, (by) => by === participantId),
    );
  }

  /**
   * The daily retention rule: `retentionMonths` after a pair ended, its free texts are erased, and its members
   * are anonymised unless they are in a newer pair or waiting for one. Returns the pairs handled.
   */
  async retention(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - this.d.retentionMonths * MONTH_MS);
    const { personal, privacy } = this.d;
    const done = await privacy.retainedPairs();
    const pairs = await privacy.allPairs();
    const endedAt = (p: Pair) =>
      p.state === 'completed' || p.state === 'ended' ? (p.endedAt ?? p.history.at(-1)?.at ?? p.createdAt) : null;
    const due = pairs.filter((p) => !done.has(p.id) && endedAt(p) && endedAt(p)! < cutoff);
    if (!due.length) return 0;
    const texts: string[] = [];
    for (const p of due) {
      const meetings = await personal.findBy('meetings', 'pairId', p.id);
      const checkins = await personal.findBy('checkins', 'pairId', p.id);
      const surveys = await personal.findBy('final_surveys', 'pairId', p.id);
      const drafts = [p.commitment, p.commitmentDraft].filter(Boolean) as Record<string, unknown>[];
      texts.push(...freeTextsOf([...meetings, ...checkins, ...drafts, ...p.history, ...surveys], TEXT_FIELDS));
      for (const c of checkins) await personal.update('checkins', c._id, { topics: [] }, ['note', 'privateNote']);
      for (const s of surveys) await personal.update('final_surveys', s._id, {}, ['note']);
      for (const m of meetings) await personal.update('meetings', m._id, {}, ['place']);
      await personal.update(
        'pairs',
        p.id,
        pairWithoutTexts(p, () => true),
      );
    }
    // Members whose every pair is past the cutoff and who wait for no new one are anonymised.
    const members = new Set(due.flatMap((p) => [p.actorId, p.mentorId]));
    const leaving: Participant[] = [];
    for (const person of (await this.d.participants.findByIds([...members])).values()) {
      if (
        isErased(person) ||
        person.role === 'officer' ||
        person.status === 'waiting' ||
        person.status === 'registering'
      )
        continue;
      const newer = pairs.some(
        (p) => (p.actorId === person.id || p.mentorId === person.id) && (!endedAt(p) || endedAt(p)! >= cutoff),
      );
      if (!newer) leaving.push(person);
    }
    const names: string[] = [];
    for (const person of leaving) {
      const markers = await this.eraseRecords(person, now, false, pairs);
      texts.push(...markers.texts);
      names.push(...markers.names);
    }
    // One read of every collection for all of them: copies of those texts (timeline, messages, alerts) go too.
    await personal.scrub({ texts, names }, SKIPPED);
    for (const person of leaving) await this.finish(person, now);
    for (const p of due) await privacy.markRetained(p.id, now);
    return due.length;
  }
}

/** The fields of a pair to set so that the words of the people `whose` says are gone from it. */
function pairWithoutTexts(p: Pair, whose: (by: string) => boolean): Record<string, unknown> {
  const clean = (c: Pair['commitment']) => c && (whose(c.draftedBy) ? strip({ ...c, aims: [], note: undefined }) : c);
  const set: Record<string, unknown> = {
    history: p.history.map((h) => (whose(h.by) ? { state: h.state, by: h.by, at: h.at } : h)),
  };
  if (p.commitment) set.commitment = clean(p.commitment);
  if (p.commitmentDraft) set.commitmentDraft = clean(p.commitmentDraft);
  return set;
}

/** Without the fields set to undefined (a driver would store them as null). */
function strip<T>(value: T): T {
  if (!value || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
