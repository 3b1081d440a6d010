import { z } from 'zod';
import { MEMBERS, returning } from './operation.ts';
import type { CheckIn, Meeting } from './programme.ts';

/** A pair's own meetings (accept, list, "did you meet?"), and the check-in's first tap, which asks the same. */
const Id = z.string().min(1).max(64);
const Short = z.string().max(200);

/** What a pair works on in a meeting: asked after "we met", and in a check-in. */
export const MEETING_TOPICS = ['working_culture', 'vocabulary', 'cv_applications', 'networking', 'other'] as const;

/** A proposal accepted (the proposer was told, reminders are planned), or it is no longer open to her. */
export type MeetingAccepted = { outcome: 'accepted'; meeting: Meeting } | { outcome: 'not_found' };
export const acceptMeeting = returning<MeetingAccepted>()('meetings.accept', z.object({ meetingId: Id }), MEMBERS);

/** /meetings: her active pairs' coming meetings, soonest first, to cancel or move. */
export type UpcomingMeetings = { outcome: 'none' } | { outcome: 'upcoming'; meetings: Meeting[] };
export const listMeetings = returning<UpcomingMeetings>()('meetings.list', z.object({}), MEMBERS);

/**
 * "Did you meet?": yes (what they worked on is asked next), no (the meeting is recorded as missed and a new one
 * may be proposed), or it moved (a new time is asked); `meeting` as it is now. Or the meeting is not hers.
 */
export type MeetingFollowUp =
  | { outcome: 'met' | 'missed' | 'moved'; meeting: Meeting; pairId: string }
  | { outcome: 'not_found' };
/** `answer`: `yes`, `no` or `moved`. */
export const followUpMeeting = returning<MeetingFollowUp>()(
  'meetings.followUp',
  z.object({ meetingId: Id, answer: Short }),
  MEMBERS,
);

/** A check-in opened by her first answer (`met`: `yes`, `no`, `planned`), or why it cannot be answered. */
export type CheckinStart =
  | { outcome: 'started'; checkin: CheckIn; met: string }
  | { outcome: 'already_answered' | 'missed' | 'not_yours' | 'not_found' };
export const startCheckin = returning<CheckinStart>()(
  'checkins.start',
  z.object({ checkinId: Id, met: Short }),
  MEMBERS,
);

export const MEETINGS_OPERATIONS = [acceptMeeting, listMeetings, followUpMeeting, startCheckin] as const;
