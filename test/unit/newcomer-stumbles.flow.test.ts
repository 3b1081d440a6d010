import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitmentFlow } from '../../flows/commitment/commitment.flow.ts';
import { askTextFlow } from '../../flows/generic/generic.flows.ts';
import { actorRegistrationFlow as flow } from '../../flows/registration/actor-registration.flow.ts';
import { ConsoleAdapter } from '../../adapters/console/console.adapter.ts';
import { PROJECT_ROOT } from '../../src/app.ts';
import type { Effect, Text } from '../../src/core/flow.ts';
import { renderPrompt } from '../../src/engine/render.ts';
import { ctx, drive, said, type Step } from '../support/flow-driver.ts';
import { i18n, L } from '../support/i18n.ts';
import { recordingLogger } from '../support/logger.ts';

/** Issue 11, section 4: what a newcomer stumbled on, at the level of the flows and the console. */
const upToGoals: Step[] = [
  { choice: 'en' },
  { choice: 'yes' },
  'Amira',
  { choice: 'Tampere' },
  'Civil engineer',
  { choice: 'master' },
  '7',
  { choice: 'B1' },
];
const upToLanguages: Step[] = [...upToGoals, { choice: 'vocabulary' }, { choice: '_done' }];
const sayTexts = (effects: Effect[]): Text[] => effects.flatMap((e) => (e.type === 'say' ? e.text : []));
const choicesAt = (state: NonNullable<ReturnType<typeof drive>['state']>) => flow.prompt(state, ctx()).choices ?? [];

