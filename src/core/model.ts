import { z } from 'zod';

/** Languages the bot speaks; the first is the fallback. */
export const LOCALES = ['en', 'fi', 'ru', 'uk', 'ar'] as const;
export const Locale = z.enum(LOCALES);
export type Locale = z.infer<typeof Locale>;

export const Role = z.enum(['actor', 'mentor', 'officer']);
export type Role = z.infer<typeof Role>;

/**
 * registering: consented, profile not yet confirmed; declined: refused consent, nothing else stored;
 * finished: her pair completed or ended and she is not waiting for a new mentor (still reachable).
 */
export const ParticipantStatus = z.enum([
  'registering',
  'waiting',
  'paired',
  'unreachable',
  'left',
  'declined',
  'finished',
]);
export type ParticipantStatus = z.infer<typeof ParticipantStatus>;

export const FINNISH_LEVELS = ['A1', 'A2', 'B1', 'B2', 'C1', 'C2', 'unknown'] as const;
export const FinnishLevel = z.enum(FINNISH_LEVELS);

export const EDUCATION_LEVELS = ['secondary', 'vocational', 'bachelor', 'master', 'doctorate', 'other'] as const;
export const EducationLevel = z.enum(EDUCATION_LEVELS);

export const GOALS = ['working_culture', 'vocabulary', 'cv_applications', 'networking', 'job_search'] as const;
export const Goal = z.enum(GOALS);
/** A listed goal, or one in her own words ("Other"). */
export const GoalAnswer = z.union([Goal, z.string().min(2).max(100)]);

export const AVAILABILITY = ['weekday_daytime', 'evenings', 'weekends'] as const;
export const Availability = z.enum(AVAILABILITY);

/** Languages offered as buttons; anything else can be typed. Stored as ISO 639-1 codes or free text. */
export const SPOKEN_LANGUAGES = ['fi', 'en', 'sv', 'ru', 'uk', 'ar', 'fa', 'so', 'es', 'fr'] as const;

export const CITIES = [
  'Helsinki',
  'Espoo',
  'Vantaa',
  'Tampere',
  'Turku',
  'Oulu',
  'Jyväskylä',
  'Lahti',
  'Kuopio',
  'Pori',
] as const;

/** A person's address on one platform: `telegram:<userId>`, `slack:<team>:<user>`, `console:<name>`. */
export const IdentityKey = z.string().regex(/^[a-z]+:[A-Za-z0-9:_-]{1,100}$/);
export type IdentityKey = z.infer<typeof IdentityKey>;
/** A person's name in the console chat, the `<name>` of `console:<name>` (lower case). */
export const CONSOLE_NAME = /^[a-z0-9_-]{1,32}$/;

export const Consent = z.object({
  given: z.boolean(),
  textVersion: z.string(),
  at: z.date(),
});
export type Consent = z.infer<typeof Consent>;

export const ActorProfile = z.object({
  firstName: z.string(),
  city: z.string(),
  profession: z.string(),
  education: EducationLevel,
  /** Whole or half years ("7,5"), as she wrote them. */
  yearsExperience: z.number().min(0).max(60),
  finnishLevel: FinnishLevel,
  goals: z.array(GoalAnswer).min(1),
  languages: z.array(z.string()).min(1),
  availability: z.array(Availability).min(1),
});
export type ActorProfile = z.infer<typeof ActorProfile>;

export const MentorProfile = z.object({
  firstName: z.string(),
  field: z.string(),
  organisation: z.string().optional(),
  city: z.string(),
  languages: z.array(z.string()).min(1),
  capacity: z.number().int().min(1).max(3),
  availability: z.array(Availability).min(1),
});
export type MentorProfile = z.infer<typeof MentorProfile>;

export const Participant = z.object({
  id: z.string(),
  role: Role,
  identities: z.array(IdentityKey).min(1),
  /** Where the bot writes to her, per platform (a Telegram chat id may differ from the user id). */
  addresses: z.record(z.string(), z.string()),
  /** The name the platform shows (officers have no profile); kept up to date as she writes. */
  displayName: z.string().max(64).optional(),
  locale: Locale,
  timeZone: z.string(),
  status: ParticipantStatus,
  consent: Consent,
  /** Optional and separate: her check-in notes may go, redacted, to a language model. Absent: never asked. */
  aiConsent: Consent.optional(),
  actor: ActorProfile.optional(),
  mentor: MentorProfile.optional(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type Participant = z.infer<typeof Participant>;

/** A conversation in progress; `step` is a name, never an index, so reordering steps cannot corrupt it. */
export const FlowState = z.object({
  flow: z.string(),
  version: z.number().int(),
  step: z.string(),
  data: z.record(z.string(), z.unknown()),
  /** Steps visited, for /back. */
  history: z.array(z.string()),
  /** Changes each time a question is asked; buttons carry it so stale presses are recognised. */
  promptId: z.string(),
  /** Set by /cancel: the answers are kept and /start resumes. */
  paused: z.boolean().default(false),
  /** The open question was offered again after something unrelated; it is not offered a second time. */
  reoffered: z.boolean().optional(),
});
export type FlowState = z.infer<typeof FlowState>;

export interface ConversationState {
  identity: IdentityKey;
  locale?: Locale;
  flow?: FlowState;
  /** Ids of the last events applied to this document, so a redelivered event is applied once. */
  recentEventIds: string[];
  revision: number;
}
