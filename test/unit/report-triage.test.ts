import { describe, expect, it } from 'vitest';
import { periodOf, type ReportPerson, type TriageRaised } from '../../src/core/report.ts';
import { buildReport } from '../../src/services/reports/report.builder.ts';

const now = new Date('2026-12-15T10:00:00Z');
const person = (id: string, city: string): ReportPerson => ({
  id,
  role: 'actor',
  city,
  status: 'waiting',
  registeredAt: new Date('2026-01-05T10:00:00Z'),
});

function triageRows(triagesRaised: TriageRaised[]) {
  const people = ['a1', 'a2', 'a3', 'a4', 'a5'].map((id) => person(id, 'Tampere')).concat(person('b1', 'Oulu'));
  const report = buildReport({
    scope: 'all',
    period: periodOf('year', now, 'Europe/Helsinki'),
    now,
    people,
    pairs: [],
    meetingsHeld: [],
    groupMeetingsHeld: [],
    checkinsSent: [],
    counsellingMade: [],
    pairsWithOpenAlerts: [],
    cohorts: [],
    triagesRaised,
  });
  return report.rows
    .filter((r) => r.figure.startsWith('triage_'))
    .map((r) => [r.scope, r.figure, r.breakdown, r.value]);
}

describe("the report counts the triage's readings and the officers' corrections", () => {
  it('per city and source: raised, marked wrong, and the share found right', () => {
    const raised = (participantId: string, source: 'ai' | 'keywords', markedWrong = false) => ({
      participantId,
      source,
      markedWrong,
    });
    const rows = triageRows([
      raised('a1', 'ai'),
      raised('a2', 'ai'),
      raised('a3', 'ai', true),
      raised('a4', 'ai'),
      raised('a5', 'keywords', true),
      raised('b1', 'keywords'),
    ]);
    expect(rows.filter((r) => r[0] === 'all')).toEqual([
      ['all', 'triage_raised', '', 6],
      ['all', 'triage_marked_wrong', '', '<3'],
      ['all', 'triage_raised', 'ai', 4],
      ['all', 'triage_precision', 'ai', 0.75],
      ['all', 'triage_raised', 'keywords', '<3'],
      ['all', 'triage_precision', 'keywords', '<3'],
    ]);
    // One reading in Oulu identifies its writer: nothing but "<3".
    expect(rows.filter((r) => r[0] === 'Oulu').map((r) => r[3])).toEqual(['<3', 0, 0, 'n/a', '<3', '<3']);
  });

  it('no readings: zero raised and no precision to divide', () => {
    expect(triageRows([]).filter((r) => r[0] === 'all')).toEqual([
      ['all', 'triage_raised', '', 0],
      ['all', 'triage_marked_wrong', '', 0],
      ['all', 'triage_raised', 'ai', 0],
      ['all', 'triage_precision', 'ai', 'n/a'],
      ['all', 'triage_raised', 'keywords', 0],
      ['all', 'triage_precision', 'keywords', 'n/a'],
    ]);
  });
});
