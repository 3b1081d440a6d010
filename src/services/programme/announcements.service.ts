import type { AnnounceDraft, AnnounceStep, AnnouncementPreference } from '../../core/operations.ts';
import type { AnnouncementSetting } from '../../core/support.operations.ts';
import { t } from '../../core/flow.ts';
import { LOCALES, type Participant } from '../../core/model.ts';
import type { CohortRepository, OutboxRepository, ParticipantRepository, RecordStore } from '../../core/ports.ts';
import { type Announcement, type Preferences, SEGMENTS, type SegmentKind } from '../../core/programme.ts';
import type { SpacesService } from './spaces.service.ts';
import type { Notifier } from './notifier.ts';

const ALL = 'all';
/** When her language has no text: the common text, then English, then Finnish, then any. */
const FALLBACK = [ALL, 'en', 'fi', ...LOCALES];

export interface AnnouncementsDeps {
  participants: ParticipantRepository;
  cohorts: CohortRepository;
  spaces: SpacesService;
  announcements: RecordStore<Announcement>;
  preferences: RecordStore<Preferences>;
  /** One insert per report, so two instances report once. */
  reports: RecordStore<{ id: string; at: Date }>;
  outbox: OutboxRepository;
  notifier: Notifier;
}

const isSegment = (v: string): v is SegmentKind => (SEGMENTS as readonly string[]).includes(v);
const cityOf = (p: Participant) => p.actor?.city ?? p.mentor?.city ?? '';

/**
 * /announce: a segment (all actors, all mentors, a city, a cohort, everyone), one text or one per
 * language, a confirmation with the count, then the durable rate-limited outbox; the officer gets a
 * report when every message is settled. /announcements lets anyone turn them off (essentials still come).
 */
export class AnnouncementsService {
  constructor(private readonly d: AnnouncementsDeps) {}

  begin(): AnnounceStep {
    return { outcome: 'ask_segment' };
  }

  async segment(kind: string): Promise<AnnounceStep> {
    if (!isSegment(kind)) return this.begin();
    if (kind === 'city') {
      const cities = [...new Set((await this.everyone()).map(cityOf).filter(Boolean))].sort();
      return { outcome: 'ask_city', cities: cities.slice(0, 40) };
    }
    if (kind === 'cohort') {
      const cohorts = await this.d.cohorts.list();
      return cohorts.length ? { outcome: 'ask_cohort', cohorts } : { outcome: 'no_cohorts' };
    }
    return this.target(kind);
  }

  target(kind: SegmentKind, value?: string): AnnounceStep {
    return { outcome: 'ask_mode', kind, ...(value ? { value } : {}) };
  }

  mode(draft: AnnounceDraft, mode: string): AnnounceStep {
    return { outcome: 'ask_text', draft: { ...draft, texts: {} }, lang: mode === 'per_language' ? LOCALES[0] : ALL };
  }

  /** One text arrived; asks the next language, or counts the recipients and asks to confirm. */
  async text(draft: AnnounceDraft, text: string): Promise<AnnounceStep> {
    if (!isSegment(draft.kind)) return this.begin();
    const lang = draft.lang ?? ALL;
    const texts = { ...draft.texts, ...(text.trim() ? { [lang]: text.trim() } : {}) };
    const next = LOCALES[(LOCALES as readonly string[]).indexOf(lang) + 1];
    if (lang !== ALL && next) return { outcome: 'ask_text', draft: { ...draft, texts }, lang: next };
    if (!Object.keys(texts).length)
      return { outcome: 'ask_text', draft: { ...draft, texts }, lang: lang === ALL ? ALL : LOCALES[0], again: true };
    const count = (await this.recipients(draft.kind, draft.value)).length;
    if (!count) return { outcome: 'nobody' };
    return {
      outcome: 'confirm',
      draft: { kind: draft.kind, ...(draft.value ? { value: draft.value } : {}), texts },
      count,
    };
  }

