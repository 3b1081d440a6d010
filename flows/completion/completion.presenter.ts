import type { Effect } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import type { Presenter } from '../../src/core/operation.ts';
import type { answerFinalSurvey, endPair } from '../../src/core/operations.ts';
import type { beginSurvey, closePair } from '../../src/core/ending.operations.ts';
import { nameOf } from '../../src/core/labels.ts';

const say = (key: string, params?: Parameters<typeof t>[1]): Effect => ({ type: 'say', text: [t(key, params)] });

/** Her thanks for the survey; the certificate follows through the outbox once the pair is completed. */
export const presentSurvey: Presenter<typeof answerFinalSurvey> = (r) => {
  if (r.outcome === 'not_found') return [say('completion:already_answered')];
  return [say(r.completed ? 'completion:answered_complete' : 'completion:answered_wait')];
};

/** What the one who ended the pair reads; the partner was told through the outbox. */
export const presentEnded: Presenter<typeof endPair> = (r) => {
  if (r.outcome === 'not_found') return [say('common:button_expired')];
  if (r.outcome === 'kept') return [say('ending:kept')];
  return [say(r.by === 'officer' ? 'ending:done_officer' : 'ending:done', { name: r.partnerName })];
};

/** The survey's button opens its questions: an actor's include what changed for her. */
export const presentSurveyStart: Presenter<typeof beginSurvey> = (r) => {
  if (r.outcome === 'start')
    return [{ type: 'begin', flow: 'final-survey', args: { surveyId: r.survey.id, role: r.survey.role } }];
  return [say(r.outcome === 'already_answered' ? 'completion:already_answered' : 'common:button_expired')];
};

/** /closepair: the officer hears which pair was completed, or why not. */
export const presentClosed: Presenter<typeof closePair> = (r) => {
  if (r.outcome === 'completed')
    return [say('completion:closed', { actor: nameOf(r.actor), mentor: nameOf(r.mentor) })];
  return [say(r.outcome === 'too_early' ? 'completion:close_too_early' : 'ending:not_found')];
};
