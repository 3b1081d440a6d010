import { z } from 'zod';
import type { Participant } from './model.ts';
import { MEMBERS, OFFICER, returning } from './operation.ts';
import type { Cohort, Commitment, Meeting, Pair, RSVP } from './programme.ts';

/**
 * A pair's first steps (the partners' answers to a proposal, their written commitment) and the officers' tools
 * around them: the actors waiting for a mentor, invitations of new officers, the binding of a cohort's group.
 */
const Id = z.string().min(1).max(64);
const Short = z.string().max(200);

/**
 * Her answer to a proposal: accepted (the other's answer awaited, or now both: the pair is active and both were
 * introduced through the outbox); a no, whose optional reason is asked next; or the proposal is no longer hers.
 */
export type PairReplyOutcome =
  | { outcome: 'accepted' | 'activated' | 'declining'; pair: Pair }
  | { outcome: 'not_found' };
export const replyToPair = returning<PairReplyOutcome>()(
  'pairs.reply',
  z.object({ pairId: Id, side: z.enum(['actor', 'mentor']), accept: z.boolean() }),
  MEMBERS,
);

/** The actors registered and without an open pair, oldest first (the first twenty). */
export type WaitingActors = { actors: Participant[] };
export const listWaitingActors = returning<WaitingActors>()('pairs.waiting', z.object({}), OFFICER);

/** The commitment to write: the actor's goals to start from and the draft to change, if any; or it is set. */
export type CommitmentStart =
  | { outcome: 'write'; pairId: string; goals: string[]; timeZone: string; draft?: Commitment }
  | { outcome: 'already_set'; commitment: Commitment; timeZone: string }
  | { outcome: 'not_found' };
export const startCommitment = returning<CommitmentStart>()('commitment.start', z.object({ pairId: Id }), MEMBERS);
/** The partner's draft confirmed (its author was told through the outbox), or there is none for her to confirm. */
export type CommitmentConfirmed = { outcome: 'confirmed'; commitment: Commitment } | { outcome: 'not_found' };
export const confirmCommitment = returning<CommitmentConfirmed>()(
  'commitment.confirm',
  z.object({ pairId: Id }),
  MEMBERS,
);

/** Her answer to a group meeting's invitation stored; or the meeting (or the answer) is not one to answer. */
export type RsvpOutcome = { outcome: 'saved'; meeting: Meeting; answer: RSVP } | { outcome: 'not_found' };
export const answerRsvp = returning<RsvpOutcome>()('cohorts.rsvp', z.object({ meetingId: Id, answer: Short }), MEMBERS);

/** A one-time code that makes whoever redeems it before `expiresAt` an officer. */
export type OfficerInvitation = { code: string; expiresAt: Date };
export const inviteOfficer = returning<OfficerInvitation>()('officers.invite', z.object({}), OFFICER);

/**
 * /bind <code> in a group: the cohort's space is this group now (its members were invited), or why not: sent
 * outside a group, without a code, a code unknown, expired or used, or the bot may not invite (not an admin).
 */
export type SpaceBinding =
  | { outcome: 'bound'; cohort: Cohort; invited: number }
  | { outcome: 'not_in_group' | 'no_code' | 'bad_code' }
  | { outcome: 'not_admin'; code: string };
export const bindSpace = returning<SpaceBinding>()('spaces.bind', z.object({ code: Short }), OFFICER);

export const PAIRS_OPERATIONS = [
  replyToPair,
  listWaitingActors,
  startCommitment,
  confirmCommitment,
  answerRsvp,
  inviteOfficer,
  bindSpace,
] as const;
