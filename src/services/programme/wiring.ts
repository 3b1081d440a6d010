import type { ActionHandler, CommandHandler, Effect } from '../../core/flow.ts';
import {
  type BoundOperation,
  bindOperations,
  type ImplementationsOf,
  type PresentersOf,
} from '../../core/operation.ts';
import { OPERATIONS, type ProgrammeOperation } from '../../core/operations.ts';
import { t } from '../../core/flow.ts';
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
import { invoke } from '../../core/operation.ts';
import {
  beginAnnouncement,
  beginAttendance,
  beginCohort,
  beginCounselling,
  beginGroupMeeting,
  beginMeeting,
  beginSpaces,
  changeMeeting,
  completePair,
  documentPair,
  listPairs,
  showTimeline,
  type TimelineView,
  withdrawWho,
} from '../../core/operations.ts';
import type { AuditService } from './audit.service.ts';
import type { ErasureService } from './erasure.service.ts';
import type { PrivacyService } from './privacy.service.ts';
import type { OverviewService } from './overview.service.ts';
import type { VocabService } from './vocab.service.ts';
import { setDaily, showVocab } from '../../core/vocab.operations.ts';
import { actOnAlert } from '../../core/alerts.operations.ts';
import { acceptMeeting, followUpMeeting, listMeetings, startCheckin } from '../../core/meetings.operations.ts';

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

const refuse: Effect[] = [{ type: 'say', text: [t('common:not_allowed')] }];

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
    'spaces.joinRequest': async (a, me, ctx) => {
      await s.spaces.joinRequest(a.space, ctx.identity, me, ctx.now);
      return [];
    },
    'spaces.moved': async (a) => {
      await s.spaces.moved(a.from, a.to);
      return [];
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
    'privacy.aiConsent': (a, me, ctx) => s.aiConsent.answer(a.answer, me, ctx.now),
    'reports.period': (a) => s.reports.period(a.scope),
    'reports.build': (a, me, ctx) => s.reports.build(a, me, ctx.now),
    'pairs.document': (a, me, ctx) => s.documentation.document(a, me, ctx.now),
    'privacy.export': (_a, me, ctx) => s.privacy.export(me, ctx.now),
    'privacy.deleteConfirm': async (a) => s.erasure.confirm(a.answer),
    'privacy.delete': (a, me, ctx) => s.erasure.delete(a.word, me, ctx.now),
    'privacy.consent': (a, me, ctx) => s.privacy.answerConsent(a.answer, a.version, me, ctx.now),
    'privacy.audit': (_a, me) => s.audit.list(me.timeZone),
    'vocab.show': (a, me, ctx) => s.vocab.show(a.choice, me, ctx.now),
    'vocab.known': async (a, me, ctx) => {
      await s.vocab.markKnown(a.words, me, ctx.now);
      return [];
    },
    'vocab.daily': (a, me, ctx) => s.vocab.setDaily(a.on, me, ctx.now),
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

/** A partner sees her own pair's timeline; an officer any pair's, and her read is logged. */
async function timelineOf(s: ProgrammeServices, pairId: string, me: Participant, now: Date): Promise<TimelineView> {
  const mine = (await s.pairs.pairsOf(me.id)).some((p) => p.id === pairId);
  if (me.role !== 'officer' && !mine) return { outcome: 'not_allowed' };
  if (me.role === 'officer') await s.audit.record(me.id, `pair:${pairId}`, 'timeline', now);
  return { outcome: 'timeline', events: await s.pairs.timeline(pairId), forOfficer: me.role === 'officer' };
}

/** `/document [<pair id>] [private]`: the words in any order. */
function documentArgs(args: string): { pairId?: string; withPrivateNotes: boolean } {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const withPrivateNotes = words.some((w) => w.toLowerCase() === 'private');
  const pairId = words.find((w) => w.toLowerCase() !== 'private');
  return { ...(pairId ? { pairId } : {}), withPrivateNotes };
}

/** `/vocab`, `/vocab daily`, `/vocab daily off` (also `stop`, `pois`), or a field's name. */
function vocabCommand(args: string): Effect {
  const words = args.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words[0] === 'daily') return invoke(setDaily, { on: !['off', 'stop', 'pois', 'no'].includes(words[1] ?? '') });
  return invoke(showVocab, { choice: words.length ? words.join(' ') : '' });
}

const command = (roles: CommandHandler['roles'], run: CommandHandler['run']): CommandHandler => ({ roles, run });