describe('newcomer stumbles in the flows', () => {
  it('stumble 3: at a question with buttons, a number past the last button is "no such button"', () => {
    const { state, last } = drive(flow, [...upToGoals.slice(0, 3), '11']);
    expect(state?.step).toBe('city');
    expect(sayTexts(last.effects)).toEqual([{ key: 'common:no_such_button', params: { number: '11', last: '10' } }]);
    expect(last.effects.at(-1)).toEqual({ type: 'ask' });
  });

  it('stumble 3: a typed number the question takes as text stays text (an optional note "3")', () => {
    const handoff = { question: { literal: 'Anything to add?' }, useCase: 'x.y', argName: 'note', optional: true };
    const { state, last } = drive(askTextFlow, ['3'], ctx(), handoff);
    expect(state).toBeNull();
    expect(last.effects).toEqual([{ type: 'invoke', operation: 'x.y', args: { note: '3' } }]);
  });

  it('stumble 4: "7,5", "7.5" and "٧٫٥" years are kept as 7.5, and the summary shows 7,5 in Finnish', () => {
    for (const typed of ['7,5', '7.5', '٧٫٥', '7,5 vuotta']) {
      const { state } = drive(flow, [...upToGoals.slice(0, 6), typed]);
      expect(state?.data.yearsExperience).toBe(7.5);
    }
    expect(L('fi', 'registration:summary.line.experience', { count: 7.5 })).toBe('Työkokemus: 7,5 vuotta');
    expect(L('en', 'registration:summary.line.experience', { count: 7.5 })).toBe('Experience: 7.5 years');
  });

  it('stumble 5: goals have "Other", which asks for her own words and keeps them', () => {
    const before = drive(flow, upToGoals).state!;
    const labels = choicesAt(before).map((c) => c.value);
    expect(labels.slice(-2)).toEqual(['_other', '_done']);
    const other = flow.handle(before, { type: 'choice', value: '_other' }, ctx());
    expect(said(other.effects)).toEqual(['registration:goals.other_hint']);
    expect(other.effects.some((e) => e.type === 'ask')).toBe(false);
    const { state, effects } = drive(flow, [
      ...upToGoals,
      { choice: '_other' },
      'Finding an internship',
      { choice: '_done' },
      { choice: 'ar' },
      { choice: '_done' },
      { choice: 'evenings' },
      { choice: '_done' },
      { choice: 'confirm' },
    ]);
    expect(state).toBeNull();
    const saved = effects.find((e) => e.type === 'saveParticipant');
    expect(saved).toMatchObject({ participant: { actor: { goals: ['Finding an internship'] } } });
  });

  it('stumble 6: a typed language is confirmed and listed; "Done" keeps its number, last', () => {
    const before = drive(flow, upToLanguages).state!;
    const doneAt = choicesAt(before).findIndex((c) => c.value === '_done');
    expect(doneAt).toBe(choicesAt(before).length - 1);
    const added = flow.handle(before, { type: 'text', text: 'Kurdish' }, ctx());
    expect(sayTexts(added.effects)).toEqual([{ key: 'common:added', params: { value: [{ literal: 'Kurdish' }] } }]);
    const after = added.state!;
    expect(choicesAt(after).findIndex((c) => c.value === '_done')).toBe(doneAt);
    expect(choicesAt(after)).toHaveLength(choicesAt(before).length);
    expect(flow.prompt(after, ctx()).text).toContainEqual({
      key: 'common:own_answers',
      params: { value: [{ literal: 'Kurdish' }] },
    });
    // Written again, it goes away: it has no button to untick.
    const removed = flow.handle(after, { type: 'text', text: 'kurdish' }, ctx());
    expect(removed.state?.data.languages).toEqual([]);
    expect(said(removed.effects)).toEqual(['common:removed']);
  });

  it('stumble 6: an aim in her own words, longer than a button can carry, is listed and the question still renders', () => {
    const long = 'Learn to present my engineering work to Finnish employers with confidence';
    const args = { pairId: 'pair1', goals: ['vocabulary', 'Finding an internship'], timeZone: 'Europe/Helsinki' };
    const { state } = drive(commitmentFlow, [long], ctx(), args);
    expect(state?.data.aims).toEqual(['goal:vocabulary', 'Finding an internship', long]);
    const message = renderPrompt(commitmentFlow.prompt(state!, ctx()), 'prompt1', 'en', i18n);
    expect(message.text).toContain(long);
    expect(message.type === 'choice' && message.rows.flat().at(-1)?.label).toBe(L('en', 'common:done'));
  });

  it('stumble 7: Arabic-Indic and Persian digits press buttons as Western digits do', () => {
    for (const digit of ['4', '٤', '۴']) {
      const { state } = drive(flow, [...upToGoals.slice(0, 5), digit]);
      expect(state?.data.education).toBe('master');
    }
  });

  it('stumble 7: "Done" in Arabic points the way Arabic reads, not right', () => {
    const done = L('ar', 'common:done');
    expect(done).not.toContain('➡');
    expect(done).toContain('⬅');
  });

  it('stumble 7: in the console, "٤" presses button 4', async () => {
    const chat = new ConsoleAdapter({
      input: process.stdin,
      output: { write: () => true } as never,
      logger: recordingLogger(),
      onEvent: async () => {},
    });
    const rows = [1, 2, 3, 4, 5].map((n) => [{ label: String(n), data: `p|${n}` }]);
    await chat.deliver({ conversationId: 'console:local', message: { type: 'choice', text: 'Pick', rows } });
    expect(chat.toEvent('٤').payload).toEqual({ type: 'button', data: 'p|4' });
    expect(chat.toEvent('۵').payload).toEqual({ type: 'button', data: 'p|5' });
  });

  it('stumble 1: the first language question is written in all five languages', () => {
    const first = flow.begin(ctx(), {}).state!;
    const text = flow.prompt(first, ctx()).text.map((x) => i18n.render(x, 'en'));
    for (const lng of ['en', 'fi', 'ru', 'uk', 'ar'] as const)
      expect(text).toContain(L(lng, 'registration:language.ask'));
  });

  it('stumble 12: Finnish says "Valitse", never "Napauta", and no "Keskeytit kesken"', () => {
    const dir = join(PROJECT_ROOT, 'locales', 'fi');
    const all = readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    expect(all).not.toMatch(/napauta/i);
    expect(all).not.toContain('Keskeytit kesken');
  });
});
