import type { Flow } from '../src/core/flow.ts';
import type { PresentersOf } from '../src/core/operation.ts';
import type { ProgrammeOperation } from '../src/core/operations.ts';
import { presentAlertAction, presentAlertNote } from './alerts/alerts.presenter.ts';
import {
  presentAccepted,
  presentFollowUp,
  presentHeld,
  presentMeetingChange,
  presentMeetingStart,
  presentProposal,
  presentUpcoming,
} from './meeting/meeting.presenter.ts';
import { checkinFlow } from './checkin/checkin.flow.ts';
import { presentCheckinAnswer, presentCheckinStart } from './checkin/checkin.presenter.ts';
import { presentClosed, presentEnded, presentSurvey, presentSurveyStart } from './completion/completion.presenter.ts';
import { presentEndingConfirmation, presentEndingStart, presentRejoin } from './ending/ending.presenter.ts';
import { finalSurveyFlow } from './completion/final-survey.flow.ts';
import { commitmentFlow } from './commitment/commitment.flow.ts';
import { askTextFlow, pickFlow, pickManyFlow } from './generic/generic.flows.ts';
import { languageFlow } from './language/language.flow.ts';
import { meetingFlow } from './meeting/meeting.flow.ts';
import { actorRegistrationFlow } from './registration/actor-registration.flow.ts';
import { mentorRegistrationFlow } from './registration/mentor-registration.flow.ts';
import { welcomeFlow } from './welcome/welcome.flow.ts';
import { aiConsentFlow } from './privacy/ai-consent.flow.ts';
import {
  presentAiConsent,
  presentAudit,
  presentConsent,
  presentDeletion,
  presentDeletionStep,
  presentExport,
  presentPrivacy,
} from './privacy/privacy.presenter.ts';
import { presentReport, presentReportPeriod, presentReportScopes } from './report/report.presenter.ts';
import { presentDocument } from './document/document.presenter.ts';
import { presentDaily, presentKnown, presentVocab } from './vocab/vocab.presenter.ts';
import { vocabQuizFlow } from './vocab/vocab-quiz.flow.ts';
import { presentAnnouncement, presentPreference, presentSetting } from './announce/announce.presenter.ts';
import {
  presentAttendance,
  presentCohortCreated,
  presentGroupMeetingPlanned,
  presentGroupMeetingStep,
  presentPairsChoice,
  presentRsvp,
} from './cohorts/cohorts.presenter.ts';
import {
  presentBinding,
  presentGroupMoved,
  presentJoinRequest,
  presentSpaces,
  presentWithdraw,
} from './spaces/spaces.presenter.ts';
import { presentInvitation, presentRedeemed } from './officers/officers.presenter.ts';
import { presentTimeline } from './timeline/timeline.presenter.ts';
import {
  presentCommitmentConfirmed,
  presentCommitmentDraft,
  presentCommitmentStart,
} from './commitment/commitment.presenter.ts';
import { presentAnonymousDecided, presentAnonymousStart, presentAsked } from './anonymous/anonymous.presenter.ts';
import {
  presentCounselling,
  presentCounsellingHandled,
  presentOpenCounselling,
} from './counselling/counselling.presenter.ts';
import { presentOverview } from './pairs/overview.presenter.ts';
import {
  presentCompleted,
  presentDecline,
  presentPairProposal,
  presentPairReply,
  presentRanking,
  presentWaiting,
} from './pairs/pairs.presenter.ts';

export { programmeCommands } from './commands.ts';
export { programmeActions } from './buttons.ts';

export const allFlows: ReadonlyMap<string, Flow> = new Map(
  [
    actorRegistrationFlow,
    mentorRegistrationFlow,
    languageFlow,
    welcomeFlow,
    pickFlow,
    pickManyFlow,
    askTextFlow,
    meetingFlow,
    commitmentFlow,
    checkinFlow,
    aiConsentFlow,
    finalSurveyFlow,
    vocabQuizFlow,
  ].map((f) => [f.name, f]),
);

