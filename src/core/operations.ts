import { z } from 'zod';
import { MEMBERS, OFFICER, returning } from './operation.ts';
import type { Health, Signal } from './health.ts';
import type { Candidate } from './matching.ts';
import type { Participant } from './model.ts';
import {
  type Announcement,
  type AnonymousQuestion,
  type CheckIn,
  type Cohort,
  type Commitment,
  type CounsellingRequest,
  type CounsellingTopic,
  type EndReason,
  type Meeting,
  type Urgency,
  MeetingFrequency,
  type Pair,
  SEGMENTS,
  type SegmentKind,
  type TimelineEvent,
} from './programme.ts';
import type { ProgrammeReport } from './report.ts';
import type { PairRecord } from './documentation.ts';
import { type ConsentAnswered, PRIVACY_OPERATIONS } from './privacy.operations.ts';
import { VOCAB_OPERATIONS } from './vocab.operations.ts';
import { REPORTS_OPERATIONS, type ReportScopeStep } from './reports.operations.ts';
import { SUPPORT_OPERATIONS } from './support.operations.ts';
import { ENDING_OPERATIONS } from './ending.operations.ts';
import { PAIRS_OPERATIONS } from './pairs.operations.ts';
import { ALERTS_OPERATIONS } from './alerts.operations.ts';
import { MEETINGS_OPERATIONS } from './meetings.operations.ts';

/**
 * Everything the programme does, named once with its input and its callers. The chat's flows, the
 * services' handoffs and, later, the dashboard, reports and the simulation call these by reference;
 * `src/services/programme/operations.ts` implements each one, and the compiler checks that it does.
 * Values a service checks itself (a topic, a button's value) stay strings here, so an unexpected one
 * gets the service's own kind answer rather than a generic one.
 */
const Id = z.string().min(1).max(64);
const Short = z.string().max(200);
const Ids = z.array(Id).max(200);
const Texts = z.record(z.string(), z.string().max(3000));
const Draft = { kind: z.enum(SEGMENTS), value: Short.optional(), texts: Texts.default({}), lang: Short.optional() };

/** An officer's invitation redeemed: the speaker is an officer now; or the code is unknown, used or expired. */
export type OfficerRedeemed = { outcome: 'officer'; officer: Participant } | { outcome: 'invalid' };
export const redeemOfficerCode = returning<OfficerRedeemed>()('officers.redeem', z.object({ code: Short }), 'anyone');
/** An officer's note on an alert she resolved: kept and shared, skipped, or the alert is gone. */
export type AlertNoteOutcome = 'saved' | 'skipped' | 'not_found';
export const noteOnAlert = returning<AlertNoteOutcome>()(
  'alerts.note',
  z.object({ alertId: Id, note: z.string().max(500).optional() }),
  OFFICER,
);

/** The best mentors with a free place for one actor (none may fit), or no such actor. */
export type MentorRanking =
  | { outcome: 'ranked'; actor: Participant; candidates: Candidate[] }
  | { outcome: 'not_found' };
export const rankMentors = returning<MentorRanking>()('matching.rank', z.object({ actorId: Id }), OFFICER);
/** A pair proposed to both (they were told through the outbox), or why not. */
export type PairProposal =
  | { outcome: 'proposed'; pair: Pair; actor: Participant; mentor: Participant }
  | { outcome: 'already_open'; actor: Participant }
  | { outcome: 'mentor_full'; mentor: Participant }
  | { outcome: 'not_found' };
export const proposePair = returning<PairProposal>()('pairs.propose', z.object({ actorId: Id, mentorId: Id }), OFFICER);
/** The officer's view of every pair by state, with its health; and the end of a pair that ran its course. */
/** One pair as officers see it: its partners, since when in its state, and for an active pair its health. */
export interface PairSummary {
  pair: Pair;
  actor: Participant | null;
  mentor: Participant | null;
  since: Date;
  health?: { health: Health; signals: Signal[]; openAlerts: number };
}
/** Every pair by state (the first ones of each; `count` is all), and the cohorts with their next meeting. */
export type PairsOverview =
  | { outcome: 'none' }
  | {
      outcome: 'overview';
      total: number;
      states: { state: 'proposed' | 'active' | 'completed'; count: number; shown: PairSummary[] }[];
      cohorts: { cohort: Cohort; next: Meeting | null }[];
    };
