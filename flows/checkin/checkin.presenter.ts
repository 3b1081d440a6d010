import { t } from '../../src/core/flow.ts';
import type { Presenter } from '../../src/core/operation.ts';
import type { startCheckin } from '../../src/core/meetings.operations.ts';
import type { answerCheckin } from '../../src/core/operations.ts';

/** Thanks for her answers (a private note is for the staff, and she is told so); a stale check-in has expired. */
export const presentCheckinAnswer: Presenter<typeof answerCheckin> = (r) => {
  if (r.outcome !== 'recorded') return [{ type: 'say', text: [t('common:button_expired')] }];
  return [{ type: 'say', text: [t(r.checkin.privateNote ? 'checkins:thanks_private' : 'checkins:thanks')] }];
};

/** Her first tap ("did you meet?") opens the rest of the check-in; a check-in no longer open has expired. */
export const presentCheckinStart: Presenter<typeof startCheckin> = (r) => {
  if (r.outcome !== 'started') return [{ type: 'say', text: [t('common:button_expired')] }];
  return [{ type: 'begin', flow: 'checkin', args: { checkinId: r.checkin.id, met: r.met } }];
};
