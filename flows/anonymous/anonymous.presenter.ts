import { t } from '../../src/core/flow.ts';
import type { Presenter } from '../../src/core/operation.ts';
import type { askAnonymously } from '../../src/core/operations.ts';

const KEYS = { posted: 'peer:ask_posted', in_review: 'peer:ask_review', no_cohort: 'peer:no_cohort' } as const;

/** The asker hears where her question went; it never carries her name. */
export const presentAsked: Presenter<typeof askAnonymously> = (r) => [{ type: 'say', text: [t(KEYS[r.outcome])] }];
