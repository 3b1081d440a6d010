import type { Effect, Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { commitmentParams } from '../../src/core/commitment.labels.ts';
import { nameOf } from '../../src/core/labels.ts';
import type { Presenter } from '../../src/core/operation.ts';
import type { draftCommitment } from '../../src/core/operations.ts';
import type { confirmCommitment, startCommitment } from '../../src/core/pairs.operations.ts';

const say = (...text: Text[]): Effect => ({ type: 'say', text });

/** Her plan went to the partner, who confirms or changes it through the outbox. */
export const presentCommitmentDraft: Presenter<typeof draftCommitment> = (r) =>
  r.outcome === 'not_found'
    ? [say(t('common:button_expired'))]
    : [say(t('pairs:commitment.sent', { name: nameOf(r.partner) }))];

/** The commitment's questions, from her goals or the draft she changes; a set commitment is shown instead. */
export const presentCommitmentStart: Presenter<typeof startCommitment> = (r) => {
  switch (r.outcome) {
    case 'not_found':
      return [say(t('common:button_expired'))];
    case 'already_set':
      return [say(t('pairs:commitment.already', commitmentParams(r.commitment, r.timeZone)))];
    case 'write':
      return [
        {
          type: 'begin',
          flow: 'commitment',
          args: {
            pairId: r.pairId,
            goals: r.goals,
            timeZone: r.timeZone,
            // The flow's data is stored as JSON: the start travels as text.
            ...(r.draft ? { draft: { ...r.draft, start: new Date(r.draft.start).toISOString() } } : {}),
          },
        },
      ];
  }
};

/** Her thanks and what comes next; the partner who wrote the draft was told through the outbox. */
export const presentCommitmentConfirmed: Presenter<typeof confirmCommitment> = (r) =>
  r.outcome === 'not_found'
    ? [say(t('common:button_expired'))]
    : [say(t('pairs:commitment.confirmed'), t('pairs:commitment.next'))];
