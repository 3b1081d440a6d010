import { z } from 'zod';
import type { AlertView } from './alert-card.ts';
import { OFFICER, returning } from './operation.ts';

/** Officers' buttons on an alert about a pair. */
const Id = z.string().min(1).max(64);
const Short = z.string().max(200);

/**
 * What an officer's button did: the partners nudged, the alert snoozed, the triage marked wrong or the alert
 * resolved (each with the alert as it is now), or the pair's timeline shown; or the alert is gone (or the
 * button unknown) or no longer open.
 */
export type AlertActed =
  | ({ outcome: 'nudged' | 'snoozed' | 'marked_wrong' | 'resolved' | 'timeline' } & AlertView)
  | { outcome: 'expired' }
  | { outcome: 'already_resolved' };
/** `what`: `nudge`, `snooze`, `resolve`, `timeline` or `triage_wrong`. */
export const actOnAlert = returning<AlertActed>()('alerts.act', z.object({ alertId: Id, what: Short }), OFFICER);

export const ALERTS_OPERATIONS = [actOnAlert] as const;
