import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import type { Participant } from '../../src/core/model.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { ManualClock } from '../support/clock.ts';
import { L } from '../support/i18n.ts';
import { actorData, mentorData, seed } from '../support/seed.ts';
import { startTelegramApp } from '../support/telegram-app.ts';

const HOUR = 3_600_000;
const FORMULA_CITY = '=HYPERLINK("http://evil.example","Helsinki")';
const at = (iso: string) => new Date(`${iso}T10:00:00Z`);

/**
 * Two quarters of a small programme in two cities (and one actor who typed a formula as her city), made
 * through the services as the chat makes it; the report's CSV is parsed back and checked figure by figure.
 */
describe('reports per city and period over Telegram', () => {
  const fake = new FakeTelegram();
  const clock = new ManualClock(at('2026-07-01'));
  const officer: FakeUser = { id: 7001, first_name: 'Olga', language_code: 'en' };
  let app: App;
  let me: Participant;

  const person = async (kind: 'actor' | 'mentor', n: number, city: string, when: string) =>
    seed(
      app.repositories.participants,
      kind === 'actor'
        ? actorData(`telegram:${8000 + n}`, { firstName: `A${n}`, city })
        : mentorData(`telegram:${8000 + n}`, { firstName: `M${n}`, city, capacity: 2 }),
      at(when),
    );

  /** Proposed by the officer and accepted by both, as the buttons do it. */
  const pairUp = async (actor: Participant, mentor: Participant, when: string) => {
    await app.services.pairs.propose(actor.id, mentor.id, me, at(when));
    const [pair] = await app.repositories.pairs.openFor(actor.id);
    await app.services.pairs.reply(pair!.id, 'actor', true, actor, new Date(+at(when) + HOUR));
    await app.services.pairs.reply(pair!.id, 'mentor', true, mentor, new Date(+at(when) + 2 * HOUR));
    return pair!.id;
  };

  const meet = async (pairId: string, actor: Participant, mentor: Participant, when: string) => {
    const proposal = await app.services.meetings.propose(
      { pairId, at: at(when).toISOString() },
      actor,
      new Date(+at(when) - 24 * HOUR),
    );
    expect(proposal.outcome).toBe('proposed');
    const { meeting } = proposal as { meeting: { id: string } };
    await app.services.meetings.accept(meeting.id, mentor, new Date(+at(when) - 20 * HOUR));
    await app.services.meetings.held(meeting.id, ['vocabulary'], actor, new Date(+at(when) + 2 * HOUR));
  };

  beforeAll(async () => {
    app = await startTelegramApp(fake, 'e2e_reports', { clock, env: { OFFICER_TELEGRAM_IDS: String(officer.id) } });
    me = (await app.repositories.participants.findByIdentity(`telegram:${officer.id}`))!;

    // Third quarter: three pairs in Helsinki, one in Tampere; one Helsinki pair ends early.
    const hm1 = await person('mentor', 11, 'Helsinki', '2026-07-15');
    const hm2 = await person('mentor', 12, 'Helsinki', '2026-07-15');
    const tm1 = await person('mentor', 13, 'Tampere', '2026-07-20');
    const h1 = await person('actor', 1, 'Helsinki', '2026-08-03');
    const h2 = await person('actor', 2, 'Helsinki', '2026-08-03');
    const h3 = await person('actor', 3, 'Helsinki', '2026-08-03');
    const t1 = await person('actor', 4, 'Tampere', '2026-08-10');
    const p1 = await pairUp(h1, hm1, '2026-08-05');
    const p2 = await pairUp(h2, hm1, '2026-08-05');
    await pairUp(h3, hm2, '2026-08-05');
    const pt = await pairUp(t1, tm1, '2026-08-12');
    await meet(p1, h1, hm1, '2026-08-20');
    await meet(p1, h1, hm1, '2026-09-10');
    await meet(p2, h2, hm1, '2026-09-01');
    await meet(pt, t1, tm1, '2026-09-02');
    await app.services.pairs.endForWithdrawal(h3.id, me, at('2026-09-20'));
    await app.repositories.participants.setStatus(h3.id, 'left', at('2026-09-20'));

    // Fourth quarter: new actors (two wait), a new pair, meetings, counselling; one pair completes.
    const h4 = await person('actor', 5, 'Helsinki', '2026-10-05');
    await person('actor', 6, 'Tampere', '2026-10-06');
    await person('actor', 7, FORMULA_CITY, '2026-10-07');
    await person('actor', 8, 'Helsinki', '2026-10-08');
    const p4 = await pairUp(h4, hm2, '2026-10-10');
    await meet(p1, h1, hm1, '2026-10-15');
    await meet(p2, h2, hm1, '2026-11-03');
    await meet(p2, h2, hm1, '2026-11-17');
    await meet(p4, h4, hm2, '2026-11-05');
    for (const [who, topic, when] of [
      [h1, 'job_search', '2026-10-20'],
      [h2, 'job_search', '2026-10-21'],
      [h4, 'job_search', '2026-10-22'],
      [t1, 'wellbeing', '2026-11-01'],
    ] as const) {
      await app.services.counselling.request({ topic, urgency: 'can_wait' }, who, at(when));
    }
    // Completion is not built yet: the pair is stored completed as that work will store it.
    const done = (await app.repositories.pairs.get(p1))!;
    await app.repositories.pairs.save({
      ...done,
      state: 'completed',
      history: [...done.history, { state: 'completed', by: 'seed', at: at('2026-12-01') }],
    });
    await app.repositories.pairs.releaseMentorPlace(p1);
    clock.set(at('2026-12-15'));
  });
  afterAll(async () => {
    await app?.stop();
    await fake.stop();
  });

  type Row = { scope: string; figure: string; breakdown: string; rule: string; value: string };
  const report = async (
    scopeLabel: string,
    period: () => void,
  ): Promise<{ rows: Row[]; raw: Buffer; summary: string }> => {
    await fake.reply(officer, () => fake.sendText(officer, '/report'), L('en', 'reports:scope.ask'));
    await fake.reply(officer, () => fake.press(officer, scopeLabel), L('en', 'reports:period.ask'));
    const since = fake.mark;
    period();
    const file = await fake.waitFor(officer.id, (m) => Boolean(m.document), { since });
    const summary = fake.messagesTo(officer.id).find((m) => m.seq > since && m.text.startsWith('Report:'))!.text;
    const rows = parse(file.document!.bytes, { bom: true, columns: true, skip_empty_lines: true }) as Row[];
    return { rows, raw: file.document!.bytes, summary };
  };
  const value = (rows: Row[], scope: string, figure: string, breakdown = '') =>
    rows.find((r) => r.scope === scope && r.figure === figure && r.breakdown === breakdown)?.value;

  it('this quarter, all cities: a CSV with a BOM, one header, "<3" for one or two people, no names', async () => {
    const { rows, raw, summary } = await report(L('en', 'reports:scope.all'), () =>
      fake.press(officer, L('en', 'reports:period.quarter')),
    );
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(raw.toString('utf8').split('\r\n')[0]).toBe('\uFEFFscope,figure,breakdown,rule,value');
    expect(raw.toString('utf8')).not.toMatch(/A[1-8]\b|M1[1-3]\b/);
    expect(summary).toContain('Pairs active at the end: 3');

    const expected: [string, string, string, string][] = [
      ['all', 'actors_registered', '', '4'],
      ['Helsinki', 'actors_registered', '', '<3'],
      ['all', 'actors_waiting', '', '3'],
      ['all', 'median_days_waiting', '', '69'],
      ['Helsinki', 'actors_waiting', '', '<3'],
      ['all', 'pairs_proposed', '', '<3'],
      ['all', 'pairs_started', '', '<3'],
      ['all', 'pairs_active_during', '', '4'],
      ['Helsinki', 'pairs_active_during', '', '3'],
      ['Tampere', 'pairs_active_during', '', '<3'],
      ['all', 'pairs_active_at_end', '', '3'],
      ['all', 'pairs_completed', '', '<3'],
      ['all', 'pairs_ended_early', '', '0'],
      ['all', 'pairs_stalled', '', '0'],
      ['all', 'meetings_held', '', '4'],
      ['all', 'meetings_held_per_active_pair', '', '1'],
      ['Helsinki', 'meetings_held_per_active_pair', '', '1.33'],
      ['Tampere', 'meetings_held_per_active_pair', '', '<3'],
      ['all', 'counselling_requests', '', '4'],
      ['all', 'counselling_requests', 'job_search', '3'],
      ['all', 'counselling_requests', 'wellbeing', '<3'],
      ['Tampere', 'counselling_requests', '', '<3'],
      ['all', 'mentors', '', '3'],
      ['all', 'mentors_by_load', '1 pairs', '3'],
      ['all', 'mentors_by_load', '0 pairs', '0'],
      ['all', 'mentor_load_average', '', '1'],
      // No final survey answered in the period: a count of none, not "n/a" (surveys are stored).
      ['all', 'survey_answers', '', '0'],
      ['all', 'checkin_response_rate', '', 'n/a'],
    ];
    for (const [scope, figure, breakdown, want] of expected)
      expect(`${scope} ${figure} ${breakdown} = ${value(rows, scope, figure, breakdown)}`).toBe(
        `${scope} ${figure} ${breakdown} = ${want}`,
      );
    expect(rows.find((r) => r.figure === 'pairs_active_at_end')?.rule).toBe('active_at_end');

    // The typed formula is a plain cell: prefixed with ' so a spreadsheet shows it, never runs it.
    const formula = rows.filter((r) => r.scope.includes('HYPERLINK'));
    expect(formula.length).toBeGreaterThan(0);
    expect(new Set(formula.map((r) => r.scope))).toEqual(new Set([`'${FORMULA_CITY}`]));
    expect(value(rows, `'${FORMULA_CITY}`, 'actors_registered')).toBe('<3');
    expect(rows.some((r) => /^[=+\-@\t\r]/.test(r.scope) || /^[=+\-@\t\r]/.test(r.breakdown))).toBe(false);
  });

  it('typed dates for the third quarter, one city: only that city, figures of that period', async () => {
    await fake.reply(officer, () => fake.sendText(officer, '/report'), L('en', 'reports:scope.ask'));
    await fake.reply(officer, () => fake.press(officer, 'Helsinki'), L('en', 'reports:period.ask'));
    await fake.reply(officer, () => fake.press(officer, L('en', 'reports:period.typed')), L('en', 'reports:dates_ask'));
    // An unreadable answer is asked again, kindly, and the right one then makes the report.
    const since = fake.mark;
    await fake.reply(officer, () => fake.sendText(officer, '30.9.2026 - 1.7.2026'), L('en', 'reports:bad_dates'));
    fake.sendText(officer, '1.7.2026 - 30.9.2026');
    const file = await fake.waitFor(officer.id, (m) => Boolean(m.document), { since });
    expect(file.document!.file_name).toBe('report-Helsinki-2026-07-01_2026-09-30.csv');
    const q3 = parse(file.document!.bytes, { bom: true, columns: true }) as Row[];
    expect(new Set(q3.map((r) => r.scope))).toEqual(new Set(['Helsinki']));
    const expected: [string, string, string][] = [
      ['actors_registered', '', '3'],
      ['pairs_proposed', '', '3'],
      ['pairs_started', '', '3'],
      ['pairs_active_during', '', '3'],
      ['pairs_active_at_end', '', '<3'],
      ['pairs_ended_early', '', '<3'],
      ['pairs_ended_early', 'withdrawn', '<3'],
      ['pairs_completed', '', '0'],
      ['meetings_held', '', '3'],
      ['meetings_held_per_active_pair', '', '1'],
      ['actors_waiting', '', '0'],
      ['median_days_waiting', '', 'n/a'],
      ['mentors', '', '<3'],
      ['counselling_requests', '', '0'],
    ];
    for (const [figure, breakdown, want] of expected)
      expect(`${figure} ${breakdown} = ${value(q3, 'Helsinki', figure, breakdown)}`).toBe(
        `${figure} ${breakdown} = ${want}`,
      );
  });

  it('only officers may ask for a report', async () => {
    const actor: FakeUser = { id: 8001, first_name: 'A1', language_code: 'en' };
    await fake.reply(actor, () => fake.sendText(actor, '/report'), L('en', 'common:not_allowed'));
  });
});
