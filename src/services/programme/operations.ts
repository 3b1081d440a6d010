import {
  type BoundOperation,
  bindOperations,
  type ImplementationsOf,
  type PresentersOf,
} from '../../core/operation.ts';
import { OPERATIONS, type ProgrammeOperation } from '../../core/operations.ts';
import type { Participant } from '../../core/model.ts';
import type { AlertsService } from './alerts.service.ts';
import type { CheckinsService } from './checkins.service.ts';
import type { CohortsService } from './cohorts.service.ts';
import type { CommitmentService } from './commitment.service.ts';
import type { MeetingsService } from './meetings.service.ts';
import type { OfficersService } from './officers.service.ts';
import type { PairsService } from './pairs.service.ts';
import type { SpacesService } from './spaces.service.ts';
import type { AnonymousService } from './anonymous.service.ts';
import type { CounsellingService } from './counselling.service.ts';
import type { AnnouncementsService } from './announcements.service.ts';
import type { CompletionService } from './completion.service.ts';
import type { EndingService } from './ending.service.ts';
import type { AiConsentService } from './ai-consent.service.ts';
import type { TriageService } from './triage.service.ts';
import type { DigestService } from './digest.service.ts';
import type { DocumentationService } from './documentation.service.ts';
import type { ReportsService } from '../reports/reports.service.ts';
import type { TimelineView } from '../../core/operations.ts';
import type { AuditService } from './audit.service.ts';
import type { ErasureService } from './erasure.service.ts';
import type { PrivacyService } from './privacy.service.ts';
import type { OverviewService } from './overview.service.ts';
import type { VocabService } from './vocab.service.ts';

export interface ProgrammeServices {
  checkins: CheckinsService;
  alerts: AlertsService;
  pairs: PairsService;
  commitment: CommitmentService;
  meetings: MeetingsService;
  cohorts: CohortsService;
  officers: OfficersService;
  spaces: SpacesService;
  anonymous: AnonymousService;
  counselling: CounsellingService;
  announcements: AnnouncementsService;
  completion: CompletionService;
  ending: EndingService;
  privacy: PrivacyService;
  aiConsent: AiConsentService;
  triage: TriageService;
  digest: DigestService;
  overview: OverviewService;
  reports: ReportsService;
  documentation: DocumentationService;
  erasure: ErasureService;
  audit: AuditService;
  vocab: VocabService;
}

