import type { z } from 'zod';
import type { Consent, ConversationState, IdentityKey, Locale, Participant, ParticipantStatus, Role } from './model.ts';
import type { Text } from './flow.ts';
import type { Delivery, InboundEvent } from './messages.ts';
import type {
  Alert,
  CheckIn,
  Cohort,
  Meeting,
  OutboxMessage,
  Pair,
  PairState,
  PendingAction,
  StoredOutboxMessage,
  TimelineEvent,
} from './programme.ts';

export interface Clock {
  now(): Date;
}

/** The subset of pino the core uses, so the core does not depend on it. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export type NewParticipant = Omit<Participant, 'id' | 'createdAt' | 'updatedAt'>;

export interface ParticipantRepository {
  /**
   * Her participant, or null. With `nobodySince` (a `savesMark()` taken when she was found to be nobody) null
   * is answered without a read if no participant holding the identity was saved here since.
   */
  findByIdentity(identity: IdentityKey, nobodySince?: number): Promise<Participant | null>;
  /** Where this process's saves of participants stand: a mark for `findByIdentity`. */
  savesMark(): number;
  findById(id: string): Promise<Participant | null>;
  findByIds(ids: readonly string[]): Promise<Map<string, Participant>>;
  /** Creates her, or replaces the profile of the participant holding the first identity. */
  save(participant: NewParticipant, now: Date): Promise<Participant>;
  setLocale(id: string, locale: Locale, now: Date): Promise<void>;
  setStatus(id: string, status: ParticipantStatus, now: Date): Promise<void>;
  setDisplayName(id: string, name: string, now: Date): Promise<void>;
  /** Registered participants of a role and statuses, oldest first. */
  list(role: Role, statuses: ParticipantStatus[]): Promise<Participant[]>;
  /** Her answer to the separate AI consent; kept when her profile is saved again. */
  setAiConsent(id: string, consent: Consent, now: Date): Promise<void>;
  /** Adds a role-changing fact: makes her an officer (keeping her identities). */
  setRole(id: string, role: Role, now: Date): Promise<void>;
}

export interface ConversationRepository {
  /**
   * Her conversation, or null. May be what this process saved or read of it moments ago, without a read: if
   * it changed since, the save from it is refused (ConflictError), and the next load reads it.
   */
  load(identity: IdentityKey): Promise<ConversationState | null>;
  /**
   * Saves if nobody saved since `state.revision` was read, and returns the revision saved; throws ConflictError
   * otherwise (also when its state came from a copy that is no longer hers).
   */
  save(state: ConversationState): Promise<number>;
}

export interface ProcessedEventRepository {
  /**
   * Claims the event by an insert. The first handling gets `at` = now; a later one (its outcome was
   * not stored, or it was redelivered) gets the time of the first, and `done` once it was stored.
   */
  begin(eventId: string, now: Date): Promise<{ at: Date; done: boolean }>;
  markProcessed(eventId: string, at: Date): Promise<void>;
}

/** Sends to one platform. Throws ChannelError / RateLimitedError. Returns the platform's message id. */
export interface ChannelPort {
  readonly platform: string;
  deliver(delivery: Delivery): Promise<string | undefined>;
}

/**
 * Delivers the replies to people's events: in order per conversation, under the platform's rate
 * limits, retried after a 429 or a transient failure. It never throws; what it gives up is logged.
 */
/** What puts a reply in line under load (see ReplySender): when and how hurriedly its event was written. */
export interface ReplyOrder {
  sentAt?: number;
  hurry?: number;
}

export interface ReplyPort {
  /** Takes one event's replies; resolves once they are accepted, which may be before they are sent. */
  send(deliveries: readonly Delivery[], eventId?: string, order?: ReplyOrder): Promise<void>;
  /** Resolves when every reply accepted so far was sent or given up; used at shutdown. */
  idle(): Promise<void>;
}

export interface PairRepository {
  create(pair: Omit<Pair, 'id'>): Promise<Pair>;
  get(id: string): Promise<Pair | null>;
  /** Replaces the stored pair; callers serialise changes to one pair through the engine's queue. */
  save(pair: Pair): Promise<void>;
  /** Proposed and active pairs she is in. */
  openFor(participantId: string): Promise<Pair[]>;
  list(states: PairState[]): Promise<Pair[]>;
  /**
   * Takes one of the mentor's `capacity` places for the pair; false when all are taken.
   * An insert per place, so two officers proposing at once cannot overfill her.
   */
  claimMentorPlace(mentorId: string, capacity: number, pairId: string): Promise<boolean>;
  releaseMentorPlace(pairId: string): Promise<void>;
  /** How many places of each mentor are taken. */
  placesTaken(mentorIds: string[]): Promise<Map<string, number>>;
}

