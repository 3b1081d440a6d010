import { z } from 'zod';
import { MEMBERS, OFFICER, returning } from './operation.ts';
import type { Participant } from './model.ts';
import type { FinalSurvey, Pair } from './programme.ts';

/** The end of a pair: ended early (/endpair, then whether the actor waits again), or completed at its end. */
const Id = z.string().min(1).max(64);
const Short = z.string().max(200);

/**
 * /endpair: the reason is asked for her active pair (an officer names the pair); `usage`: an officer named
 * none; `not_found`: the officer's pair is not active; `no_pair`: she has no active pair.
 */
export type EndingStart = { outcome: 'ask_reason'; pair: Pair } | { outcome: 'usage' | 'not_found' | 'no_pair' };
export const beginEnding = returning<EndingStart>()('ending.begin', z.object({ pairId: Short.optional() }), [
  ...MEMBERS,
  ...OFFICER,
]);
/** The actor's answer after an ending: her status now (`waiting` for a new mentor), or why nothing changed. */
export type RejoinAnswer = { outcome: 'saved'; status: 'waiting' | 'finished' } | { outcome: 'has_pair' | 'not_found' };
export const answerRejoin = returning<RejoinAnswer>()('ending.rejoin', z.object({ pairId: Id, value: Short }), [
  'actor',
]);

/** The survey's button: its questions (the survey says whose, an actor's or a mentor's), or why not. */
export type SurveyStart = { outcome: 'start'; survey: FinalSurvey } | { outcome: 'already_answered' | 'not_found' };
export const beginSurvey = returning<SurveyStart>()('completion.beginSurvey', z.object({ surveyId: Id }), MEMBERS);
/** /closepair: a pair past its planned end completed by an officer (both were thanked), or why not. */
export type PairClosed =
  | { outcome: 'completed'; pair: Pair; actor: Participant | null; mentor: Participant | null }
  | { outcome: 'not_active' | 'too_early' };
export const closePair = returning<PairClosed>()('completion.close', z.object({ pairId: Id }), OFFICER);

export const ENDING_OPERATIONS = [beginEnding, answerRejoin, beginSurvey, closePair] as const;