export const listPairs = returning<PairsOverview>()('pairs.overview', z.object({}), OFFICER);
/** A pair completed by an officer (both partners were thanked through the outbox), or it was not active. */
export type PairCompleted =
  | { outcome: 'completed'; pair: Pair; actor: Participant | null; mentor: Participant | null }
  | { outcome: 'not_active' };
export const completePair = returning<PairCompleted>()('pairs.complete', z.object({ pairId: Id }), OFFICER);
/** A proposal declined (the partner and the officer were told), or it is no longer open to her. */
export type PairDeclineOutcome = { outcome: 'declined'; pair: Pair } | { outcome: 'not_found' };
export const declinePair = returning<PairDeclineOutcome>()(
  'pairs.decline',
  z.object({ pairId: Id, reason: z.string().max(500).optional() }),
  MEMBERS,
);

/** A plan drafted and sent to the partner to confirm, or it is no longer hers to draft (or already set). */
export type CommitmentDrafted =
  | { outcome: 'sent'; draft: Commitment; partner: Participant | null }
  | { outcome: 'not_found' };
export const draftCommitment = returning<CommitmentDrafted>()(
  'commitment.draft',
  z.object({
    pairId: Id,
    aims: z.array(z.string().max(500)).max(20),
    note: z.string().max(1000).optional(),
    frequency: MeetingFrequency,
    start: z.iso.datetime(),
    months: z.number().int().min(1).max(24),
  }),
  MEMBERS,
);

/** /meet: which pair (she has several), then its time and place in her zone; `replaces` a meeting being moved. */
export type MeetingStart =
  | { outcome: 'no_pair' }
  | { outcome: 'pick_pair'; pairs: { pair: Pair; partner: Participant | null }[] }
  | { outcome: 'ask_time'; pairId: string; timeZone: string; quick: Date[]; replaces?: string };
export const beginMeeting = returning<MeetingStart>()(
  'meetings.begin',
  z.object({ pairId: Id.optional(), replaces: Id.optional() }),
  MEMBERS,
);
/** A proposed meeting with the partner's name, or why none was proposed. */
export type MeetingProposal =
  | { outcome: 'proposed'; meeting: Meeting; partnerName: string }
  | { outcome: 'no_pair' }
  | { outcome: 'in_past' };
export const proposeMeeting = returning<MeetingProposal>()(
  'meetings.propose',
  z.object({ pairId: Id, at: z.iso.datetime(), place: Short.optional(), replaces: Id.optional() }),
  MEMBERS,
);
/** A meeting from /meetings cancelled, or being moved (its new time is asked), or no longer hers. */
export type MeetingChange = MeetingStart | { outcome: 'cancelled' } | { outcome: 'not_found' };
export const changeMeeting = returning<MeetingChange>()('meetings.change', z.object({ what: Short }), MEMBERS);
/** "We met" recorded (once: a second answer changes nothing), or the meeting is not hers. */
export type MeetingHeldOutcome =
  | { outcome: 'recorded' | 'already_recorded'; meeting: Meeting }
  | { outcome: 'not_found' };
export const meetingHeld = returning<MeetingHeldOutcome>()(
  'meetings.held',
  z.object({ meetingId: Id, topics: z.array(Short).max(20) }),
  MEMBERS,
);

/** The pairs an officer may put in a new cohort (active, in none yet), or too few of them. */
export type CohortPairsChoice =
  | { outcome: 'too_few'; count: number }
  | { outcome: 'pick_pairs'; pairs: { id: string; label: string }[] };
/** The next group meeting: which cohort, or its time and place (in her zone), or none left to plan. */
export type GroupMeetingStep =
  | { outcome: 'no_cohorts' | 'all_planned' }
  | { outcome: 'pick_cohort'; cohorts: Cohort[] }
  | { outcome: 'ask_time'; cohortId: string; timeZone: string };
export type CohortCreated =
  | { outcome: 'wrong_size' | 'pairs_changed'; choice: CohortPairsChoice }
  | { outcome: 'created'; cohort: Cohort; next: GroupMeetingStep };
export type GroupMeetingPlanned =
  | { outcome: 'planned'; meeting: Meeting; invited: number }
  | { outcome: 'all_planned' | 'not_found' };