/** How the chat shows the operations that return domain results. */
export const presenters: PresentersOf<ProgrammeOperation> = {
  'alerts.note': presentAlertNote,
  'meetings.propose': presentProposal,
  'meetings.held': presentHeld,
  'meetings.begin': presentMeetingStart,
  'meetings.change': presentMeetingChange,
  'completion.survey': presentSurvey,
  'pairs.end': presentEnded,
  'reports.build': presentReport,
  'pairs.document': presentDocument,
  'vocab.show': presentVocab,
  'vocab.daily': presentDaily,
  'matching.rank': presentRanking,
  'pairs.propose': presentPairProposal,
  'pairs.decline': presentDecline,
  'pairs.complete': presentCompleted,
  'pairs.overview': presentOverview,
  'checkins.answer': presentCheckinAnswer,
  'counselling.begin': presentCounselling,
  'counselling.topic': presentCounselling,
  'counselling.urgency': presentCounselling,
  'counselling.request': presentCounselling,
  'announce.begin': presentAnnouncement,
  'announce.segment': presentAnnouncement,
  'announce.target': presentAnnouncement,
  'announce.mode': presentAnnouncement,
  'announce.text': presentAnnouncement,
  'announce.confirm': presentAnnouncement,
  'announce.prefs': presentPreference,
  'cohorts.begin': presentPairsChoice,
  'cohorts.create': presentCohortCreated,
  'cohorts.groupMeeting': presentGroupMeetingStep,
  'cohorts.planGroupMeeting': presentGroupMeetingPlanned,
  'cohorts.beginAttendance': presentAttendance,
  'cohorts.attendanceFor': presentAttendance,
  'cohorts.attendance': presentAttendance,
  'spaces.begin': presentSpaces,
  'spaces.open': presentSpaces,
  'spaces.withdrawWho': presentWithdraw,
  'spaces.withdraw': presentWithdraw,
  'officers.redeem': presentRedeemed,
  'timeline.show': presentTimeline,
  'commitment.draft': presentCommitmentDraft,
  'anonymous.submit': presentAsked,
  // privacy
  'privacy.export': presentExport,
  'privacy.deleteBegin': presentDeletionStep,
  'privacy.deleteConfirm': presentDeletionStep,
  'privacy.delete': presentDeletion,
  'privacy.consent': presentConsent,
  'privacy.audit': presentAudit,
  'privacy.aiConsent': presentAiConsent,
  'privacy.show': presentPrivacy,
  // reports
  'reports.begin': presentReportScopes,
  'reports.period': presentReportPeriod,
  // platform events and a quiz's known words: nothing said
  'spaces.joinRequest': presentJoinRequest,
  'spaces.moved': presentGroupMoved,
  'vocab.known': presentKnown,
  // support
  'counselling.act': presentCounsellingHandled,
  'counselling.list': presentOpenCounselling,
  'anonymous.begin': presentAnonymousStart,
  'anonymous.decide': presentAnonymousDecided,
  'announce.setting': presentSetting,
  // ending
  'pairs.endReason': presentEndingConfirmation,
  'ending.begin': presentEndingStart,
  'ending.rejoin': presentRejoin,
  'completion.beginSurvey': presentSurveyStart,
  'completion.close': presentClosed,
  // pairs
  'pairs.reply': presentPairReply,
  'pairs.waiting': presentWaiting,
  'commitment.start': presentCommitmentStart,
  'commitment.confirm': presentCommitmentConfirmed,
  'cohorts.rsvp': presentRsvp,
  'officers.invite': presentInvitation,
  'spaces.bind': presentBinding,
  // alerts
  'alerts.act': presentAlertAction,
  // meetings
  'meetings.accept': presentAccepted,
  'meetings.list': presentUpcoming,
  'meetings.followUp': presentFollowUp,
  'checkins.start': presentCheckinStart,
};
