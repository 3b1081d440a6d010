import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/core/flow.ts';
import { cityKey, PERIOD_KINDS } from '../../src/core/report.ts';
import { presentReportPeriod, presentReportScopes } from '../../flows/report/report.presenter.ts';
import { ctx, said } from '../support/flow-driver.ts';

const begun = (effects: Effect[]) => effects.find((e) => e.type === 'begin');
const optionsOf = (effects: Effect[]) => {
  const b = begun(effects);
  return b?.type === 'begin' ? (b.args?.options as { value: string; label: unknown }[]) : [];
};

describe('the report presenters', () => {
  it('/report: all, then a button per city (by its key), at most 24, two columns, handed to reports.period', () => {
    const effects = presentReportScopes({ cities: ['Espoo', 'Helsinki'] }, ctx());
    expect(begun(effects)).toMatchObject({
      flow: 'pick',
      args: { question: { key: 'reports:scope.ask' }, columns: 2, useCase: 'reports.period', argName: 'scope' },
    });
    expect(optionsOf(effects)).toEqual([
      { value: 'all', label: { key: 'reports:scope.all' } },
      { value: cityKey('Espoo'), label: { literal: 'Espoo' } },
      { value: cityKey('Helsinki'), label: { literal: 'Helsinki' } },
    ]);
    const many = Array.from({ length: 30 }, (_, i) => `City ${i}`);
    expect(optionsOf(presentReportScopes({ cities: many }, ctx()))).toHaveLength(25);
  });

  it('the scope chosen: the periods as buttons, handed to reports.build with the scope', () => {
    const effects = presentReportPeriod({ outcome: 'pick_period', scope: 'all', periods: PERIOD_KINDS }, ctx());
    expect(begun(effects)).toMatchObject({
      flow: 'pick',
      args: {
        question: { key: 'reports:period.ask' },
        useCase: 'reports.build',
        argName: 'period',
        args: { scope: 'all' },
      },
    });
    expect(optionsOf(effects).map((o) => o.value)).toEqual(['month', 'quarter', 'year', 'typed']);
    expect(optionsOf(effects)[0]?.label).toEqual({ key: 'reports:period.month' });
  });

  it('an unknown scope is said so, and the scope asked again', () => {
    const effects = presentReportPeriod({ outcome: 'unknown_scope', cities: ['Espoo'] }, ctx());
    expect(said(effects)).toEqual(['reports:unknown_scope']);
    expect(begun(effects)).toMatchObject({ flow: 'pick', args: { useCase: 'reports.period' } });
    expect(optionsOf(effects)).toHaveLength(2);
  });
});
