import { t } from '../../src/core/flow.ts';
import type { Presenter } from '../../src/core/operation.ts';
import type { noteOnAlert } from '../../src/core/operations.ts';

const KEYS = {
  saved: 'alerts:note_saved',
  skipped: 'alerts:note_skipped',
  not_found: 'common:button_expired',
} as const;

/** The officer's own confirmation of her note on a resolved alert. */
export const presentAlertNote: Presenter<typeof noteOnAlert> = (outcome) => [{ type: 'say', text: [t(KEYS[outcome])] }];
