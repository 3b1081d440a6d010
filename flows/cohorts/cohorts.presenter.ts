import type { Effect, Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { nameOf, when } from '../../src/core/labels.ts';
import { askToPick, handoff, type Presenter } from '../../src/core/operation.ts';
import {
  type AttendanceStep,
  attendanceFor,
  beginGroupMeeting,
  type CohortPairsChoice,
  createCohort,
  type GroupMeetingStep,
  type planGroupMeeting,
  recordAttendance,
} from '../../src/core/operations.ts';
import type { answerRsvp } from '../../src/core/pairs.operations.ts';
import { COHORT_MAX, COHORT_MIN } from '../../src/core/programme.ts';

const say = (...text: Text[]): Effect => ({ type: 'say', text });

/** /cohort: too few free pairs, or a choice of 5-8 of them. */
export const presentPairsChoice = (r: CohortPairsChoice): Effect[] => {
  if (r.outcome === 'too_few') return [say(t('cohorts:too_few_pairs', { count: r.count, min: COHORT_MIN }))];
  return [
    {
      type: 'begin',
      flow: 'pick-many',
      args: {
        question: t('cohorts:pick_pairs', { min: COHORT_MIN, max: COHORT_MAX }),
        options: r.pairs.map((p) => ({ value: p.id, label: { literal: p.label } })),
        ...handoff(createCohort, 'pairIds', {}),
        min: COHORT_MIN,
        max: COHORT_MAX,
      },
    },
  ];
};

/** /groupmeeting: which cohort, then the meeting flow asks when and where. */
export const presentGroupMeetingStep = (r: GroupMeetingStep): Effect[] => {
  switch (r.outcome) {
    case 'no_cohorts':
      return [say(t('cohorts:none'))];
    case 'all_planned':
      return [say(t('cohorts:all_planned'))];
    case 'pick_cohort':
      return [
        askToPick(
          t('cohorts:which'),
          r.cohorts.map((c) => ({ value: c.id, label: t('cohorts:name', { name: c.name }) })),
          handoff(beginGroupMeeting, 'cohortId', {}),
        ),
      ];
    case 'ask_time':
      return [{ type: 'begin', flow: 'meeting', args: { cohortId: r.cohortId, timeZone: r.timeZone, quick: [] } }];
  }
};

export const presentCohortCreated: Presenter<typeof createCohort> = (r) => {
  if (r.outcome !== 'created') {
    const why =
      r.outcome === 'wrong_size' ? t('cohorts:size', { min: COHORT_MIN, max: COHORT_MAX }) : t('cohorts:pairs_changed');
    return [say(why), ...presentPairsChoice(r.choice)];
  }
  return [
    say(t('cohorts:created', { name: r.cohort.name, count: r.cohort.pairIds.length })),
    ...presentGroupMeetingStep(r.next),
  ];
};

/** The officer's confirmation; the members' invitations went through the outbox. */
export const presentGroupMeetingPlanned: Presenter<typeof planGroupMeeting> = (r) => {
  if (r.outcome !== 'planned')
    return [say(t(r.outcome === 'not_found' ? 'common:button_expired' : 'cohorts:all_planned'))];
  const { meeting } = r;
  const at = when(meeting.at, meeting.timeZone);
  return [say(t('cohorts:planned', { number: meeting.number ?? 0, when: at, count: r.invited }))];
};

/** /attendance: which meeting, who came, saved. */
export const presentAttendance = (r: AttendanceStep): Effect[] => {
  switch (r.outcome) {
    case 'not_found':
      return [say(t('common:button_expired'))];
    case 'no_meetings':
      return [say(t('cohorts:no_meetings'))];
    case 'pick_meeting':
      return [
        askToPick(
          t('cohorts:which_meeting'),
          r.meetings.map((m) => ({
            value: m.id,
            label: t('cohorts:meeting_label', { number: m.number ?? 0, when: when(m.at, m.timeZone) }),
          })),
          handoff(attendanceFor, 'meetingId', {}),
        ),
      ];
    case 'pick_present':
      return [
        {
          type: 'begin',
          flow: 'pick-many',
          args: {
            question: t('cohorts:who_came'),
            options: r.members.map((m) => ({ value: m.id, label: { literal: nameOf(m) } })),
            ...handoff(recordAttendance, 'present', { meetingId: r.meeting.id }),
            min: 0,
          },
        },
      ];
    case 'saved':
      return [say(t('cohorts:attendance_saved', { count: r.present.length }))];
  }
};

/** Thanks for her answer to a group meeting's invitation, in its words (coming, not coming, maybe). */
export const presentRsvp: Presenter<typeof answerRsvp> = (r) =>
  r.outcome === 'not_found' ? [say(t('common:button_expired'))] : [say(t(`cohorts:rsvp_thanks.${r.answer}`))];
