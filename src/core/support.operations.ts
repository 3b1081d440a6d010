import { z } from 'zod';
import { MEMBERS, OFFICER, returning } from './operation.ts';
import type { Participant } from './model.ts';
import type { AnonymousQuestion, Cohort, CounsellingRequest } from './programme.ts';

/** Support beyond the pair: counselling requests, anonymous questions to a cohort, announcement preferences. */
const Id = z.string().min(1).max(64);
const Short = z.string().max(200);

/**
 * An officer's "I'll take it" or "Resolve" on a request, with who did it and when; or why nothing changed
 * (`not_found` also for a choice the request does not have).
 */
export type CounsellingHandled =
  | {
      outcome: 'taken' | 'resolved';
      request: CounsellingRequest;
      requester: Participant | null;
      by: Participant;
      at: Date;
    }
  | { outcome: 'already_taken'; request: CounsellingRequest }
  | { outcome: 'already_resolved' | 'not_found' };
export const handleCounselling = returning<CounsellingHandled>()(
  'counselling.act',
  z.object({ requestId: Id, value: Short }),
  OFFICER,
);
/** The requests still open or taken, oldest first, with who asked. */
export type OpenCounselling = { requests: { request: CounsellingRequest; requester: Participant | null }[] };
export const listCounselling = returning<OpenCounselling>()('counselling.list', z.object({}), OFFICER);

/** /ask: her question is asked for, or she has no cohort, or her cohort no space to post in yet. */
export type AnonymousStart = { outcome: 'ask'; cohort: Cohort } | { outcome: 'no_cohort' | 'no_space' };
export const beginAnonymous = returning<AnonymousStart>()('anonymous.begin', z.object({}), ['actor']);
/** An officer approved (it is posted) or rejected (the asker was told) a question; or it was decided already. */
export type AnonymousDecided =
  | { outcome: 'approved' | 'rejected'; question: AnonymousQuestion; cohort: Cohort; by: Participant; at: Date }
  | { outcome: 'already_decided' | 'not_found' };
export const decideAnonymous = returning<AnonymousDecided>()(
  'anonymous.decide',
  z.object({ questionId: Id, value: Short }),
  OFFICER,
);

/** /announcements: whether announcements reach her now, before she chooses. */
export type AnnouncementSetting = { on: boolean };
export const announcementSetting = returning<AnnouncementSetting>()('announce.setting', z.object({}), MEMBERS);

export const SUPPORT_OPERATIONS = [
  handleCounselling,
  listCounselling,
  beginAnonymous,
  decideAnonymous,
  announcementSetting,
] as const;