export interface MeetingRepository {
  create(meeting: Omit<Meeting, 'id'>): Promise<Meeting>;
  get(id: string): Promise<Meeting | null>;
  getMany(ids: readonly string[]): Promise<Map<string, Meeting>>;
  save(meeting: Meeting): Promise<void>;
  /** Meetings of a pair or cohort not yet cancelled, held or missed, soonest first. */
  upcoming(filter: { pairId?: string; cohortId?: string }): Promise<Meeting[]>;
}

export interface CohortRepository {
  create(cohort: Omit<Cohort, 'id'>): Promise<Cohort>;
  get(id: string): Promise<Cohort | null>;
  save(cohort: Cohort): Promise<void>;
  list(): Promise<Cohort[]>;
}

/** Plain records of one kind by id: counselling requests, anonymous questions, announcements. */
export interface RecordStore<T extends { id: string }> {
  create(doc: Omit<T, 'id'>): Promise<T>;
  /** Inserts with its own id; false when that id exists (one-time codes, claims). */
  insert(doc: T): Promise<boolean>;
  get(id: string): Promise<T | null>;
  save(doc: T): Promise<void>;
  delete(id: string): Promise<void>;
  /** Records whose fields equal these values. */
  find(filter: Record<string, string | number | boolean>): Promise<T[]>;
}

/**
 * Running a cohort's group on a platform. Telegram: the group exists, members join by personal
 * links that ask to join, and the bot approves. Slack: the bot creates a private channel and adds members.
 */
export interface GroupAdminPort {
  readonly platform: string;
  /** A link for one person that asks to join (approved by the bot); undefined where members are added directly. */
  inviteLink?(conversationId: string, name: string): Promise<string>;
  approveJoin?(conversationId: string, identity: string): Promise<void>;
  declineJoin?(conversationId: string, identity: string): Promise<void>;
  /** Creates a private space; returns its conversation id. */
  createSpace?(name: string): Promise<string>;
  addMembers?(conversationId: string, identities: readonly string[]): Promise<void>;
  remove(conversationId: string, identity: string): Promise<void>;
}

export interface TimelineRepository {
  append(event: TimelineEvent): Promise<void>;
  forPair(pairId: string): Promise<TimelineEvent[]>;
}

export interface OutboxRepository {
  /** Stores the message unless one with the same key exists; returns false for a duplicate. */
  enqueue(message: OutboxMessage, now: Date): Promise<boolean>;
  /** Many at once (announcements); duplicates by key are skipped; returns the ids of the new ones. */
  enqueueMany(messages: readonly OutboxMessage[], now: Date): Promise<string[]>;
  /** Where each of these messages stands (a progress report); unknown ids are left out. */
  states(
    ids: readonly string[],
  ): Promise<{ id: string; recipientId: string; state: StoredOutboxMessage['state']; lastError?: string }[]>;
  /** Pending messages whose next attempt is due and that nobody holds a live claim on, oldest first. */
  due(now: Date, limit: number): Promise<StoredOutboxMessage[]>;
  get(id: string): Promise<StoredOutboxMessage | null>;
  /** When the first pending message due after `after` falls due (a moved clock stops there); undefined: none. */
  nextDue(after: Date): Promise<Date | undefined>;
  /**
   * Claims attempt `attempt` of the message by inserting `{_id: id:attempt}`; true if this caller won.
   * Atomic on MongoDB and FerretDB alike, so of several instances exactly one sends an attempt.
   */
  claim(id: string, attempt: number, claimedBy: string, leaseUntil: Date): Promise<boolean>;
  /** The same for many messages in one insert; returns the ids this caller won. */
  claimMany(
    attempts: readonly { id: string; attempt: number }[],
    claimedBy: string,
    leaseUntil: Date,
  ): Promise<Set<string>>;
  /** When each of these claims ends (`<id>:<attempt>` -> lease); absent if nobody claimed it. */
  leases(attempts: readonly { id: string; attempt: number }[]): Promise<Map<string, Date>>;
  /** Gives back a claim this caller will not use, so the next try need not wait for its lease. */
  release(id: string, attempt: number): Promise<void>;
  markSent(id: string, at: Date): Promise<void>;
  markSentMany(ids: readonly string[], at: Date): Promise<void>;
  /** Releases the claim of the attempt before `attempts` and sets the next try. */
  retryLater(id: string, attempts: number, nextAttemptAt: Date, error: string): Promise<void>;
  markFailed(id: string, attempts: number, error: string): Promise<void>;
  /** Cancels pending messages whose key starts with the prefix; returns how many. */
  cancelByKeyPrefix(prefix: string): Promise<number>;
  /** Cancels her pending messages (only those of `category` when given); returns how many. */
  cancelForRecipient(recipientId: string, category?: OutboxMessage['category']): Promise<number>;
  /** Counts by state, for reports and tests. */
  countByState(): Promise<Record<string, number>>;
  findByKeyPrefix(prefix: string): Promise<StoredOutboxMessage[]>;
  claimsBy(claimedBy: string): Promise<number>;
}

