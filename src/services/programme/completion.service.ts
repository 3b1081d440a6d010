import type { Text } from '../../core/flow.ts';
import { t } from '../../core/flow.ts';
import { type FileAttachment, fileOf } from '../../core/messages.ts';
import type { Locale, Participant } from '../../core/model.ts';
import type { SurveyAnswerOutcome } from '../../core/operations.ts';
import type { PairClosed, SurveyStart } from '../../core/ending.operations.ts';
import type {
  PairRepository,
  ParticipantRepository,
  RecordStore,
  TextRenderer,
  TimelineRepository,
} from '../../core/ports.ts';
import { type FinalSurvey, type Occurrence, type Pair, SURVEY_CHANGES } from '../../core/programme.ts';
import { renderPdf } from '../records/pdf.ts';
import type { AlertsService } from './alerts.service.ts';
import { activatedAt, reasonableTime } from './checkins.service.ts';
import { freeMentor } from './ending.service.ts';
import { nameOf, onDay } from './labels.ts';
import type { Notifier } from './notifier.ts';

const DAY = 86_400_000;

export interface CompletionDeps {
  participants: ParticipantRepository;
  pairs: PairRepository;
  timeline: TimelineRepository;
  notifier: Notifier;
  surveys: RecordStore<FinalSurvey>;
  /** Things done once per pair (the survey alert), by an insert of a readable id. */
  marks: RecordStore<Occurrence>;
  alerts: AlertsService;
  /** Both partners are told this many days before the planned end. */
  noticeDays?: number;
  /** Officers are alerted when the survey is still unanswered this many days after the end. */
  alertAfterDays?: number;
}

export interface CompletionTick {
  noticed: number;
  surveyed: number;
  alerted: number;
}

export const surveyId = (pairId: string, participantId: string) => `survey:${pairId}:${participantId}`;

/** The end of a pair at its planned end: a notice before, the final survey, then completion and a certificate. */
export class CompletionService {
  constructor(private readonly d: CompletionDeps) {}

  private get noticeDays() {
    return this.d.noticeDays ?? 14;
  }

  /**
   * For every active pair with a plan: the notice two weeks before its end, the survey at its end, and an
   * officers' alert once when it is unanswered a week after. Every send is keyed, so a tick run twice (or
   * by two instances) sends nothing twice.
   */
  async tick(now: Date): Promise<CompletionTick> {
    const done: CompletionTick = { noticed: 0, surveyed: 0, alerted: 0 };
    for (const pair of await this.d.pairs.list(['active'])) {
      if (!pair.commitment) continue;
      const end = new Date(pair.commitment.plannedEnd);
      if (now.getTime() < end.getTime() - this.noticeDays * DAY) continue;
      const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
      for (const id of [pair.actorId, pair.mentorId]) {
        const me = members.get(id);
        const partner = members.get(id === pair.actorId ? pair.mentorId : pair.actorId);
        if (!me) continue;
        if (now < end && (await this.notice(pair, me, partner, end, now))) done.noticed++;
        if (now >= end && (await this.sendSurvey(pair, me, partner, now))) done.surveyed++;
      }
      if (
        now.getTime() >= end.getTime() + (this.d.alertAfterDays ?? 7) * DAY &&
        (await this.alertUnanswered(pair, end, now))
      )
        done.alerted++;
    }
    return done;
  }

  private notice(
    pair: Pair,
    me: Participant,
    partner: Participant | undefined,
    end: Date,
    now: Date,
  ): Promise<boolean> {
    return this.d.notifier.send(
      {
        key: `completion:${pair.id}:notice:${me.id}`,
        recipientId: me.id,
        due: reasonableTime(now, me.timeZone),
        text: [t('completion:notice', { name: nameOf(partner), end: onDay(end, me.timeZone) })],
      },
      now,
    );
  }

  private async sendSurvey(pair: Pair, me: Participant, partner: Participant | undefined, now: Date): Promise<boolean> {
    const id = surveyId(pair.id, me.id);
    const role = me.id === pair.actorId ? 'actor' : 'mentor';
    if (!(await this.d.surveys.insert({ id, pairId: pair.id, participantId: me.id, role, state: 'sent', sentAt: now })))
      return false;
    await this.d.notifier.send(
      {
        key: id,
        recipientId: me.id,
        due: reasonableTime(now, me.timeZone),
        text: [t('completion:survey_intro', { name: nameOf(partner) })],
        buttons: {
          kind: 'survey.start',
          ref: { surveyId: id },
          choices: [{ value: 'start', label: t('completion:survey_start') }],
          once: false,
          expiresAt: new Date(now.getTime() + 90 * DAY),
        },
      },
      now,
    );
    return true;
  }

  /** Once per pair: a resolved alert is not raised again by the next tick. */
  private async alertUnanswered(pair: Pair, end: Date, now: Date): Promise<boolean> {
    const surveys = await this.d.surveys.find({ pairId: pair.id });
    if (surveys.length === 2 && surveys.every((s) => s.state === 'answered')) return false;
    if (!(await this.d.marks.insert({ id: `survey-alert:${pair.id}`, at: now }))) return false;
    return this.d.alerts.raise(
      pair.id,
      { code: 'survey_unanswered', days: Math.floor((now.getTime() - end.getTime()) / DAY) },
      now,
    );
  }

  /** The survey's button: opens the questions (the outcomes only for the actor). */
  async beginSurvey(id: string, me: Participant): Promise<SurveyStart> {
    const survey = await this.d.surveys.get(id);
    if (!survey || survey.participantId !== me.id) return { outcome: 'not_found' };
    if (survey.state === 'answered') return { outcome: 'already_answered' };
    return { outcome: 'start', survey };
  }

