import type { ConversationState, IdentityKey, Locale, Participant } from './model.ts';
import type { Delivery } from './messages.ts';

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
  findByIdentity(identity: IdentityKey): Promise<Participant | null>;
  findById(id: string): Promise<Participant | null>;
  /** Creates her, or replaces the profile of the participant holding the first identity. */
  save(participant: NewParticipant, now: Date): Promise<Participant>;
  setLocale(id: string, locale: Locale, now: Date): Promise<void>;
}

export interface ConversationRepository {
  load(identity: IdentityKey): Promise<ConversationState | null>;
  /** Saves if nobody saved since `state.revision` was read; throws ConflictError otherwise. */
  save(state: ConversationState): Promise<void>;
}

export interface ProcessedEventRepository {
  isProcessed(eventId: string): Promise<boolean>;
  markProcessed(eventId: string, at: Date): Promise<void>;
}

/** Sends to one platform. Throws ChannelError / RateLimitedError. Returns the platform's message id. */
export interface ChannelPort {
  readonly platform: string;
  deliver(delivery: Delivery): Promise<string | undefined>;
}
