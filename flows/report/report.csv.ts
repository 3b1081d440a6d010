import { stringify } from 'csv-stringify/sync';
import type { ProgrammeReport } from '../../src/core/report.ts';

export const REPORT_COLUMNS = ['scope', 'figure', 'breakdown', 'rule', 'value'] as const;

/**
 * The report as CSV for funders: UTF-8 with a BOM (Excel then reads Finnish and Arabic right), one
 * header row, one row per figure. A cell a person typed (a city) that begins with = + - @, a tab or a
 * carriage return is prefixed with ' so no spreadsheet runs it as a formula.
 */
export function reportCsv(report: ProgrammeReport): string {
  return stringify(
    report.rows.map((r) => [r.scope, r.figure, r.breakdown, r.rule, String(r.value)]),
    { bom: true, header: true, columns: [...REPORT_COLUMNS], escape_formulas: true, record_delimiter: 'windows' },
  );
}
