import type { Effect } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import type { Presenter } from '../../src/core/operation.ts';
import type { answerFinalSurvey, endPair } from '../../src/core/operations.ts';

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