export interface ActionRepository {
  create(action: PendingAction): Promise<void>;
  get(id: string): Promise<PendingAction | null>;
  /**
   * Records the use of a once-only action; false if it was used already (an insert, so races have one
   * winner). A use by the same event (handled again) is still true.
   */
  use(id: string, at: Date, eventId?: string): Promise<boolean>;
}

/** Renders text in a language; the engine's i18n implements it. */
export interface TextRenderer {
  render(text: Text, locale: Locale): string;
}

export interface CheckInRepository {
  /** Creates the round's check-in unless it exists (false then). */
  create(checkin: CheckIn): Promise<boolean>;
  get(id: string): Promise<CheckIn | null>;
  getMany(ids: readonly string[]): Promise<Map<string, CheckIn>>;
  save(checkin: CheckIn): Promise<void>;
  /** Answered at or after the cutoff (the triage's sweep). */
  answeredSince(cutoff: Date): Promise<CheckIn[]>;
  /** Still unanswered and sent before the cutoff. */
  unansweredSince(cutoff: Date): Promise<CheckIn[]>;
  forPair(pairId: string): Promise<CheckIn[]>;
}

export interface AlertRepository {
  /** Opens an alert unless one is open for the same pair and signal (an insert decides); null then. */
  open(alert: Omit<Alert, 'id'>): Promise<Alert | null>;
  get(id: string): Promise<Alert | null>;
  save(alert: Alert): Promise<void>;
  /** Resolves it and frees the pair and signal for a new alert later. */
  resolve(alert: Alert): Promise<void>;
  listOpen(): Promise<Alert[]>;
}

/** A pair's compact history, due for a health evaluation. */
export interface DueEvaluation {
  pairId: string;
  version: number;
  events: TimelineEvent[];
  /** Where the queue found it; passed back to rescheduleMany. */
  hour?: string;
}

/**
 * Which pairs need a health evaluation: every timeline event makes its pair due at once, and each
 * evaluation says when to look again, so the job touches only pairs that are due.
 */
export interface HealthQueue {
  noteEvent(event: TimelineEvent): Promise<void>;
  due(now: Date, limit: number): Promise<DueEvaluation[]>;
  /**
   * After evaluations: look at each pair again at `at` (null: never, the pair ended). Pass back the
   * `hour` that `due` gave, so the marker read is removed.
   */
  rescheduleMany(items: readonly { pairId: string; version: number; at: Date | null; hour?: string }[]): Promise<void>;
  /** Drops storage of hours long past that hold nothing; returns how many. */
  prune(now: Date): Promise<number>;
}

/** At most `count` sends per `perMs` milliseconds. */
export interface Window {
  count: number;
  perMs: number;
}

/** A platform's send limits; each adapter publishes its own. */
export interface RatePolicy {
  global?: Window;
  /** The window for one conversation (a private chat, a group, a channel). */
  perConversation(conversationId: string): Window | undefined;
}

/** An inbound event kept from its acceptance until it has been handled. */
export interface PendingEvent {
  event: InboundEvent;
  acceptedAt: Date;
  /** 0 for the handling that follows acceptance; each recovery after a lost lease adds one. */
  attempt: number;
  claimedBy: string;
  leaseUntil: Date;
}

/**
 * Durable intake of platform events that are acknowledged as soon as they are stored (Slack):
 * an insert with `_id` = the event id decides, so a redelivery while it is open is recognised and, of
 * several instances, exactly one wins each attempt (atomic on MongoDB and FerretDB alike).
 */
