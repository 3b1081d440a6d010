import { z } from 'zod';
import { OFFICER, returning } from './operation.ts';
import type { PeriodKind } from './report.ts';

/** `/report` for funders: what it may be about, then the period (`reports.period`, `reports.build`). */
export interface ReportScopes {
  /** The cities it may be about, the most common first, besides all of them. */
  cities: string[];
}
export const beginReport = returning<ReportScopes>()('reports.begin', z.object({}), OFFICER);

/** The scope chosen (`all` or a city's key): the periods to pick from; or a scope unknown, and the cities again. */
export type ReportScopeStep =
  | { outcome: 'pick_period'; scope: string; periods: readonly PeriodKind[] }
  | ({ outcome: 'unknown_scope' } & ReportScopes);

export const REPORTS_OPERATIONS = [beginReport] as const;