  async answer(
    a: {
      surveyId: string;
      rating: number;
      changed: string[];
      finnishConfidence?: number;
      wouldMentor: boolean;
      wouldRecommend: boolean;
      note?: string;
    },
    me: Participant,
    now: Date,
  ): Promise<SurveyAnswerOutcome> {
    const survey = await this.d.surveys.get(a.surveyId);
    if (!survey || survey.participantId !== me.id || survey.state !== 'sent') return { outcome: 'not_found' };
    const actor = survey.role === 'actor';
    const changed = actor ? SURVEY_CHANGES.filter((c) => a.changed.includes(c)) : undefined;
    const answered: FinalSurvey = {
      ...survey,
      state: 'answered',
      answeredAt: now,
      rating: a.rating,
      wouldMentor: a.wouldMentor,
      wouldRecommend: a.wouldRecommend,
      ...(changed ? { changed } : {}),
      ...(actor && a.finnishConfidence ? { finnishConfidence: a.finnishConfidence } : {}),
      ...(a.note ? { note: a.note } : {}),
    };
    await this.d.surveys.save(answered);
    // The note stays in the survey: the timeline is read by the partner too.
    await this.d.timeline.append({
      pairId: survey.pairId,
      type: 'survey_answered',
      at: now,
      by: me.id,
      data: { participantId: me.id, rating: a.rating },
    });
    const all = await this.d.surveys.find({ pairId: survey.pairId });
    const pair = await this.d.pairs.get(survey.pairId);
    const complete = pair && all.filter((s) => s.state === 'answered').length >= 2;
    return { outcome: 'recorded', completed: Boolean(complete && (await this.complete(pair, me.id, now))) };
  }

  /** `/closepair <id>`: an officer completes a pair past its planned end without waiting for the survey. */
  async close(pairId: string, officer: Participant, now: Date): Promise<PairClosed> {
    const pair = await this.d.pairs.get(pairId.trim());
    if (pair?.state !== 'active') return { outcome: 'not_active' };
    if (!pair.commitment || new Date(pair.commitment.plannedEnd) > now) return { outcome: 'too_early' };
    const completed = await this.complete(pair, officer.id, now);
    const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
    return {
      outcome: 'completed',
      pair: completed ?? pair,
      actor: members.get(pair.actorId) ?? null,
      mentor: members.get(pair.mentorId) ?? null,
    };
  }

  /** The pair as completed, or undefined when it was no longer active. */
  private async complete(pair: Pair, by: string, now: Date): Promise<Pair | undefined> {
    if (pair.state !== 'active') return undefined;
    const completed: Pair = {
      ...pair,
      state: 'completed',
      endedAt: now,
      history: [...pair.history, { state: 'completed', by, at: now }],
    };
    await this.d.pairs.save(completed);
    await this.d.timeline.append({ pairId: pair.id, type: 'completed', at: now, by });
    await freeMentor(this.d, pair, now);
    await this.d.participants.setStatus(pair.actorId, 'finished', now);
    const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
    for (const id of [pair.actorId, pair.mentorId]) {
      const partner = members.get(id === pair.actorId ? pair.mentorId : pair.actorId);
      await this.d.notifier.send(
        {
          key: `completion:${pair.id}:certificate:${id}`,
          recipientId: id,
          due: now,
          text: [t('completion:thanks', { name: nameOf(partner) }), t('completion:certificate_caption')],
          attachment: { kind: 'certificate', pairId: pair.id },
        },
        now,
      );
    }
    return completed;
  }

  /**
   * The certificate of participation, made when it is sent: her name and her mentor's, the dates and the
   * city, in her language and in Finnish. Undefined when the pair is not completed (nothing to certify).
   */
  async certificate(
    pairId: string,
    recipient: Participant,
    renderer: TextRenderer,
  ): Promise<FileAttachment | undefined> {
    const pair = await this.d.pairs.get(pairId);
    if (pair?.state !== 'completed') return undefined;
    const members = await this.d.participants.findByIds([pair.actorId, pair.mentorId]);
    const actor = members.get(pair.actorId);
    const mentor = members.get(pair.mentorId);
    const zone = recipient.timeZone;
    const start = new Date(pair.commitment?.start ?? activatedAt(pair) ?? pair.createdAt);
    const end = new Date(pair.endedAt ?? pair.commitment?.plannedEnd ?? start);
    const params = {
      actor: nameOf(actor),
      mentor: nameOf(mentor),
      city: actor?.actor?.city ?? mentor?.mentor?.city ?? '–',
      start: onDay(start, zone),
      end: onDay(end, zone),
    };
    const locales: Locale[] = recipient.locale === 'fi' ? ['fi'] : [recipient.locale, 'fi'];
    const blocks = locales.flatMap((locale, i) => {
      const rtl = locale === 'ar';
      const r = (text: Text) => renderer.render(text, locale);
      return [
        {
          text: r(t('completion:certificate.title')),
          style: 'title' as const,
          align: 'center' as const,
          rtl,
          gap: i ? 48 : 24,
        },
        {
          text: r(t('completion:certificate.programme')),
          style: 'heading' as const,
          align: 'center' as const,
          rtl,
          gap: 8,
        },
        { text: r(t('completion:certificate.body', params)), rtl, gap: 24 },
        { text: r(t('completion:certificate.actor', params)), rtl, gap: 12 },
        { text: r(t('completion:certificate.mentor', params)), rtl },
        { text: r(t('completion:certificate.period', params)), rtl },
      ];
    });
    const pdf = await renderPdf({
      title: renderer.render(t('completion:certificate.title'), recipient.locale),
      blocks,
      framed: true,
    });
    return fileOf('womento-certificate.pdf', 'application/pdf', pdf);
  }
}
