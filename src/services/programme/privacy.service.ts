import type { Text } from '../../core/flow.ts';
import { t } from '../../core/flow.ts';
import type { Participant } from '../../core/model.ts';
import type { OutboxRepository, PairRepository, RecordStore, TextRenderer } from '../../core/ports.ts';
import type { ConsentRecord, PersonalDataStore } from '../../core/privacy.ts';
import type { ConsentAnswered, DataExport } from '../../core/privacy.operations.ts';
import type { AnonymousQuestion, CounsellingRequest, Occurrence, Pair, Preferences } from '../../core/programme.ts';
import { CheckIn, FinalSurvey, Meeting } from '../../core/programme.ts';
import type { AuditService } from './audit.service.ts';
import type { VocabProgressRepository } from '../../core/vocab.ts';

const ALL_STATES = ['proposed', 'active', 'completed', 'ended'] as const;
/** Plain JSON: dates as ISO strings. */
const plain = (x: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(x));
const withId = (doc: Record<string, unknown>) => ({ ...doc, id: String(doc._id) });

export interface PrivacyDeps {
  pairs: PairRepository;
  outbox: OutboxRepository;
  personal: PersonalDataStore;
  counselling: RecordStore<CounsellingRequest>;
  questions: RecordStore<AnonymousQuestion>;
  preferences: RecordStore<Preferences>;
  consents: RecordStore<ConsentRecord>;
  /** Pairs the retention rule has handled, by id. */
  retained: RecordStore<Occurrence>;
  audit: AuditService;
  /** Her vocabulary practice (known words, daily on or off, the list she has). */
  vocab?: VocabProgressRepository;
  renderer: TextRenderer;
  retentionMonths: number;
}

/** Her rights of access and portability (Art. 15 and 20), and her answers to new versions of the privacy notice. */
export class PrivacyService {
  constructor(private readonly d: PrivacyDeps) {}

  /** Every pair she was ever in (a scan of the pairs: only on her request or in the daily job). */
  async pairsOf(participantId: string): Promise<Pair[]> {
    return (await this.d.pairs.list([...ALL_STATES])).filter(
      (p) => p.actorId === participantId || p.mentorId === participantId,
    );
  }

  allPairs(): Promise<Pair[]> {
    return this.d.pairs.list([...ALL_STATES]);
  }

  async retainedPairs(): Promise<Set<string>> {
    return new Set((await this.d.retained.find({})).map((r) => r.id));
  }

  async markRetained(pairId: string, at: Date): Promise<void> {
    await this.d.retained.insert({ id: pairId, at });
  }

