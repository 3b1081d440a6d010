import { z } from 'zod';
import { Text } from './flow.ts';

/** A pair moves proposed -> active -> completed | ended; every change is kept with who and when. */
export const PairState = z.enum(['proposed', 'active', 'completed', 'ended']);
export type PairState = z.infer<typeof PairState>;

export const MEETING_FREQUENCIES = ['weekly', 'biweekly', 'monthly'] as const;
export const MeetingFrequency = z.enum(MEETING_FREQUENCIES);

export const PairChange = z.object({
  state: z.union([PairState, z.enum(['accepted_by_actor', 'accepted_by_mentor'])]),
  by: z.string(),
  at: z.date(),
  note: z.string().optional(),
});
export type PairChange = z.infer<typeof PairChange>;

export const Commitment = z.object({
  aims: z.array(z.string()),
  note: z.string().optional(),
  frequency: MeetingFrequency,
  start: z.date(),
  plannedEnd: z.date(),
  draftedBy: z.string(),
  confirmedBy: z.string().optional(),
  confirmedAt: z.date().optional(),
});
export type Commitment = z.infer<typeof Commitment>;

/** Why a pair ended before its planned end, as she or an officer chose it. */
export const END_REASONS = ['moved', 'no_time', 'not_a_good_fit', 'found_a_job', 'other'] as const;
export const EndReason = z.enum(END_REASONS);
export type EndReason = z.infer<typeof EndReason>;

export const Pair = z.object({
  id: z.string(),
  actorId: z.string(),
  mentorId: z.string(),
  state: PairState,
  proposedBy: z.string(),
  actorAccepted: z.boolean(),
  mentorAccepted: z.boolean(),
  /** Why a proposal never became a pair (declined_by_actor, mentor_full) or a pair was withdrawn. */
  endedReason: z.string().optional(),
  /** When the pair became completed or ended. */
  endedAt: z.date().optional(),
  /** Why it ended early (state ended, by a partner or an officer). */
  endReason: EndReason.optional(),
  history: z.array(PairChange),
  commitment: Commitment.optional(),
  /** A draft waiting for the other side's confirmation. */
  commitmentDraft: Commitment.optional(),
  cohortId: z.string().optional(),
  createdAt: z.date(),
});
export type Pair = z.infer<typeof Pair>;

export const MeetingState = z.enum(['proposed', 'accepted', 'cancelled', 'held', 'missed']);
export type MeetingState = z.infer<typeof MeetingState>;
export const RSVP = z.enum(['coming', 'not_coming', 'maybe']);
export type RSVP = z.infer<typeof RSVP>;

export const Meeting = z.object({
  id: z.string(),
  kind: z.enum(['pair', 'group']),
  pairId: z.string().optional(),
  cohortId: z.string().optional(),
  /** Ordinal of a cohort's group meeting: 1, 2 or 3. */
  number: z.number().int().optional(),
  at: z.date(),
  /** The proposer's zone: dates are shown to her as she typed them. */
  timeZone: z.string(),
  place: z.string().optional(),
  state: MeetingState,
  proposedBy: z.string(),
  /** Goes up on every reschedule, so reminders of an older time are recognised as stale. */
  version: z.number().int(),
  rsvps: z.record(z.string(), RSVP),
  attended: z.array(z.string()),
  createdAt: z.date(),
});
export type Meeting = z.infer<typeof Meeting>;

/** Where a cohort's members talk among themselves, per platform: `telegram:-100…`, `slack:C…`. */
export const CohortSpaces = z.partialRecord(z.string(), z.string());
export type CohortSpaces = z.infer<typeof CohortSpaces>;

/** A cohort's size in pairs. */
export const COHORT_MIN = 5;
export const COHORT_MAX = 8;
export const Cohort = z.object({
  id: z.string(),
  name: z.string(),
  pairIds: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.date(),
  spaces: CohortSpaces.optional(),
});
export type Cohort = z.infer<typeof Cohort>;

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
  'survey_answered',
  'completed',
  /** A check-in note read for risk (low or high); for officers only, never shown to the pair. */
  'note_triaged',
] as const;
export const TimelineType = z.enum(TIMELINE_TYPES);
export type TimelineType = z.infer<typeof TimelineType>;