  async confirm(draft: AnnounceDraft, answer: string, officer: Participant, now: Date): Promise<AnnounceStep> {
    if (answer !== 'yes' || !isSegment(draft.kind)) return { outcome: 'cancelled' };
    const people = await this.recipients(draft.kind, draft.value);
    if (!people.length) return { outcome: 'nobody' };
    const announcement = await this.d.announcements.create({
      segment: { kind: draft.kind, ...(draft.value ? { value: draft.value } : {}) },
      texts: draft.texts,
      createdBy: officer.id,
      createdAt: now,
      messageIds: [],
    });
    const messageIds = await this.d.outbox.enqueueMany(
      people.map((p) => ({
        key: `announce:${announcement.id}:${p.id}`,
        recipientId: p.id,
        due: now,
        text: [{ literal: textFor(draft.texts, p.locale) }],
        category: 'announcement' as const,
      })),
      now,
    );
    const saved = { ...announcement, messageIds };
    await this.d.announcements.save(saved);
    return { outcome: 'queued', announcement: saved, count: messageIds.length };
  }

  /** Everyone in the segment who is in the programme and has not turned announcements off. */
  async recipients(kind: SegmentKind, value?: string): Promise<Participant[]> {
    let people: Participant[];
    if (kind === 'cohort') {
      const cohort = value ? await this.d.cohorts.get(value) : null;
      people = cohort ? await this.d.spaces.members(cohort) : [];
    } else {
      const all = await this.everyone();
      people = all.filter((p) =>
        kind === 'actors'
          ? p.role === 'actor'
          : kind === 'mentors'
            ? p.role === 'mentor'
            : kind === 'city'
              ? cityOf(p).toLowerCase() === (value ?? '').toLowerCase()
              : true,
      );
    }
    const off = new Set((await this.d.preferences.find({ announcements: false })).map((p) => p.id));
    return people.filter((p) => !off.has(p.id) && p.status !== 'left' && p.status !== 'unreachable');
  }

  private async everyone(): Promise<Participant[]> {
    // Who finished her pair still hears from the programme.
    return [
      ...(await this.d.participants.list('actor', ['waiting', 'paired', 'finished'])),
      ...(await this.d.participants.list('mentor', ['waiting', 'paired', 'finished'])),
    ];
  }

  /** Reports each announcement whose messages are all settled: sent, failed, unreachable. */
  async report(now: Date): Promise<number> {
    let reported = 0;
    for (const a of await this.d.announcements.find({})) {
      if (a.reportedAt || !a.messageIds.length) continue;
      const states = await this.d.outbox.states(a.messageIds);
      if (states.some((s) => s.state === 'pending')) continue;
      if (!(await this.d.reports.insert({ id: `announce:${a.id}`, at: now }))) continue;
      // Cancelled: after she blocked the bot (unreachable), or because she turned announcements off meanwhile.
      const cancelled = states.filter((s) => s.state === 'cancelled');
      const gone = await this.d.participants.findByIds(cancelled.map((s) => s.recipientId));
      const off = cancelled.filter((s) => gone.get(s.recipientId)?.status !== 'unreachable').length;
      const unreachable =
        cancelled.length -
        off +
        states.filter((s) => s.state === 'failed' && /unreachable|blocked|left|deactivated/i.test(s.lastError ?? ''))
          .length;
      const sent = states.filter((s) => s.state === 'sent').length;
      const counts = {
        sent,
        unreachable,
        failed: a.messageIds.length - sent - unreachable - off,
        total: a.messageIds.length,
      };
      await this.d.announcements.save({ ...a, reportedAt: now });
      const text = [t('announce:report', counts), ...(off ? [t('announce:report_off', { count: off })] : [])];
      await this.d.notifier.send({ key: `announce:${a.id}:report`, recipientId: a.createdBy, due: now, text }, now);
      reported++;
    }
    return reported;
  }

  /** /announcements: on or off. */
  /** Announcements are on unless she turned them off. */
  async preferences(me: Participant): Promise<AnnouncementSetting> {
    return { on: (await this.d.preferences.get(me.id))?.announcements !== false };
  }

  async setPreference(me: Participant, value: string): Promise<AnnouncementPreference> {
    const on = value !== 'off';
    await this.d.preferences.save({ id: me.id, announcements: on });
    // What is still queued for her stops too; essentials never do.
    if (!on) await this.d.outbox.cancelForRecipient(me.id, 'announcement');
    return { outcome: 'saved', on };
  }
}

export function textFor(texts: Record<string, string>, locale: string): string {
  const lang = [locale, ...FALLBACK].find((l) => texts[l]);
  return lang ? texts[lang]! : (Object.values(texts)[0] ?? '');
}
