import { z } from 'zod';
import { defineOperation, MEMBERS, OFFICER } from './operation.ts';

/** The GDPR rights in chat: access (Art. 15, 20), erasure (Art. 17), consent to a new notice, and the audit log. */
const Short = z.string().max(200);
const REGISTERED = ['actor', 'mentor', 'officer'] as const;

export const exportMyData = defineOperation('privacy.export', z.object({}), REGISTERED);
/** The first confirmation of /delete: a button. */
export const confirmDeletion = defineOperation('privacy.deleteConfirm', z.object({ answer: Short }), REGISTERED);
/** The second: the word typed. */
export const deleteMyData = defineOperation('privacy.delete', z.object({ word: Short }), REGISTERED);
/**
 * Her answer to a new version of the privacy notice. Callable by members whose consent is out of date:
 * the consent gate starts it before anything else she sends is handled.
 */
export const answerConsent = defineOperation('privacy.consent', z.object({ answer: Short, version: Short }), MEMBERS);
export const listAudit = defineOperation('privacy.audit', z.object({}), OFFICER);

export const PRIVACY_OPERATIONS = [exportMyData, confirmDeletion, deleteMyData, answerConsent, listAudit] as const;