export type AttendanceStep =
  | { outcome: 'no_meetings' }
  | { outcome: 'pick_meeting'; meetings: Meeting[] }
  | { outcome: 'pick_present'; meeting: Meeting; members: Participant[] }
  | { outcome: 'saved'; meeting: Meeting; present: string[] }
  | { outcome: 'not_found' };
export const beginCohort = returning<CohortPairsChoice>()('cohorts.begin', z.object({}), OFFICER);
export const createCohort = returning<CohortCreated>()('cohorts.create', z.object({ pairIds: Ids }), OFFICER);
export const beginGroupMeeting = returning<GroupMeetingStep>()(
  'cohorts.groupMeeting',
  z.object({ cohortId: Id.optional() }),
  OFFICER,
);
export const planGroupMeeting = returning<GroupMeetingPlanned>()(
  'cohorts.planGroupMeeting',
  z.object({ cohortId: Id, at: z.iso.datetime(), place: Short.optional() }),
  OFFICER,
);
const attendanceStep = returning<AttendanceStep>();
export const beginAttendance = attendanceStep('cohorts.beginAttendance', z.object({}), OFFICER);
export const attendanceFor = attendanceStep('cohorts.attendanceFor', z.object({ meetingId: Id }), OFFICER);
export const recordAttendance = attendanceStep(
  'cohorts.attendance',
  z.object({ meetingId: Id, present: Ids }),
  OFFICER,
);

/** A pair's history for one of its partners or an officer (who alone sees how notes were triaged). */
/** A pair's history; without a pair named, a partner's own pair (an officer must name one). */
export type TimelineView =
  | { outcome: 'timeline'; events: TimelineEvent[]; forOfficer: boolean }
  | { outcome: 'not_allowed' | 'no_pair' | 'name_a_pair' };
export const showTimeline = returning<TimelineView>()('timeline.show', z.object({ pairId: Id.optional() }), [
  'actor',
  'mentor',
  'officer',
]);

/** A cohort's space on one platform: created by the bot, or bound by a code, with how many were invited. */
export type SpaceOpening =
  | { platform: string; outcome: 'created' | 'already_bound'; invited: number }
  | { platform: string; outcome: 'create_failed'; reason: string }
  | { platform: string; outcome: 'bind_code'; code: string };
/** /peergroup: which cohort, then its spaces opened on each platform. */
export type SpacesStep =
  | { outcome: 'no_cohorts' | 'not_found' }
  | { outcome: 'pick_cohort'; cohorts: Cohort[] }
  | { outcome: 'opened'; cohort: Cohort; spaces: SpaceOpening[] };
/** /withdraw: which cohort, which member, then she has left the programme. */
export type WithdrawStep =
  | { outcome: 'no_cohorts' | 'not_found' }
  | { outcome: 'pick_cohort'; cohorts: Cohort[] }
  | { outcome: 'pick_member'; cohortId: string; members: Participant[] }
  | { outcome: 'withdrawn'; person: Participant };
const spacesStep = returning<SpacesStep>();
export const beginSpaces = spacesStep('spaces.begin', z.object({}), OFFICER);
export const openSpaces = spacesStep('spaces.open', z.object({ cohortId: Id }), OFFICER);
const withdrawStep = returning<WithdrawStep>();
export const withdrawWho = withdrawStep('spaces.withdrawWho', z.object({ cohortId: Id.optional() }), OFFICER);
export const withdrawMember = withdrawStep('spaces.withdraw', z.object({ cohortId: Id, participantId: Id }), OFFICER);

/**
 * Platform events about a cohort's group: someone asks to join (approved for its members, declined for others;
 * `ignored` when it is no cohort's group or its platform cannot approve); the group moved to a new id.
 */
export type JoinRequestOutcome = 'approved' | 'declined' | 'ignored';
export const requestToJoin = returning<JoinRequestOutcome>()(
  'spaces.joinRequest',
  z.object({ space: Short }),
  'anyone',
);
/** The cohorts whose group it was (none if it was no cohort's). */
export type GroupMovedOutcome = { cohortIds: string[] };
export const groupMoved = returning<GroupMovedOutcome>()(
  'spaces.moved',
  z.object({ from: Short, to: Short }),
  'anyone',
);

/** An anonymous question posted to her cohort, or sent to the officers to approve first; or she has no cohort. */
export type AnonymousAsked =
  | { outcome: 'posted' | 'in_review'; question: AnonymousQuestion }
  | { outcome: 'no_cohort' };
