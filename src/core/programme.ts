import { z } from 'zod';
import type { Text } from './flow.ts';

/** A pair moves proposed -> active -> completed | ended; every change is kept with who and when. */
export const PairState = z.enum(['proposed', 'active', 'completed', 'ended']);
export type PairState = z.infer<typeof PairState>;

export const MEETING_FREQUENCIES = ['weekly', 'biweekly', 'monthly'] as const;
export const MeetingFrequency = z.enum(MEETING_FREQUENCIES);

export interface PairChange {
  state: PairState | 'accepted_by_actor' | 'accepted_by_mentor';
  by: string;
  at: Date;
  note?: string;
}

export interface Commitment {
  aims: string[];
  note?: string;
  frequency: z.infer<typeof MeetingFrequency>;
  start: Date;
  plannedEnd: Date;
  draftedBy: string;
  confirmedBy?: string;
  confirmedAt?: Date;
}

export interface Pair {
  id: string;
  actorId: string;
  mentorId: string;
  state: PairState;
  proposedBy: string;
  actorAccepted: boolean;
  mentorAccepted: boolean;
  endedReason?: string;
  history: PairChange[];
  commitment?: Commitment;
  /** A draft waiting for the other side's confirmation. */
  commitmentDraft?: Commitment;
  cohortId?: string;
  createdAt: Date;
}

export const MeetingState = z.enum(['proposed', 'accepted', 'cancelled', 'held', 'missed']);
export type MeetingState = z.infer<typeof MeetingState>;
export const RSVP = z.enum(['coming', 'not_coming', 'maybe']);
export type RSVP = z.infer<typeof RSVP>;

export interface Meeting {
  id: string;
  kind: 'pair' | 'group';
  pairId?: string;
  cohortId?: string;
  /** Ordinal of a cohort's group meeting: 1, 2 or 3. */
  number?: number;
  at: Date;
  /** The proposer's zone: dates are shown to her as she typed them. */
  timeZone: string;
  place?: string;
  state: MeetingState;
  proposedBy: string;
  /** Goes up on every reschedule, so reminders of an older time are recognised as stale. */
  version: number;
  rsvps: Record<string, RSVP>;
  attended: string[];
  createdAt: Date;
}

export interface Cohort {
  id: string;
  name: string;
  pairIds: string[];
  createdBy: string;
  createdAt: Date;
  spaces?: CohortSpaces;
}

export const TIMELINE_TYPES = [
  'proposed',
  'accepted',
  'declined',
  'activated',
  'commitment_set',
  'meeting_proposed',
  'meeting_accepted',
  'meeting_cancelled',
  'meeting_held',
  'meeting_missed',
  'checkin_answered',
  'checkin_missed',
  'nudged',
  'alert_resolved',
  'member_unreachable',
  'ended',
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

/** Append-only facts about a pair: its documentation, and later the input of stall detection. */
export interface TimelineEvent {
  pairId: string;
  type: TimelineType;
  at: Date;
  by?: string;
  data?: Record<string, unknown>;
}

export type OutboxState = 'pending' | 'sent' | 'failed' | 'cancelled';

/** Something to deliver later. Rendered at send time, in the recipient's language of that moment. */
export interface OutboxMessage {
  /** Readable and deterministic, e.g. `reminder:<meetingId>:v2:24h:<participantId>`; unique. */
  key: string;
  recipientId: string;
  due: Date;
  text: Text[];
  /** Buttons: values of a stored action, pressed by the recipient only. */
  action?: { id: string; choices: { value: string; label: Text }[]; columns?: number };
  /** Checked just before sending: a reminder of a cancelled or moved meeting is dropped. */
  guard?: { meetingId: string; version: number; until?: Date } | { checkinId: string };
  /** Essentials (reminders) go even to people who turned announcements off. */
  category: 'essential' | 'announcement';
  /** For a group of many languages: the text in each of these, one after another. */
  locales?: string[];
}

export interface StoredOutboxMessage extends OutboxMessage {
  id: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string;
  sentAt?: Date;
}

/** The owner of buttons any officer may press (alerts); the engine checks the stored role. */
export const OFFICERS = '@officers';

/** A button press that is valid outside any conversation (an invitation's Accept), for one person only. */
export interface PendingAction {
  id: string;
  participantId: string;
  kind: string;
  ref: Record<string, string>;
  values: string[];
  expiresAt: Date;
  /** Used once (a pair proposal), or answerable again (an RSVP). */
  once: boolean;
}

/** One participant's answer to one round of check-ins; `_id` = `checkin:<pairId>:<round>:<participantId>`. */
export interface CheckIn {
  id: string;
  pairId: string;
  round: number;
  participantId: string;
  state: 'sent' | 'answered' | 'missed';
  sentAt: Date;
  answeredAt?: Date;
  met?: 'yes' | 'no' | 'planned';
  rating?: number;
  topics?: string[];
  note?: string;
  /** For officers only; never shown to the partner. */
  privateNote?: string;
}

/** One open alert per pair and signal; officers act on it (nudge, snooze, resolve) and every act is kept. */
export interface Alert {
  id: string;
  pairId: string;
  signalKey: string;
  signal: Record<string, unknown>;
  state: 'open' | 'resolved';
  openedAt: Date;
  lastNotifiedAt: Date;
  snoozedUntil?: Date;
  actions: { what: 'nudged' | 'snoozed' | 'resolved' | 'reminded'; by?: string; byName?: string; at: Date; note?: string }[];
}

/** Where a cohort's members talk among themselves, per platform: `telegram:-100…`, `slack:C…`. */
export type CohortSpaces = Partial<Record<string, string>>;

/** A one-time code an officer types into a new Telegram group to make it a cohort's space. */
export interface BindCode {
  id: string;
  cohortId: string;
  createdBy: string;
  expiresAt: Date;
}

/** A question an actor asks her cohort without her name; `askerId` is never shown in a group. */
export interface AnonymousQuestion {
  id: string;
  cohortId: string;
  askerId: string;
  text: string;
  state: 'pending' | 'posted' | 'rejected';
  createdAt: Date;
  decidedBy?: string;
}

export const COUNSELLING_TOPICS = ['job_search', 'studies', 'wellbeing', 'pairing', 'other'] as const;
export const URGENCY = ['urgent', 'this_week', 'can_wait'] as const;

/** A request for individual counselling; seen by officers only, never by a partner. */
export interface CounsellingRequest {
  id: string;
  participantId: string;
  topic: (typeof COUNSELLING_TOPICS)[number];
  urgency: (typeof URGENCY)[number];
  message?: string;
  state: 'open' | 'taken' | 'resolved';
  takenBy?: string;
  takenByName?: string;
  createdAt: Date;
  resolvedAt?: Date;
}

export const SEGMENTS = ['actors', 'mentors', 'city', 'cohort', 'everyone'] as const;
export type SegmentKind = (typeof SEGMENTS)[number];

/** One announcement to a segment; `texts` per language, or one text under `all`. */
export interface Announcement {
  id: string;
  segment: { kind: SegmentKind; value?: string };
  texts: Partial<Record<string, string>>;
  createdBy: string;
  createdAt: Date;
  /** The outbox messages, counted for the progress report. */
  messageIds: string[];
  reportedAt?: Date;
}

/** A participant's own choices; announcements are on unless she turned them off. */
export interface Preferences {
  id: string;
  announcements: boolean;
}