/** The implementation of every operation in `src/core/operations.ts`, over the programme's services. */
export function programmeOperations(
  s: ProgrammeServices,
  presenters: PresentersOf<ProgrammeOperation>,
): Map<string, BoundOperation> {
  const implementations: ImplementationsOf<ProgrammeOperation> = {
    'officers.redeem': (a, _me, ctx) => s.officers.redeem(a.code, ctx),
    'alerts.note': (a, me, ctx) => s.alerts.note(a.alertId, a.note ?? '', me, ctx.now),
    'matching.rank': (a, _me, ctx) => s.pairs.rank(a.actorId, ctx.now),
    'pairs.propose': (a, me, ctx) => s.pairs.propose(a.actorId, a.mentorId, me, ctx.now),
    'pairs.overview': (_a, _me, ctx) => s.overview.pairs(ctx.now),
    'pairs.complete': (a, me, ctx) => s.overview.complete(a.pairId, me, ctx.now),
    'pairs.decline': (a, me, ctx) => s.pairs.decline(a.pairId, me, a.reason || undefined, ctx.now),
    'commitment.draft': (a, me, ctx) => s.commitment.draft(a, me, ctx.now),
    'meetings.begin': (a, me, ctx) => s.meetings.begin(me, ctx.now, a.pairId, a.replaces),
    'meetings.propose': (a, me, ctx) => s.meetings.propose(a, me, ctx.now),
    'meetings.change': (a, me, ctx) => s.meetings.change(a.what, me, ctx.now),
    'meetings.held': (a, me, ctx) => s.meetings.held(a.meetingId, a.topics, me, ctx.now),
    'cohorts.begin': () => s.cohorts.begin(),
    'cohorts.beginAttendance': () => s.cohorts.beginAttendance(),
    'cohorts.create': (a, me, ctx) => s.cohorts.create(a.pairIds, me, ctx.now),
    'cohorts.groupMeeting': (a, me) => s.cohorts.beginGroupMeeting(a.cohortId, me),
    'cohorts.planGroupMeeting': (a, me, ctx) => s.cohorts.planGroupMeeting(a, me, ctx.now),
    'cohorts.attendanceFor': (a) => s.cohorts.attendanceFor(a.meetingId),
    'cohorts.attendance': (a, me, ctx) => s.cohorts.attendance(a.meetingId, a.present, me, ctx.now),
    'timeline.show': (a, me, ctx) => timelineOf(s, a.pairId, me, ctx.now),
    'spaces.begin': () => s.spaces.begin(),
    'spaces.open': (a, me, ctx) => s.spaces.open(a.cohortId, me, ctx.now),
    'spaces.withdrawWho': (a) => s.spaces.beginWithdraw(a.cohortId),
    'spaces.withdraw': async (a, me, ctx) => {
      const withdrawn = await s.spaces.withdraw(a.cohortId, a.participantId, ctx.now);
      await s.pairs.endForWithdrawal(a.participantId, me, ctx.now);
      return withdrawn;
    },
    'anonymous.submit': (a, me, ctx) => s.anonymous.submit(a.text, me, ctx.now),
    'counselling.begin': async (_a, me) => s.counselling.begin(me),
    'counselling.topic': (a, me) => s.counselling.topic(a.topic, me),
    'counselling.urgency': (a, me) => s.counselling.urgency(a.topic, a.urgency, me),
    'counselling.request': (a, me, ctx) => s.counselling.request(a, me, ctx.now),
    'announce.begin': async () => s.announcements.begin(),
    'announce.segment': (a) => s.announcements.segment(a.kind),
    'announce.target': async (a) => s.announcements.target(a.kind, a.value),
    'announce.mode': async ({ mode, ...draft }) => s.announcements.mode(draft, mode),
    'announce.text': ({ text, ...draft }) => s.announcements.text(draft, text ?? ''),
    'announce.confirm': ({ answer, ...draft }, me, ctx) => s.announcements.confirm(draft, answer, me, ctx.now),
    'announce.prefs': (a, me) => s.announcements.setPreference(me, a.value),
    'checkins.answer': (a, me, ctx) => s.checkins.answer(a, me, ctx.now),
    'completion.survey': (a, me, ctx) => s.completion.answer(a, me, ctx.now),
    'pairs.endReason': (a, me) => s.ending.confirm(a.pairId, a.reason, me),
    'pairs.end': (a, me, ctx) => s.ending.end(a.pairId, a.reason, a.answer, me, ctx.now),
    'reports.build': (a, me, ctx) => s.reports.build(a, me, ctx.now),
    'pairs.document': (a, me, ctx) => s.documentation.document(a, me, ctx.now),
    'vocab.show': (a, me, ctx) => s.vocab.show(a.choice, me, ctx.now),
    'vocab.daily': (a, me, ctx) => s.vocab.setDaily(a.on, me, ctx.now),
    // privacy
    'privacy.export': (_a, me, ctx) => s.privacy.export(me, ctx.now),
    'privacy.deleteBegin': async () => s.erasure.begin(),
    'privacy.deleteConfirm': async (a) => s.erasure.confirm(a.answer),
    'privacy.delete': (a, me, ctx) => s.erasure.delete(a.word, me, ctx.now),
    'privacy.consent': (a, me, ctx) => s.privacy.answerConsent(a.answer, a.version, me, ctx.now),
    'privacy.audit': () => s.audit.list(),
    'privacy.aiConsent': (a, me, ctx) => s.aiConsent.answer(a.answer, me, ctx.now),
    'privacy.show': async (_a, me) => s.aiConsent.show(me),
    // reports
    'reports.begin': () => s.reports.begin(),
    'reports.period': (a) => s.reports.period(a.scope),
    // platform events and a quiz's known words: stored, nothing said
    'spaces.joinRequest': (a, me, ctx) => s.spaces.joinRequest(a.space, ctx.identity, me, ctx.now),
    'spaces.moved': (a) => s.spaces.moved(a.from, a.to),
    'vocab.known': (a, me, ctx) => s.vocab.markKnown(a.words, me, ctx.now),
    // support
    'counselling.act': (a, me, ctx) => s.counselling.act(a.requestId, a.value, me, ctx.now),
    'counselling.list': async (_a, me, ctx) => {
      // Reading who asked for counselling is logged, as any officer's read of personal data.
      await s.audit.record(me.id, 'counselling', 'counselling_requests', ctx.now);
      return s.counselling.list();
    },
    'anonymous.begin': (_a, me) => s.anonymous.begin(me),
    'anonymous.decide': (a, me, ctx) => s.anonymous.decide(a.questionId, a.value, me, ctx.now),
    'announce.setting': (_a, me) => s.announcements.preferences(me),
    // ending
    'ending.begin': (a, me) => s.ending.begin(a.pairId, me),
    'ending.rejoin': (a, me, ctx) => s.ending.rejoin(a.pairId, a.value, me, ctx.now),
    'completion.beginSurvey': (a, me) => s.completion.beginSurvey(a.surveyId, me),
    'completion.close': (a, me, ctx) => s.completion.close(a.pairId, me, ctx.now),
    // pairs
    'pairs.reply': (a, me, ctx) => s.pairs.reply(a.pairId, a.side, a.accept, me, ctx.now),
    'pairs.waiting': () => s.pairs.listWaiting(),
    'commitment.start': (a, me) => s.commitment.start(a.pairId, me),
    'commitment.confirm': (a, me, ctx) => s.commitment.confirm(a.pairId, me, ctx.now),
    'cohorts.rsvp': (a, me) => s.cohorts.rsvp(a.meetingId, a.answer, me),
    'officers.invite': (_a, me, ctx) => s.officers.invite(me, ctx.now),
    'spaces.bind': (a, me, ctx) => s.spaces.bind(a.code, me, ctx),
    // alerts
    'alerts.act': (a, me, ctx) => s.alerts.act(a.alertId, a.what, me, ctx.now),
    // meetings
    'meetings.accept': (a, me, ctx) => s.meetings.accept(a.meetingId, me, ctx.now),
    'meetings.list': (_a, me) => s.meetings.list(me),
    'meetings.followUp': (a, me, ctx) => s.meetings.followUp(a.meetingId, a.answer, me, ctx.now),
    'checkins.start': (a, me) => s.checkins.start(a.checkinId, a.met, me),
  };
  return bindOperations(OPERATIONS, implementations, presenters);
}

/** A partner sees her own pair's timeline; an officer any pair's she names, and her read is logged. */
async function timelineOf(
  s: ProgrammeServices,
  named: string | undefined,
  me: Participant,
  now: Date,
): Promise<TimelineView> {
  if (me.role === 'officer' && !named) return { outcome: 'name_a_pair' };
  const own = await s.pairs.pairsOf(me.id);
  const pairId = named ?? own[0]?.id;
  if (!pairId) return { outcome: 'no_pair' };
  if (me.role !== 'officer' && !own.some((p) => p.id === pairId)) return { outcome: 'not_allowed' };
  if (me.role === 'officer') await s.audit.record(me.id, `pair:${pairId}`, 'timeline', now);
  return { outcome: 'timeline', events: await s.pairs.timeline(pairId), forOfficer: me.role === 'officer' };
}
