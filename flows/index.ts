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
import { presentEnded, presentSurvey } from './completion/completion.presenter.ts';
import { finalSurveyFlow } from './completion/final-survey.flow.ts';
import { commitmentFlow } from './commitment/commitment.flow.ts';
import { askTextFlow, pickFlow, pickManyFlow } from './generic/generic.flows.ts';
import { languageFlow } from './language/language.flow.ts';
import { meetingFlow } from './meeting/meeting.flow.ts';
import { actorRegistrationFlow } from './registration/actor-registration.flow.ts';
import { mentorRegistrationFlow } from './registration/mentor-registration.flow.ts';
import { welcomeFlow } from './welcome/welcome.flow.ts';
import { aiConsentFlow } from './privacy/ai-consent.flow.ts';
import { presentReport } from './report/report.presenter.ts';
import { presentDocument } from './document/document.presenter.ts';
import { presentDaily, presentVocab } from './vocab/vocab.presenter.ts';
import { vocabQuizFlow } from './vocab/vocab-quiz.flow.ts';
import { presentAnnouncement, presentPreference } from './announce/announce.presenter.ts';
import {
  presentAttendance,
  presentCohortCreated,
  presentGroupMeetingPlanned,
  presentGroupMeetingStep,
  presentPairsChoice,
} from './cohorts/cohorts.presenter.ts';
import { presentSpaces, presentWithdraw } from './spaces/spaces.presenter.ts';
import { presentRedeemed } from './officers/officers.presenter.ts';
import { presentTimeline } from './timeline/timeline.presenter.ts';
import { presentCommitmentDraft } from './commitment/commitment.presenter.ts';
import { presentAsked } from './anonymous/anonymous.presenter.ts';
import { presentCounselling } from './counselling/counselling.presenter.ts';
import { presentOverview } from './pairs/overview.presenter.ts';
import { presentCompleted, presentDecline, presentPairProposal, presentRanking } from './pairs/pairs.presenter.ts';

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
  // alerts
  'alerts.act': presentAlertAction,
  // meetings
  'meetings.accept': presentAccepted,
  'meetings.list': presentUpcoming,
  'meetings.followUp': presentFollowUp,
  'checkins.start': presentCheckinStart,
};