export function programmeCommands(s: ProgrammeServices): Map<string, CommandHandler> {
  const officer = ['officer'] as const;
  const member = ['actor', 'mentor'] as const;
  return new Map<string, CommandHandler>([
    ['waiting', command(officer, (_a, ctx) => s.pairs.listWaiting(ctx.now))],
    ['pairs', command(officer, async () => [invoke(listPairs, {})])],
    [
      'complete',
      command(officer, async (args) =>
        args ? [invoke(completePair, { pairId: args })] : [{ type: 'say', text: [t('overview:complete.usage')] }],
      ),
    ],
    ['invite', command(officer, (_a, ctx) => s.officers.invite(ctx.participant!, ctx.now))],
    ['cohort', command(officer, async () => [invoke(beginCohort, {})])],
    ['groupmeeting', command(officer, async () => [invoke(beginGroupMeeting, {})])],
    ['attendance', command(officer, async () => [invoke(beginAttendance, {})])],
    ['officerhelp', command(officer, async () => [{ type: 'say', text: [t('officer:help')] }])],
    ['peergroup', command(officer, async () => [invoke(beginSpaces, {})])],
    ['bind', command(officer, (args, ctx) => s.spaces.bind(args, ctx.participant!, ctx))],
    ['withdraw', command(officer, async () => [invoke(withdrawWho, {})])],
    [
      'requests',
      command(officer, async (_a, ctx) => {
        await s.audit.record(ctx.participant!.id, 'counselling', 'counselling_requests', ctx.now);
        return s.counselling.list();
      }),
    ],
    ['mydata', command([...member, 'officer'], (_a, ctx) => s.privacy.export(ctx.participant!, ctx.now))],
    ['delete', command([...member, 'officer'], async () => s.erasure.begin())],
    ['audit', command(officer, (_a, ctx) => s.audit.list(ctx.participant!.timeZone))],
    ['announce', command(officer, async () => [invoke(beginAnnouncement, {})])],
    ['report', command(officer, () => s.reports.begin())],
    ['document', command([...member, 'officer'], async (args) => [invoke(documentPair, documentArgs(args))])],
    ['ask', command(['actor'], (_a, ctx) => s.anonymous.begin(ctx.participant!))],
    ['vocab', command(['actor'], async (args) => [vocabCommand(args)])],
    ['counselling', command(member, async () => [invoke(beginCounselling, {})])],
    ['announcements', command(member, () => s.announcements.preferences())],
    ['privacy', command(member, (_a, ctx) => s.aiConsent.show(ctx.participant!))],
    ['meet', command(member, async () => [invoke(beginMeeting, {})])],
    ['meetings', command(member, async () => [invoke(listMeetings, {})])],
    ['endpair', command([...member, 'officer'], (args, ctx) => s.ending.begin(args, ctx.participant!))],
    ['closepair', command(officer, (args, ctx) => s.completion.close(args, ctx.participant!, ctx.now))],
    [
      'timeline',
      command([...member, 'officer'], async (args, ctx) => {
        const me = ctx.participant!;
        if (me.role === 'officer')
          return args
            ? [invoke(showTimeline, { pairId: args })]
            : [{ type: 'say', text: [t('officer:timeline_usage')] }];
        const pair = (await s.pairs.pairsOf(me.id))[0];
        return pair ? [invoke(showTimeline, { pairId: pair.id })] : [{ type: 'say', text: [t('meetings:no_pair')] }];
      }),
    ],
  ]);
}

export function programmeActions(s: ProgrammeServices): Map<string, ActionHandler> {
  return new Map<string, ActionHandler>([
    [
      'pair.reply',
      (a, v, ctx) =>
        s.pairs.reply(
          a.ref.pairId!,
          a.ref.side === 'mentor' ? 'mentor' : 'actor',
          v === 'accept',
          ctx.participant,
          ctx.now,
        ),
    ],
    ['commitment.start', (a, _v, ctx) => s.commitment.start(a.ref.pairId!, ctx.participant)],
    [
      'commitment.confirm',
      (a, v, ctx) =>
        v === 'confirm'
          ? s.commitment.confirm(a.ref.pairId!, ctx.participant, ctx.now)
          : s.commitment.start(a.ref.pairId!, ctx.participant),
    ],
    [
      'meeting.reply',
      async (a, v) => [
        v === 'accept'
          ? invoke(acceptMeeting, { meetingId: a.ref.meetingId! })
          : invoke(changeMeeting, { what: `move:${a.ref.meetingId}` }),
      ],
    ],
    ['meeting.followup', async (a, v) => [invoke(followUpMeeting, { meetingId: a.ref.meetingId!, answer: v })]],
    ['group.rsvp', (a, v, ctx) => s.cohorts.rsvp(a.ref.meetingId!, v, ctx.participant)],
    ['checkin.met', async (a, v) => [invoke(startCheckin, { checkinId: a.ref.checkinId!, met: v })]],
    [
      'anonymous',
      (a, v, ctx) =>
        ctx.participant.role === 'officer'
          ? s.anonymous.decide(a.ref.questionId!, v, ctx.participant, ctx.now)
          : Promise.resolve(refuse),
    ],
    [
      'counselling',
      (a, v, ctx) =>
        ctx.participant.role === 'officer'
          ? s.counselling.act(a.ref.requestId!, v, ctx.participant, ctx.now)
          : Promise.resolve(refuse),
    ],
    ['survey.start', (a, _v, ctx) => s.completion.beginSurvey(a.ref.surveyId!, ctx.participant)],
    // The daily practice's buttons: a short quiz on the list she has, or stop.
    [
      'vocab.daily',
      async (_a, v) => [v === 'stop' ? invoke(setDaily, { on: false }) : invoke(showVocab, { choice: 'daily' })],
    ],
    ['ending.rejoin', (a, v, ctx) => s.ending.rejoin(a.ref.pairId!, v, ctx.participant, ctx.now)],
    ['alert', async (a, v) => [invoke(actOnAlert, { alertId: a.ref.alertId!, what: v })]],
  ]);
}
