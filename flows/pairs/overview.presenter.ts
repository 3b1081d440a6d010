import type { Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { nameOf, onDay, when } from '../../src/core/labels.ts';
import type { Presenter } from '../../src/core/operation.ts';
import type { listPairs, PairSummary } from '../../src/core/operations.ts';

function line(s: PairSummary, timeZone: string): Text {
  const base = {
    actor: nameOf(s.actor),
    mentor: nameOf(s.mentor),
    city: s.actor?.actor?.city ?? '–',
    id: s.pair.id,
    since: onDay(s.since, timeZone),
  };
  if (!s.health) return t(`overview:line.${s.pair.state === 'proposed' ? 'proposed' : 'completed'}`, base);
  const reasons = s.health.signals.map((x) => t(`overview:signal.${x.code}`));
  const shown = { ...base, health: t(`overview:health.${s.health.health}`), alerts: s.health.openAlerts };
  return reasons.length ? t('overview:line.active', { ...shown, reasons }) : t('overview:line.active_ok', shown);
}

/** `/pairs`: every pair by state with its health, in the officer's time zone, then the cohorts. */
export const presentOverview: Presenter<typeof listPairs> = (r, ctx) => {
  if (r.outcome === 'none') return [{ type: 'say', text: [t('overview:none')] }];
  // Officers only, so she is stored; Helsinki is the programme's own zone.
  const zone = ctx.participant?.timeZone ?? 'Europe/Helsinki';
  const text: Text[] = [t('overview:title', { n: r.total })];
  for (const s of r.states) {
    text.push(t(`overview:state.${s.state}`, { n: s.count }), ...s.shown.map((p) => line(p, zone)));
    if (s.count > s.shown.length) text.push(t('overview:more', { n: s.count - s.shown.length }));
  }
  if (r.cohorts.length) text.push(t('overview:cohorts.title'));
  for (const { cohort, next } of r.cohorts) {
    const base = { name: cohort.name, n: cohort.pairIds.length };
    text.push(
      next
        ? t('overview:cohorts.planned', { ...base, when: when(next.at, zone), place: next.place ?? '–' })
        : t('overview:cohorts.unplanned', base),
    );
  }
  return [{ type: 'say', text }];
};
