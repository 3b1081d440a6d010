import type { Effect } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { nameOf } from '../../src/core/labels.ts';
import { handoff, type Presenter } from '../../src/core/operation.ts';
import { endPair, endPairReason } from '../../src/core/operations.ts';
import type { answerRejoin, beginEnding } from '../../src/core/ending.operations.ts';
import { END_REASONS } from '../../src/core/programme.ts';

const say = (key: string): Effect => ({ type: 'say', text: [t(key)] });
const START = { usage: 'ending:officer_usage', not_found: 'ending:not_found', no_pair: 'ending:no_pair' } as const;

/** /endpair: why the pair ends, asked before anything changes. */
export const presentEndingStart: Presenter<typeof beginEnding> = (r) => {
  if (r.outcome !== 'ask_reason') return [say(START[r.outcome])];
  return [
    {
      type: 'begin',
      flow: 'pick',
      args: {
        question: t('ending:reason_ask'),
        options: END_REASONS.map((reason) => ({ value: reason, label: t(`ending:reason.${reason}`) })),
        ...handoff(endPairReason, 'reason', { pairId: r.pair.id }),
      },
    },
  ];
};

/** Is she sure: a partner is asked about her partner, an officer about both. */
export const presentEndingConfirmation: Presenter<typeof endPairReason> = (r) => {
  if (r.outcome === 'not_found') return [say('common:button_expired')];
  const question = r.partner
    ? t('ending:confirm_ask', { name: nameOf(r.partner) })
    : t('ending:confirm_ask_officer', { actor: nameOf(r.actor), mentor: nameOf(r.mentor) });
  return [
    {
      type: 'begin',
      flow: 'pick',
      args: {
        question,
        options: [
          { value: 'end', label: t('ending:confirm_yes') },
          { value: 'keep', label: t('ending:confirm_no') },
        ],
        ...handoff(endPair, 'answer', { pairId: r.pair.id, reason: r.reason }),
      },
    },
  ];
};

/** Whether she waits for a new mentor now. */
export const presentRejoin: Presenter<typeof answerRejoin> = (r) => {
  if (r.outcome === 'saved') return [say(r.status === 'waiting' ? 'ending:rejoin_waiting' : 'ending:rejoin_later')];
  return [say(r.outcome === 'has_pair' ? 'ending:rejoin_has_pair' : 'common:button_expired')];
};