  /**
   * Everything stored about her, as she can read it and take elsewhere. Other people's words are left out:
   * the partner's check-ins and notes, who asked an anonymous question (only her own questions are hers).
   */
  async collect(me: Participant, now: Date): Promise<Record<string, unknown>> {
    const pairs = await this.pairsOf(me.id);
    const side = (p: Pair) => (p.actorId === me.id ? 'actor' : 'mentor');
    const by = (id: string, p: Pair) =>
      id === me.id ? 'you' : id === p.actorId || id === p.mentorId ? 'partner' : 'programme staff';
    const meetings: Meeting[] = [];
    const checkins: CheckIn[] = [];
    for (const p of pairs) {
      const found = [
        ...(await this.d.personal.findBy('meetings', 'pairId', p.id)),
        ...(p.cohortId ? await this.d.personal.findBy('meetings', 'cohortId', p.cohortId) : []),
      ];
      meetings.push(...found.map((m) => Meeting.parse(withId(m))));
    }
    checkins.push(
      ...(await this.d.personal.findBy('checkins', 'participantId', me.id)).map((c) => CheckIn.parse(withId(c))),
    );
    const queued = await this.d.personal.pendingFor(me.id);
    const {
      identities,
      addresses,
      displayName,
      locale,
      timeZone,
      status,
      role,
      consent,
      actor,
      mentor,
      createdAt,
      updatedAt,
    } = me;
    const audit = await this.d.audit.about([me.id, ...pairs.map((p) => `pair:${p.id}`)]);
    return plain({
      exportedAt: now,
      explanation: {
        purposes: this.d.renderer.render(t('privacy:export.purposes'), me.locale),
        recipients: this.d.renderer.render(t('privacy:export.recipients'), me.locale),
        retention: this.d.renderer.render(t('privacy:export.retention', { months: this.d.retentionMonths }), me.locale),
        rights: this.d.renderer.render(t('privacy:export.rights'), me.locale),
      },
      profile: {
        id: me.id,
        role,
        status,
        locale,
        timeZone,
        displayName,
        identities,
        addresses,
        actor,
        mentor,
        createdAt,
        updatedAt,
      },
      consent: { current: consent, history: await this.d.consents.find({ participantId: me.id }) },
      preferences: await this.d.preferences.get(me.id),
      pairs: pairs.map((p) => ({
        id: p.id,
        yourRole: side(p),
        state: p.state,
        endedReason: p.endedReason,
        endReason: p.endReason,
        endedAt: p.endedAt,
        createdAt: p.createdAt,
        cohortId: p.cohortId,
        commitment: p.commitment && {
          ...p.commitment,
          draftedBy: by(p.commitment.draftedBy, p),
          confirmedBy: p.commitment.confirmedBy && by(p.commitment.confirmedBy, p),
        },
        // A note in the history is hers only if she wrote it (a reason for declining).
        history: p.history.map((h) => ({
          state: h.state,
          at: h.at,
          by: by(h.by, p),
          ...(h.by === me.id && h.note ? { note: h.note } : {}),
        })),
      })),
      meetings: meetings.map((m) => ({
        id: m.id,
        kind: m.kind,
        pairId: m.pairId,
        number: m.number,
        at: m.at,
        timeZone: m.timeZone,
        place: m.place,
        state: m.state,
        proposedBy: m.kind === 'group' ? 'programme staff' : m.proposedBy === me.id ? 'you' : 'partner',
        yourRsvp: m.rsvps[me.id],
        youAttended: m.kind === 'group' ? m.attended.includes(me.id) : undefined,
      })),
      checkins: checkins.map(({ id: _, participantId: __, ...answer }) => answer),
      finalSurveys: (await this.d.personal.findBy('final_surveys', 'participantId', me.id)).map((s) => {
        const { id: _, participantId: __, ...answer } = FinalSurvey.parse(withId(s));
        return answer;
      }),
      messagesQueuedToYou: queued.map((m) => ({
        due: m.due,
        text: (m.text as Text[]).map((x) => this.d.renderer.render(x, me.locale)).join('\n'),
      })),
      counsellingRequests: (await this.d.counselling.find({ participantId: me.id })).map(
        ({ topic, urgency, message, state, createdAt: at }) => ({
          topic,
          urgency,
          message,
          state,
          createdAt: at,
        }),
      ),
      yourAnonymousQuestions: (await this.d.questions.find({ askerId: me.id })).map(
        ({ text, state, createdAt: at }) => ({ text, state, createdAt: at }),
      ),
      vocabularyPractice: (await this.d.vocab?.get(me.id)) ?? undefined,
      readsByProgrammeStaff: audit.map((e) => ({ at: e.at, what: e.what })),
    });
  }

  /** /mydata: her data and the file of it; what it is for, who sees it and her rights are said beside it. */
  async export(me: Participant, now: Date): Promise<DataExport> {
    const data = await this.collect(me, now);
    const day = now.toISOString().slice(0, 10);
    const file = {
      name: `womento-my-data-${day}.json`,
      mimeType: 'application/json' as const,
      contents: `${JSON.stringify(data, null, 2)}\n`,
    };
    return { data, file, retentionMonths: this.d.retentionMonths };
  }

  /** Her answer to a new notice: agreeing lets her continue; refusing stops everything the bot would send her. */
  async answerConsent(answer: string, version: string, me: Participant, now: Date): Promise<ConsentAnswered> {
    if (answer !== 'yes' && answer !== 'no') return { outcome: 'unknown_answer' };
    const consent = { given: answer === 'yes', textVersion: version, at: now };
    await this.d.consents.create({ participantId: me.id, ...consent });
    await this.d.personal.setConsent(me.id, consent, now);
    if (consent.given) return { outcome: 'given', consent };
    await this.d.outbox.cancelForRecipient(me.id);
    return { outcome: 'refused', consent };
  }
}
