import { z } from 'zod';
import type { Consent } from './model.ts';
import { MEMBERS, OFFICER, returning } from './operation.ts';
import type { AuditEntry } from './privacy.ts';

/** The GDPR rights in chat: access (Art. 15, 20), erasure (Art. 17), consent to a new notice, and the audit log. */
const Short = z.string().max(200);
const REGISTERED = ['actor', 'mentor', 'officer'] as const;

/** Everything stored about her, and the same as a JSON file she can take elsewhere. */
export interface DataExport {
  data: Record<string, unknown>;
  file: { name: string; mimeType: 'application/json'; contents: string };
  /** How long her data is kept after her pair ends, as the explanation beside the file says. */
  retentionMonths: number;
}
export const exportMyData = returning<DataExport>()('privacy.export', z.object({}), REGISTERED);

/**
 * Erasure asks twice: a button (`ask_confirmation`), then the word typed (`ask_word`); any other answer to the
 * button keeps her data, a wrong word erases nothing.
 */
export type DeletionStep = 'ask_confirmation' | 'ask_word' | 'kept';
export type DeletionOutcome = 'erased' | 'word_wrong';
export const beginDeletion = returning<DeletionStep>()('privacy.deleteBegin', z.object({}), REGISTERED);
/** The first confirmation of /delete: a button. */
export const confirmDeletion = returning<DeletionStep>()(
  'privacy.deleteConfirm',
  z.object({ answer: Short }),
  REGISTERED,
);
/** The second: the word typed. */
export const deleteMyData = returning<DeletionOutcome>()('privacy.delete', z.object({ word: Short }), REGISTERED);

/** A consent answer (`yes` / `no`) as stored, or an answer that was neither. */
export type ConsentAnswered = { outcome: 'given' | 'refused'; consent: Consent } | { outcome: 'unknown_answer' };
/**
 * Her answer to a new version of the privacy notice. Callable by members whose consent is out of date:
 * the consent gate starts it before anything else she sends is handled.
 */
export const answerConsent = returning<ConsentAnswered>()(
  'privacy.consent',
  z.object({ answer: Short, version: Short }),
  MEMBERS,
);

/** The latest reads of personal data by officers, newest first, each with the officer's name. */
export type AuditLog = { entry: AuditEntry; officerName: string }[];
export const listAudit = returning<AuditLog>()('privacy.audit', z.object({}), OFFICER);

/** `/privacy`: her AI consent as it stands, and whether AI is on at all (else she cannot change it here). */
export interface PrivacySummary {
  aiConsent: 'on' | 'off' | 'unset';
  aiAvailable: boolean;
}
export const showPrivacy = returning<PrivacySummary>()('privacy.show', z.object({}), MEMBERS);

export const PRIVACY_OPERATIONS = [
  exportMyData,
  beginDeletion,
  confirmDeletion,
  deleteMyData,
  answerConsent,
  listAudit,
  showPrivacy,
] as const;