export const askAnonymously = returning<AnonymousAsked>()(
  'anonymous.submit',
  z.object({ text: z.string().max(1000) }),
  ['actor'],
);

/**
 * Where a counselling request stands: the next question (the topics she may pick, then urgency, then an
 * optional message), or the request sent to the officers. An unknown topic or urgency asks for the topic again.
 */
export type CounsellingStep =
  | { outcome: 'ask_topic'; topics: CounsellingTopic[] }
  | { outcome: 'ask_urgency'; topic: CounsellingTopic }
  | { outcome: 'ask_message'; topic: CounsellingTopic; urgency: Urgency }
  | { outcome: 'sent'; request: CounsellingRequest };
const counselling = returning<CounsellingStep>();
export const beginCounselling = counselling('counselling.begin', z.object({}), MEMBERS);
export const counsellingTopic = counselling('counselling.topic', z.object({ topic: Short }), MEMBERS);
export const counsellingUrgency = counselling(
  'counselling.urgency',
  z.object({ topic: Short, urgency: Short }),
  MEMBERS,
);
export const requestCounselling = counselling(
  'counselling.request',
  z.object({ topic: Short, urgency: Short, message: z.string().max(1000).optional() }),
  MEMBERS,
);

/** An announcement being written: its segment, the texts so far (`all`, or per language) and the language asked. */
export type AnnounceDraft = { kind: SegmentKind; value?: string; texts: Record<string, string>; lang?: string };
/** The next question of /announce, or how it ended; `again`: no text was given, so it is asked again. */
export type AnnounceStep =
  | { outcome: 'ask_segment' }
  | { outcome: 'ask_city'; cities: string[] }
  | { outcome: 'ask_cohort'; cohorts: Cohort[] }
  | { outcome: 'no_cohorts' }
  | { outcome: 'ask_mode'; kind: SegmentKind; value?: string }
  | { outcome: 'ask_text'; draft: AnnounceDraft; lang: string; again?: boolean }
  | { outcome: 'confirm'; draft: AnnounceDraft; count: number }
  | { outcome: 'nobody' | 'cancelled' }
  | { outcome: 'queued'; announcement: Announcement; count: number };
const announce = returning<AnnounceStep>();
export const beginAnnouncement = announce('announce.begin', z.object({}), OFFICER);
export const announceSegment = announce('announce.segment', z.object({ kind: Short }), OFFICER);
export const announceTarget = announce('announce.target', z.object({ kind: z.enum(SEGMENTS), value: Short }), OFFICER);
export const announceMode = announce('announce.mode', z.object({ ...Draft, mode: Short }), OFFICER);
export const announceText = announce(
  'announce.text',
  z.object({ ...Draft, text: z.string().max(3000).optional() }),
  OFFICER,
);
export const announceConfirm = announce('announce.confirm', z.object({ ...Draft, answer: Short }), OFFICER);
/** Announcements turned on or off for her. */
export type AnnouncementPreference = { outcome: 'saved'; on: boolean };
export const announcementPreference = returning<AnnouncementPreference>()(
  'announce.prefs',
  z.object({ value: Short }),
  MEMBERS,
);

/** A check-in's answers stored, or why not: answered already, closed as missed, another person's, or gone. */
export type CheckinAnswerOutcome =
  | { outcome: 'recorded'; checkin: CheckIn }
  | { outcome: 'already_answered' | 'missed' | 'not_yours' | 'not_found' };
export const answerCheckin = returning<CheckinAnswerOutcome>()(
  'checkins.answer',
  z.object({
    checkinId: Id,
    met: Short,
    rating: z.number().int().min(1).max(5),
    topics: z.array(Short).max(20),
    note: z.string().max(1000).optional(),
    privateNote: z.string().max(1000).optional(),
  }),
  MEMBERS,
);

/** A final survey answered; `completed` when it was the pair's last answer and the pair is now completed. */
export type SurveyAnswerOutcome = { outcome: 'recorded'; completed: boolean } | { outcome: 'not_found' };
export const answerFinalSurvey = returning<SurveyAnswerOutcome>()(
  'completion.survey',
  z.object({
    surveyId: Id,
    rating: z.number().int().min(1).max(5),
    changed: z.array(Short).max(10).default([]),
    finnishConfidence: z.number().int().min(1).max(5).optional(),
    wouldMentor: z.boolean(),
    wouldRecommend: z.boolean(),
    note: z.string().max(1000).optional(),
  }),
  MEMBERS,
);

