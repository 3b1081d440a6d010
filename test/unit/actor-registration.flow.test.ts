import { describe, expect, it } from 'vitest';
import { actorRegistrationFlow as flow } from '../../flows/registration/actor-registration.flow.ts';
import type { Effect } from '../../src/core/flow.ts';
import { ctx, drive, NOW, registered, said, type Step } from '../support/flow-driver.ts';

const happyPath: Step[] = [
  { choice: 'fi' },
  { choice: 'yes' },
  'Amira',
  { choice: 'Tampere' },
  'Civil engineer',
  { choice: 'master' },
  '7',
  { choice: 'B1' },
  { choice: 'vocabulary' },
  { choice: 'cv_applications' },
  { choice: '_done' },
  { choice: 'ar' },
  'English, Kurdish',
  { choice: '_done' },
  { choice: 'evenings' },
  { choice: '_done' },
];

const saved = (effects: Effect[]) => effects.find((e) => e.type === 'saveParticipant');

describe('actor registration', () => {
  it('walks every step in order and reaches the summary', () => {
    const steps: string[] = [];
    let state = flow.begin(ctx(), {}).state!;
    for (const answer of happyPath) {
      steps.push(state.step);
      state = flow.handle(
        state,
        typeof answer === 'string'
          ? { type: 'text', text: answer }
          : { type: 'choice', value: 'choice' in answer ? answer.choice : answer.text },
        ctx(),
      ).state!;
    }
    expect([...new Set(steps)]).toEqual([
      'language',
      'consent',
      'name',
      'city',
      'profession',
      'education',
      'experience',
      'finnish',
      'goals',
      'languages',
      'availability',
    ]);
    expect(state.step).toBe('summary');
  });

  it('stores the confirmed profile as waiting for a mentor, with the consent time', () => {
    const { state, effects } = drive(flow, [...happyPath, { choice: 'confirm' }]);
    expect(state).toBeNull();
    const save = saved(effects);
    expect(save).toMatchObject({
      type: 'saveParticipant',
      participant: {
        role: 'actor',
        status: 'waiting',
        consent: { given: true, textVersion: 'v-test', at: NOW },
        actor: {
          firstName: 'Amira',
          city: 'Tampere',
          profession: 'Civil engineer',
          education: 'master',
          yearsExperience: 7,
          finnishLevel: 'B1',
          goals: ['vocabulary', 'cv_applications'],
          languages: ['ar', 'English', 'Kurdish'],
          availability: ['evenings'],
        },
      },
    });
    expect(said(effects)).toContain('registration:done.actor');
  });

  it('starts at consent when the platform told us her language', () => {
    expect(flow.begin(ctx(), { localeKnown: true }).state?.step).toBe('consent');
  });

  it('on a refusal stores only the refusal and ends', () => {
    const { state, effects } = drive(flow, [{ choice: 'en' }, { choice: 'no' }]);
    expect(state).toBeNull();
    expect(saved(effects)).toEqual({
      type: 'saveParticipant',
      participant: {
        role: 'actor',
        locale: 'en',
        timeZone: 'Europe/Helsinki',
        status: 'declined',
        consent: { given: false, textVersion: 'v-test', at: NOW },
      },
    });
    expect(said(effects)).toContain('registration:consent.declined');
  });

  const upTo = (step: string): Step[] => {
    const order = ['language', 'consent', 'name', 'city', 'profession', 'education', 'experience', 'finnish'];
    return happyPath.slice(0, order.indexOf(step));
  };

  it.each([
    ['name', '', 'registration:name.invalid'],
    ['name', 'x'.repeat(51), 'registration:name.invalid'],
    ['name', 'R2D2', 'registration:name.invalid'],
    ['city', 'x'.repeat(5000), 'registration:city.invalid'],
    ['city', '12345', 'registration:city.invalid'],
    ['profession', 'a', 'registration:profession.invalid'],
    ['profession', 'y'.repeat(101), 'registration:profession.invalid'],
    ['experience', 'many', 'registration:experience.invalid'],
    ['experience', '61', 'registration:experience.invalid'],
    ['experience', '-3', 'registration:experience.invalid'],
    ['education', 'a lot', 'common:use_buttons'],
    ['consent', 'maybe', 'common:use_buttons'],
  ])('at %s, %j is refused with %s and the answers so far are kept', (step, answer, error) => {
    const before = drive(flow, upTo(step));
    expect(before.state?.step).toBe(step);
    const after = flow.handle(before.state!, { type: 'text', text: answer }, ctx());
    expect(after.state).toEqual(before.state);
    expect(said(after.effects)).toEqual([error]);
    expect(after.effects.at(-1)).toEqual({ type: 'ask' });
  });

  it.each([
    ['7', 7],
    ['7 years', 7],
    ['7,5', 7.5],
    ['0', 0],
    [' 12 ', 12],
    ['٥', 5],
    ['١٢ سنة', 12],
  ])('reads years of experience %j as %d (stumble 4: half years are kept)', (typed, years) => {
    const { state } = drive(flow, [...upTo('experience'), typed]);
    expect(state?.data.yearsExperience).toBe(years);
  });

  it('reads typed languages separated by Latin or Arabic commas', () => {
    const before = drive(flow, happyPath.slice(0, 11));
    expect(before.state?.step).toBe('languages');
    const after = flow.handle(before.state!, { type: 'text', text: 'الكردية، التركية' }, ctx());
    expect(after.state?.data.languages).toEqual(['الكردية', 'التركية']);
  });

  it('needs at least one goal before Done', () => {
    const { state, last } = drive(flow, [...upTo('finnish'), { choice: 'B1' }, { choice: '_done' }]);
    expect(state?.step).toBe('goals');
    expect(said(last.effects)).toEqual(['registration:goals.none_chosen']);
  });

  it('toggles a goal off when pressed twice', () => {
    const { state } = drive(flow, [
      ...upTo('finnish'),
      { choice: 'B1' },
      { choice: 'networking' },
      { choice: 'vocabulary' },
      { choice: 'networking' },
    ]);
    expect(state?.data.goals).toEqual(['vocabulary']);
  });

  it('/back returns one step and forgets nothing answered before it', () => {
    const { state } = drive(flow, upTo('profession'));
    const back = flow.back(state!, ctx());
    expect(back.state?.step).toBe('city');
    expect(back.state?.data.firstName).toBe('Amira');
    expect(flow.back(flow.begin(ctx(), {}).state!, ctx()).effects.map((e) => e.type)).toEqual(['say', 'ask']);
  });

  it('changes one answer from the summary and returns to the summary', () => {
    const { state } = drive(flow, [...happyPath, { choice: 'edit' }, { choice: 'city' }, 'Rovaniemi']);
    expect(state?.step).toBe('summary');
    expect(state?.data.city).toBe('Rovaniemi');
    expect(state?.data.returnTo).toBeUndefined();
  });

  it('edits a registered profile without touching her status or consent', () => {
    const me = registered({
      status: 'paired',
      consent: { given: true, textVersion: 'old', at: new Date('2026-01-01') },
      actor: {
        firstName: 'Amira',
        city: 'Oulu',
        profession: 'Nurse',
        education: 'bachelor',
        yearsExperience: 3,
        finnishLevel: 'A2',
        goals: ['networking'],
        languages: ['ar'],
        availability: ['weekends'],
      },
    });
    const c = ctx({ participant: me });
    const { effects } = drive(
      flow,
      [{ choice: 'edit' }, { choice: 'finnish' }, { choice: 'B2' }, { choice: 'confirm' }],
      c,
      { mode: 'edit' },
    );
    expect(saved(effects)).toMatchObject({
      participant: { status: 'paired', consent: { textVersion: 'old' }, actor: { finnishLevel: 'B2', city: 'Oulu' } },
    });
    expect(said(effects)).toEqual(['registration:done.saved']);
  });
});
