import type { Effect } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { alertCard, alertChoices } from '../../src/core/alert-card.ts';
import type { actOnAlert } from '../../src/core/alerts.operations.ts';
import { nameOf, timelineLine } from '../../src/core/labels.ts';
import { handoff, type Presenter } from '../../src/core/operation.ts';
import { noteOnAlert } from '../../src/core/operations.ts';

const KEYS = {
  saved: 'alerts:note_saved',
  skipped: 'alerts:note_skipped',
  not_found: 'common:button_expired',
} as const;

/** The officer's own confirmation of her note on a resolved alert. */
export const presentAlertNote: Presenter<typeof noteOnAlert> = (outcome) => [{ type: 'say', text: [t(KEYS[outcome])] }];

/**
 * An officer's button on an alert: the card is rewritten with what she did (its buttons stay while it is open),
 * or the pair's timeline is shown in her zone. After resolving, her note is asked in her own chat, so a group
 * does not wait on one officer's typing.
 */
export const presentAlertAction: Presenter<typeof actOnAlert> = (r, ctx) => {
  if (r.outcome === 'expired' || r.outcome === 'already_resolved')
    return [{ type: 'say', text: [t(r.outcome === 'expired' ? 'common:button_expired' : 'alerts:already_resolved')] }];
  const names = { actor: nameOf(r.actor), mentor: nameOf(r.mentor) };
  if (r.outcome === 'timeline') {
    const zone = ctx.participant?.timeZone ?? 'Europe/Helsinki';
    const lines = r.timeline.flatMap((e) => timelineLine(e, zone, true) ?? []);
    return [{ type: 'say', text: [t('alerts:timeline_title', names), ...lines] }];
  }
  const open = r.alert.state === 'open';
  const update: Effect = {
    type: 'update',
    text: alertCard(r),
    ...(open ? { buttons: { choices: alertChoices(r.alert), columns: 2 } } : {}),
  };
  if (open) return [update];
  const args = { question: t('alerts:note_ask', names), ...handoff(noteOnAlert, 'note', { alertId: r.alert.id }) };
  return [update, { type: 'begin', flow: 'ask-text', args: { ...args, optional: true, max: 500 } }];
};