/**
 * Ending a pair early: the reason first, then a confirmation (`answer` = `end` or anything else to keep it).
 * The confirmation names her partner; an officer (`partner` null) is asked about both partners.
 */
export type EndingConfirmation =
  | {
      outcome: 'confirm';
      pair: Pair;
      reason: EndReason;
      actor: Participant | null;
      mentor: Participant | null;
      partner: Participant | null;
    }
  | { outcome: 'not_found' };
export const endPairReason = returning<EndingConfirmation>()(
  'pairs.endReason',
  z.object({ pairId: Id, reason: Short }),
  [...MEMBERS, ...OFFICER],
);
export type EndPairOutcome =
  | { outcome: 'ended'; reason: EndReason; partnerName: string; by: 'member' | 'officer' }
  | { outcome: 'kept' }
  | { outcome: 'not_found' };
export const endPair = returning<EndPairOutcome>()(
  'pairs.end',
  z.object({ pairId: Id, reason: Short, answer: Short }),
  [...MEMBERS, ...OFFICER],
);

/** Her answer to the optional AI consent (`yes` / `no`), from the question after registration or /privacy. */
export const answerAiConsent = returning<ConsentAnswered>()('privacy.aiConsent', z.object({ answer: Short }), MEMBERS);
/** Reports for funders: scope (`all` or a city's key), then the period; typed dates come as `dates`. */
export const reportPeriod = returning<ReportScopeStep>()('reports.period', z.object({ scope: Short }), OFFICER);
export type ReportOutcome =
  | { outcome: 'report'; report: ProgrammeReport }
  | { outcome: 'ask_dates'; scope: string }
  | { outcome: 'bad_dates'; scope: string }
  | { outcome: 'unknown_scope' };
export const buildReport = returning<ReportOutcome>()(
  'reports.build',
  z.object({ scope: Short, period: Short, dates: Short.optional() }),
  OFFICER,
);

/** A pair's documentation: officers name the pair (and may ask for private notes); a partner gets her own. */
export type DocumentOutcome =
  | { outcome: 'record'; record: PairRecord }
  | { outcome: 'choose'; pairs: { id: string; label: string }[] }
  | { outcome: 'usage' | 'no_pair' | 'not_found' | 'not_allowed' };
export const documentPair = returning<DocumentOutcome>()(
  'pairs.document',
  z.object({ pairId: Id.optional(), withPrivateNotes: z.boolean().default(false) }),
  ['actor', 'mentor', 'officer'],
);

/** Every operation, so the implementations can be checked to cover them all. */
export const OPERATIONS = [
  redeemOfficerCode,
  noteOnAlert,
  rankMentors,
  proposePair,
  listPairs,
  completePair,
  declinePair,
  draftCommitment,
  beginMeeting,
  proposeMeeting,
  changeMeeting,
  meetingHeld,
  beginCohort,
  createCohort,
  beginGroupMeeting,
  planGroupMeeting,
  beginAttendance,
  attendanceFor,
  recordAttendance,
  showTimeline,
  beginSpaces,
  openSpaces,
  withdrawWho,
  withdrawMember,
  requestToJoin,
  groupMoved,
  askAnonymously,
  beginCounselling,
  counsellingTopic,
  counsellingUrgency,
  requestCounselling,
  beginAnnouncement,
  announceSegment,
  announceTarget,
  announceMode,
  announceText,
  announceConfirm,
  announcementPreference,
  answerCheckin,
  answerFinalSurvey,
  endPairReason,
  endPair,
  answerAiConsent,
  reportPeriod,
  buildReport,
  documentPair,
  ...PRIVACY_OPERATIONS,
  ...VOCAB_OPERATIONS,
  ...REPORTS_OPERATIONS,
  ...SUPPORT_OPERATIONS,
  ...ENDING_OPERATIONS,
  ...PAIRS_OPERATIONS,
  ...ALERTS_OPERATIONS,
  ...MEETINGS_OPERATIONS,
] as const;

export type ProgrammeOperation = (typeof OPERATIONS)[number];
export type OperationName = ProgrammeOperation['name'];