export interface EventInbox {
  /**
   * Stores the neutral event (never its raw payload), held by `claimedBy`; false if it is open (stored and not
   * handled) already. A retry of an event handled before is stored again: the engine knows it by her conversation.
   */
  accept(event: InboundEvent, now: Date, claimedBy: string, leaseUntil: Date): Promise<boolean>;
  /** Events not handled yet, oldest first. */
  pending(limit: number): Promise<PendingEvent[]>;
  /** Claims attempt `attempt` by inserting `<id>:<attempt>`; true if this caller won, and then holds the event. */
  claim(id: string, attempt: number, claimedBy: string, leaseUntil: Date): Promise<boolean>;
  /** Marks the event handled; the mark may be written a moment later (see `flush`). */
  done(id: string, at: Date): Promise<void>;
  /** Writes the marks not written yet; at shutdown. */
  flush?(): Promise<void>;
  /** Forgets claims of attempts (and what an earlier version kept of handled events) older than `before`. */
  prune(before: Date): Promise<number>;
}

/** What an adapter hands an event to when it may acknowledge the platform only once the event is stored. */
export interface InboundIntake {
  /**
   * Resolves once the event is stored (true) or was stored before (false, a redelivery), and handles a new
   * one after, in the background. Rejects when it could not be stored: the platform must not be acknowledged.
   */
  receive(event: InboundEvent): Promise<boolean>;
}

/** What the programme may ask a language model for; each can be turned off on its own (`AI_FEATURES`). */
export const AI_FEATURES = ['triage', 'digest', 'vocab'] as const;
export type AiFeature = (typeof AI_FEATURES)[number];

/** One structured question to a model. `user` must already be redacted: the port sends it as it is. */
export interface AiRequest<T> {
  feature: AiFeature;
  system: string;
  user: string;
  /** The answer's shape: sent as the response format and checked on the answer. */
  schema: z.ZodType<T>;
  schemaName: string;
}

/** Why no answer came: the caller then uses its deterministic fallback. */
export type AiFailure =
  | 'disabled'
  | 'budget'
  | 'circuit_open'
  | 'timeout'
  | 'rate_limited'
  | 'refused'
  | 'invalid'
  | 'failed';
export type AiResult<T> = { ok: true; value: T; tokens: number } | { ok: false; reason: AiFailure };

/**
 * A language model behind a timeout, one retry, a circuit breaker and a daily token budget.
 * It never throws: every failure is a reason, so no flow fails because of the model.
 */
export interface AiPort {
  enabled(feature: AiFeature): boolean;
  complete<T>(request: AiRequest<T>): Promise<AiResult<T>>;
}

/** No model configured: every feature uses its fallback. */
export const NO_AI: AiPort = {
  enabled: () => false,
  complete: async () => ({ ok: false, reason: 'disabled' }),
};

/** One series of a counter (its label values fixed): cheap enough for a hot path. */
export interface CounterSeries {
  inc(by?: number): void;
}
export interface GaugeSeries {
  set(value: number): void;
}
export interface HistogramSeries {
  observe(value: number): void;
}

/** A metric and its label names; `with` gives the series of some label values (keep it, do not ask per call). */
export interface MetricFamily<S, L extends string> {
  with(labels: Readonly<Record<L, string>>): S;
}

export interface MetricSpec<L extends string> {
  name: string;
  help: string;
  labels?: readonly L[];
}

/**
 * Where counters, gauges and histograms go (Prometheus in production, nowhere by default), so the
 * engine and services count without knowing the library. Asking twice for one name gives the same metric.
 */
export interface Metrics {
  counter<L extends string = never>(spec: MetricSpec<L>): MetricFamily<CounterSeries, L>;
  /** `collect`, when given, is read at every scrape (values kept elsewhere, such as the tokens used today). */
  gauge<L extends string = never>(
    spec: MetricSpec<L> & { collect?: (set: (labels: Readonly<Record<L, string>>, value: number) => void) => void },
  ): MetricFamily<GaugeSeries, L>;
  histogram<L extends string = never>(
    spec: MetricSpec<L> & { buckets?: readonly number[] },
  ): MetricFamily<HistogramSeries, L>;
}

const NOOP_SERIES: CounterSeries & GaugeSeries & HistogramSeries = { inc() {}, set() {}, observe() {} };
const NOOP_FAMILY = { with: () => NOOP_SERIES };

/** No metrics kept: the default wherever none are wired in (tests, tools). */
export const NO_METRICS: Metrics = {
  counter: () => NOOP_FAMILY,
  gauge: () => NOOP_FAMILY,
  histogram: () => NOOP_FAMILY,
};
