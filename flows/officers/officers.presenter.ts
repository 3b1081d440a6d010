import { t } from '../../src/core/flow.ts';
import type { Presenter } from '../../src/core/operation.ts';
import type { redeemOfficerCode } from '../../src/core/operations.ts';
import type { inviteOfficer } from '../../src/core/pairs.operations.ts';

/** A new officer is welcomed with the officers' commands; a bad code is named as such. */
export const presentRedeemed: Presenter<typeof redeemOfficerCode> = (r) =>
  r.outcome === 'invalid'
    ? [{ type: 'say', text: [t('officer:invite.invalid')] }]
    : [{ type: 'say', text: [t('officer:invite.welcome'), t('officer:help')] }];

/** The code for the officer to pass on; it is a deep link's payload, `/start <code>`. */
export const presentInvitation: Presenter<typeof inviteOfficer> = (r) => [
  { type: 'say', text: [t('officer:invite.created', { code: r.code })] },
];
