import { z } from 'zod';
import { escapeRegExp } from './text.ts';
import type { Participant } from './model.ts';

/** One officer's read of someone's personal data: who, whose, when, what. Ids only, never the data read. */
export const AuditEntry = z.object({
  id: z.string(),
  at: z.date(),
  /** The officer (participant id) who read. */
  officerId: z.string(),
  /** Whose data: a participant id, or `pair:<id>` where a read covers both partners. */
  subjectId: z.string(),
  /** What was read, a short stable word: `timeline`, `counselling_requests`, `export`, `private_notes` ... */
  what: z.string().max(60),
  /** The record read, e.g. the pair whose documentation it was. */
  ref: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** A consent answer kept as given: the notice's version she agreed to (or refused), and when. */
export const ConsentRecord = z.object({
  id: z.string(),
  participantId: z.string(),
  given: z.boolean(),
  textVersion: z.string(),
  at: z.date(),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

/** The identity an erased participant keeps: her own id, which no platform can send. */
export const erasedIdentity = (participantId: string) => `erased:${participantId}`;
export const isErased = (p: Participant) => p.identities.every((i) => i.startsWith('erased:'));

/** Officers are staff, not participants who agreed to the notice; everyone else follows its version. */
export function needsConsent(p: Participant | null, version: string): boolean {
  if (!p || p.role === 'officer' || p.status === 'registering' || p.status === 'declined' || isErased(p)) return false;
  return !(p.consent.given && p.consent.textVersion === version);
}

/**
 * What identifies a person in stored data. `texts` are matched anywhere in a string (her identities,
 * addresses, the free texts she wrote); `names` (her first name, a profession she typed) only as whole words,
 * and only where the store knows that others' own answers are not kept (messages and notes, not profiles).
 */
export interface Markers {
  texts: string[];
  names: string[];
}

/** Shorter texts would match other people's words by chance (a topic "CV"); they are erased where they are stored. */
export const MIN_MARKER_LENGTH = 5;
export const REDACTED = '[erased]';

/** A matcher for the markers, or null when there are none. */
export function markerPattern(markers: Markers, withNames: boolean): RegExp | null {
  const texts = [...new Set(markers.texts.map((s) => s.trim()).filter((s) => s.length >= MIN_MARKER_LENGTH))];
  const names = withNames ? [...new Set(markers.names.map((s) => s.trim()).filter((s) => s.length >= 2))] : [];
  const parts = [
    ...texts.sort((a, b) => b.length - a.length).map(escapeRegExp),
    ...names.map((n) => `(?<![\\p{L}\\p{N}])${escapeRegExp(n)}(?![\\p{L}\\p{N}])`),
  ];
  return parts.length ? new RegExp(parts.join('|'), 'gu') : null;
}

/**
 * The value with every match replaced, walking plain objects and arrays; dates, ids and other values stay
 * as they are. Keys that match are dropped with their values. `changed` tells whether anything was found.
 */
export function redact(value: unknown, pattern: RegExp): { value: unknown; changed: boolean } {
  let changed = false;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      pattern.lastIndex = 0;
      if (!pattern.test(v)) return v;
      changed = true;
      pattern.lastIndex = 0;
      return v.replace(pattern, REDACTED);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) {
        pattern.lastIndex = 0;
        if (pattern.test(k)) {
          changed = true;
          continue;
        }
        out[k] = walk(inner);
      }
      return out;
    }
    return v;
  };
  const result = walk(value);
  return { value: result, changed };
}

/** Where personal data is kept beyond the typed repositories; implemented over the database. */
export interface PersonalDataStore {
  /** Every record of these collections whose `field` equals `value` (scans: used for exports and erasure only). */
  findBy(collection: string, field: string, value: string): Promise<Record<string, unknown>[]>;
  /** Sets and unsets fields of one record. */
  update(collection: string, id: unknown, set: Record<string, unknown>, unset?: string[]): Promise<void>;
  deleteBy(collection: string, field: string, value: string): Promise<number>;
  /** Her conversation with the bot, so that no copy of it (an instance remembering it) can be saved again. */
  eraseConversation(identity: string): Promise<number>;
  /** Outbox messages to her still waiting, from every hour partition. */
  pendingFor(recipientId: string): Promise<Record<string, unknown>[]>;
  /** Removes every outbox message to her (and its key), sent or not. */
  dropMessagesTo(recipientId: string): Promise<number>;
  /**
   * Replaces every match of the markers in every collection but the listed ones (names only in those that
   * hold messages and notes); a record whose `_id` matches is deleted. Returns how many records changed.
   */
  scrub(markers: Markers, skip: readonly string[]): Promise<number>;
  /** Replaces her participant document by an anonymous one: role, city, levels and dates, nothing that names her. */
  anonymise(participant: Participant, now: Date): Promise<void>;
  setConsent(participantId: string, consent: Participant['consent'], now: Date): Promise<void>;
}
