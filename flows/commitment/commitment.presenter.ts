import { t } from '../../src/core/flow.ts';
import { nameOf } from '../../src/core/labels.ts';
import type { Presenter } from '../../src/core/operation.ts';
import type { draftCommitment } from '../../src/core/operations.ts';

/** Her plan went to the partner, who confirms or changes it through the outbox. */
export const presentCommitmentDraft: Presenter<typeof draftCommitment> = (r) =>
  r.outcome === 'not_found'
    ? [{ type: 'say', text: [t('common:button_expired')] }]
    : [{ type: 'say', text: [t('pairs:commitment.sent', { name: nameOf(r.partner) })] }];
