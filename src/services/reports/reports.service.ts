import type { Participant } from '../../core/model.ts';
import type { ReportOutcome } from '../../core/operations.ts';
import type { ReportScopeStep, ReportScopes } from '../../core/reports.operations.ts';
import {
  cityKey,
  PERIOD_KINDS,
  type PeriodKind,
  parsePeriod,
  periodOf,
  type ReportPeriod,
  type ReportSource,
} from '../../core/report.ts';
import { buildReport } from './report.builder.ts';

export interface ReportsDeps {
  source: ReportSource;
  /** First month of the programme year, 1-12. */
  yearStartMonth: number;
}

/** `/report`: city or all, then the period; the report itself is domain data for any caller to show. */
export class ReportsService {
  constructor(private readonly d: ReportsDeps) {}

  async begin(): Promise<ReportScopes> {
    return { cities: await this.d.source.cities() };
  }

  async period(scope: string): Promise<ReportScopeStep> {
    if ((await this.resolveScope(scope)) === null) return { outcome: 'unknown_scope', ...(await this.begin()) };
    return { outcome: 'pick_period', scope, periods: PERIOD_KINDS };
  }

  /** The report for a scope and period; a typed period is asked for, and asked again when unreadable. */
  async build(
    a: { scope: string; period: string; dates?: string },
    me: Participant,
    now: Date,
  ): Promise<ReportOutcome> {
    const scope = await this.resolveScope(a.scope);
    if (scope === null) return { outcome: 'unknown_scope' };
    let period: ReportPeriod | null;
    if (a.period === 'typed') {
      if (!a.dates) return { outcome: 'ask_dates', scope: a.scope };
      period = parsePeriod(a.dates, me.timeZone, now);
      if (!period) return { outcome: 'bad_dates', scope: a.scope };
    } else if ((PERIOD_KINDS as readonly string[]).includes(a.period)) {
      period = periodOf(a.period as Exclude<PeriodKind, 'typed'>, now, me.timeZone, this.d.yearStartMonth);
    } else {
      return { outcome: 'unknown_scope' };
    }
    return { outcome: 'report', report: await this.report(scope, period, now) };
  }

  /** The report over the store: a few bulk reads, then the pure computation. */
  async report(scope: 'all' | { city: string }, period: ReportPeriod, now: Date) {
    const s = this.d.source;
    const [
      people,
      pairs,
      meetingsHeld,
      groupMeetingsHeld,
      checkinsSent,
      counsellingMade,
      pairsWithOpenAlerts,
      cohorts,
      triagesRaised,
      surveys,
    ] = await Promise.all([
      s.people(period.until),
      s.pairs(period.until),
      s.meetingsHeld(period.from, period.until),
      s.groupMeetingsHeld(period.from, period.until),
      s.checkinsSent(period.from, period.until),
      s.counsellingMade(period.from, period.until),
      s.pairsWithOpenAlerts(),
      s.cohorts(),
      s.triagesRaised(period.from, period.until),
      s.surveysAnswered?.(period.from, period.until),
    ]);
    return buildReport({
      scope,
      period,
      now,
      people,
      pairs,
      meetingsHeld,
      groupMeetingsHeld,
      checkinsSent,
      counsellingMade,
      pairsWithOpenAlerts,
      cohorts,
      triagesRaised,
      ...(surveys ? { surveys } : {}),
    });
  }

  private async resolveScope(scope: string): Promise<'all' | { city: string } | null> {
    if (scope === 'all') return 'all';
    const city = (await this.d.source.cities()).find((c) => cityKey(c) === scope);
    return city ? { city } : null;
  }
}