/** Append-only facts about a pair: its documentation, and later the input of stall detection. */
export const TimelineEvent = z.object({
  pairId: z.string(),
  type: TimelineType,
  at: z.date(),
  by: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const OutboxState = z.enum(['pending', 'sent', 'failed', 'cancelled']);
export type OutboxState = z.infer<typeof OutboxState>;

/** Something to deliver later. Rendered at send time, in the recipient's language of that moment. */
export const OutboxMessage = z.object({
  /** Readable and deterministic, e.g. `reminder:<meetingId>:v2:24h:<participantId>`; unique. */
  key: z.string(),
  recipientId: z.string(),
  due: z.date(),
  text: z.array(Text),
  /** Buttons: values of a stored action, pressed by the recipient only. */
  action: z
    .object({
      id: z.string(),
      choices: z.array(z.object({ value: z.string(), label: Text })),
      columns: z.number().int().optional(),
    })
    .optional(),
  /** Checked just before sending: a reminder of a cancelled or moved meeting is dropped. */
  guard: z
    .union([
      z.object({ meetingId: z.string(), version: z.number().int(), until: z.date().optional() }),
      z.object({ checkinId: z.string() }),
    ])
    .optional(),
  /** A file made when it is sent, in the recipient's language of then (a certificate of participation). */
  attachment: z.object({ kind: z.literal('certificate'), pairId: z.string() }).optional(),
  /** Essentials (reminders) go even to people who turned announcements off. */
  category: z.enum(['essential', 'announcement']),
  /** For a group of many languages: the text in each of these, one after another. */
  locales: z.array(z.string()).optional(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;

export const StoredOutboxMessage = OutboxMessage.extend({
  id: z.string(),
  state: OutboxState,
  attempts: z.number().int().min(0),
  nextAttemptAt: z.date(),
  lastError: z.string().optional(),
  sentAt: z.date().optional(),
});
export type StoredOutboxMessage = z.infer<typeof StoredOutboxMessage>;

/** The owner of buttons any officer may press (alerts); the engine checks the stored role. */
export const OFFICERS = '@officers';

/** A button press that is valid outside any conversation (an invitation's Accept), for one person only. */
export const PendingAction = z.object({
  id: z.string(),
  participantId: z.string(),
  kind: z.string(),
  ref: z.record(z.string(), z.string()),
  values: z.array(z.string()),
  expiresAt: z.date(),
  /** Used once (a pair proposal), or answerable again (an RSVP). */
  once: z.boolean(),
});
export type PendingAction = z.infer<typeof PendingAction>;

/** One participant's answer to one round of check-ins; `_id` = `checkin:<pairId>:<round>:<participantId>`. */
export const CheckIn = z.object({
  id: z.string(),
  pairId: z.string(),
  round: z.number().int(),
  participantId: z.string(),
  state: z.enum(['sent', 'answered', 'missed']),
  sentAt: z.date(),
  answeredAt: z.date().optional(),
  met: z.enum(['yes', 'no', 'planned']).optional(),
  rating: z.number().optional(),
  topics: z.array(z.string()).optional(),
  note: z.string().optional(),
  /** For officers only; never shown to the partner. */
  privateNote: z.string().optional(),
});
export type CheckIn = z.infer<typeof CheckIn>;

/** One open alert per pair and signal; officers act on it (nudge, snooze, resolve) and every act is kept. */
export const Alert = z.object({
  id: z.string(),
  pairId: z.string(),
  signalKey: z.string(),
  signal: z.record(z.string(), z.unknown()),
  state: z.enum(['open', 'resolved']),
  openedAt: z.date(),
  lastNotifiedAt: z.date(),
  snoozedUntil: z.date().optional(),
  actions: z.array(
    z.object({
      what: z.enum(['nudged', 'snoozed', 'resolved', 'reminded', 'marked_wrong']),
      by: z.string().optional(),
      byName: z.string().optional(),
      at: z.date(),
      note: z.string().optional(),
    }),
  ),
});
export type Alert = z.infer<typeof Alert>;

/** A one-time code an officer types into a new Telegram group to make it a cohort's space. */
export const BindCode = z.object({
  id: z.string(),
  cohortId: z.string(),
  createdBy: z.string(),
  expiresAt: z.date(),
});
export type BindCode = z.infer<typeof BindCode>;

/** That something happened once, under an id that says what (a code used, a report sent). */
export const Occurrence = z.object({ id: z.string(), at: z.date() });
export type Occurrence = z.infer<typeof Occurrence>;

/** A question an actor asks her cohort without her name; `askerId` is never shown in a group. */
export const AnonymousQuestion = z.object({
  id: z.string(),
  cohortId: z.string(),
  askerId: z.string(),
  text: z.string(),
  state: z.enum(['pending', 'posted', 'rejected']),
  createdAt: z.date(),
  decidedBy: z.string().optional(),
});
export type AnonymousQuestion = z.infer<typeof AnonymousQuestion>;

export const COUNSELLING_TOPICS = ['job_search', 'studies', 'wellbeing', 'pairing', 'other'] as const;
export const URGENCY = ['urgent', 'this_week', 'can_wait'] as const;
export type CounsellingTopic = (typeof COUNSELLING_TOPICS)[number];
export type Urgency = (typeof URGENCY)[number];

/** A request for individual counselling; seen by officers only, never by a partner. */
export const CounsellingRequest = z.object({
  id: z.string(),
  participantId: z.string(),
  topic: z.enum(COUNSELLING_TOPICS),
  urgency: z.enum(URGENCY),
  message: z.string().optional(),
  state: z.enum(['open', 'taken', 'resolved']),
  takenBy: z.string().optional(),
  takenByName: z.string().optional(),
  createdAt: z.date(),
  resolvedAt: z.date().optional(),
});
export type CounsellingRequest = z.infer<typeof CounsellingRequest>;

export const SEGMENTS = ['actors', 'mentors', 'city', 'cohort', 'everyone'] as const;
export type SegmentKind = (typeof SEGMENTS)[number];

/** One announcement to a segment; `texts` per language, or one text under `all`. */
export const Announcement = z.object({
  id: z.string(),
  segment: z.object({ kind: z.enum(SEGMENTS), value: z.string().optional() }),
  texts: z.partialRecord(z.string(), z.string()),
  createdBy: z.string(),
  createdAt: z.date(),
  /** The outbox messages, counted for the progress report. */
  messageIds: z.array(z.string()),
  reportedAt: z.date().optional(),
});
export type Announcement = z.infer<typeof Announcement>;

/** A participant's own choices; announcements are on unless she turned them off. */
export const Preferences = z.object({
  id: z.string(),
  announcements: z.boolean(),
});
export type Preferences = z.infer<typeof Preferences>;

/** What changed for her during the programme, as the final survey asks. */
export const SURVEY_CHANGES = [
  'cv',
  'applications',
  'interviews',
  'job_or_traineeship',
  'studies',
  'networks',
] as const;
export const SurveyChange = z.enum(SURVEY_CHANGES);

/**
 * One partner's final survey at the pair's planned end; `_id` = `survey:<pairId>:<participantId>`, so
 * it is created once. The outcomes (changed, Finnish confidence) are asked of the actor only.
 */
export const FinalSurvey = z.object({
  id: z.string(),
  pairId: z.string(),
  participantId: z.string(),
  role: z.enum(['actor', 'mentor']),
  state: z.enum(['sent', 'answered']),
  sentAt: z.date(),
  answeredAt: z.date().optional(),
  /** How it went, 1-5. */
  rating: z.number().int().min(1).max(5).optional(),
  changed: z.array(SurveyChange).optional(),
  finnishConfidence: z.number().int().min(1).max(5).optional(),
  /** An actor: would she be a mentor one day; a mentor: would she mentor again. */
  wouldMentor: z.boolean().optional(),
  wouldRecommend: z.boolean().optional(),
  note: z.string().optional(),
});
export type FinalSurvey = z.infer<typeof FinalSurvey>;
export const TRIAGE_TOPICS = [
  'wellbeing',
  'pair_problem',
  'wants_to_quit',
  'job_search',
  'language',
  'practical',
  'other',
] as const;
export const TriageRisk = z.enum(['none', 'low', 'high']);

/** How one check-in note was read; `_id` = `<checkinId>:<field>`. Officers may mark it wrong. */
export const Triage = z.object({
  id: z.string(),
  checkinId: z.string(),
  pairId: z.string(),
  participantId: z.string(),
  field: z.enum(['note', 'privateNote']),
  risk: TriageRisk,
  topics: z.array(z.string()),
  /** One line in the officers' language: the model's (names put back), or the keywords found. */
  reason: z.string(),
  source: z.enum(['ai', 'keywords']),
  /** Why the model was not asked or did not answer, when the keywords decided. */
  fallbackReason: z.string().optional(),
  at: z.date(),
  markedWrong: z.object({ by: z.string(), at: z.date() }).optional(),
});
export type Triage = z.infer<typeof Triage>;
