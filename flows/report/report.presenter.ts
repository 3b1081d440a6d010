import type { Effect } from '../../src/core/flow.ts';
import { literal, t } from '../../src/core/flow.ts';
import { fileOf } from '../../src/core/messages.ts';
import { handoff, type Presenter } from '../../src/core/operation.ts';
import { buildReport, reportPeriod } from '../../src/core/operations.ts';
import { cityKey, type ProgrammeReport } from '../../src/core/report.ts';
import type { beginReport, ReportScopes } from '../../src/core/reports.operations.ts';
import { reportCsv } from './report.csv.ts';

const day = (d: Date, timeZone: string) => new Intl.DateTimeFormat('sv-SE', { timeZone }).format(d);
/** Letters and digits of the scope only: a typed city never reaches a file name as it is. */
const slug = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'city';

export function reportFileName(report: ProgrammeReport): string {
  const { from, to, timeZone } = report.period;
  const scope = report.scope === 'all' ? 'all' : slug(report.scope.city);
  return `report-${scope}-${day(from, timeZone)}_${day(new Date(+to - 1), timeZone)}.csv`;
}

/** The summary's figures come from the report's own scope ("all", or the city). */
function summary(report: ProgrammeReport) {
  const scope = report.scope === 'all' ? 'all' : report.scope.city;
  const cell = (figure: string) =>
    String(report.rows.find((r) => r.scope === scope && r.figure === figure && !r.breakdown)?.value ?? 'n/a');
  const { from, until, timeZone } = report.period;
  return t('reports:summary', {
    scope: report.scope === 'all' ? t('reports:scope.all') : literal(report.scope.city),
    from: { date: from.toISOString(), timeZone, dayOnly: true },
    to: { date: new Date(+until - 1).toISOString(), timeZone, dayOnly: true },
    registered: cell('actors_registered'),
    waiting: cell('actors_waiting'),
    started: cell('pairs_started'),
    active: cell('pairs_active_at_end'),
    completed: cell('pairs_completed'),
    ended: cell('pairs_ended_early'),
    stalled: cell('pairs_stalled'),
    mentors: cell('mentors'),
  });
}

const askDates = (scope: string): Effect => ({
  type: 'begin',
  flow: 'ask-text',
  args: { question: t('reports:dates_ask'), ...handoff(buildReport, 'dates', { scope, period: 'typed' }), max: 100 },
});

/** A short summary in her language and the CSV as a file; typed dates asked for, and again when unreadable. */
export const presentReport: Presenter<typeof buildReport> = (r) => {
  if (r.outcome === 'unknown_scope') return [{ type: 'say', text: [t('reports:unknown_scope')] }];
  if (r.outcome === 'ask_dates') return [askDates(r.scope)];
  if (r.outcome === 'bad_dates') return [{ type: 'say', text: [t('reports:bad_dates')] }, askDates(r.scope)];
  const { report } = r;
  return [
    { type: 'say', text: [summary(report), ...(report.surveysAvailable ? [] : [t('reports:no_surveys')])] },
    {
      type: 'file',
      file: fileOf(reportFileName(report), 'text/csv; charset=utf-8', reportCsv(report)),
      caption: [t('reports:caption')],
    },
  ];
};

/** Buttons for this many cities at most (the most common), besides "all". */
const MAX_CITY_BUTTONS = 24;

const askScope = ({ cities }: ReportScopes): Effect => {
  const options = [
    { value: 'all', label: t('reports:scope.all') },
    ...cities.slice(0, MAX_CITY_BUTTONS).map((c) => ({ value: cityKey(c), label: { literal: c } })),
  ];
  const args = { question: t('reports:scope.ask'), options, columns: 2, ...handoff(reportPeriod, 'scope', {}) };
  return { type: 'begin', flow: 'pick', args };
};

/** `/report`: all or a city, as buttons. */
export const presentReportScopes: Presenter<typeof beginReport> = (r) => [askScope(r)];

/** The period for the scope chosen, as buttons; an unknown scope is said so, and the scope asked again. */
export const presentReportPeriod: Presenter<typeof reportPeriod> = (r) => {
  if (r.outcome === 'unknown_scope') return [{ type: 'say', text: [t('reports:unknown_scope')] }, askScope(r)];
  const options = r.periods.map((k) => ({ value: k, label: t(`reports:period.${k}`) }));
  const args = { question: t('reports:period.ask'), options, ...handoff(buildReport, 'period', { scope: r.scope }) };
  return [{ type: 'begin', flow: 'pick', args }];
};
