import { describe, expect, it } from 'vitest';
import { finalSurveyFlow } from '../../flows/completion/final-survey.flow.ts';
import { presentEnded, presentSurvey } from '../../flows/completion/completion.presenter.ts';
import { drive, ctx, said, type Step } from '../support/flow-driver.ts';

const actor = { surveyId: 'survey:p1:a1', role: 'actor' };
const mentor = { surveyId: 'survey:p1:m1', role: 'mentor' };
const invoked = (effects: ReturnType<typeof drive>['effects']) => effects.filter((e) => e.type === 'invoke');

describe('final survey', () => {
  it.each<[string, Record<string, string>, Step[], Record<string, unknown>]>([
    [
      'an actor: outcomes, Finnish confidence and a note',
      actor,
      [
        { choice: '5' },
        { choice: 'cv' },
        { choice: 'interviews' },
        { choice: 'cv' },
        { choice: '_done' },
        { choice: '3' },
        { choice: 'no' },
        { choice: 'yes' },
        'Kiitos kaikesta',
      ],
      {
        surveyId: 'survey:p1:a1',
        rating: 5,
        changed: ['interviews'],
        finnishConfidence: 3,
        wouldMentor: false,
        wouldRecommend: true,
        note: 'Kiitos kaikesta',
      },
    ],
    [
      'an actor who changed nothing and skips the note',
      actor,
      [{ choice: '2' }, { choice: '_done' }, { choice: '1' }, { choice: 'no' }, { choice: 'no' }, { choice: '_skip' }],
      {
        surveyId: 'survey:p1:a1',
        rating: 2,
        changed: [],
        finnishConfidence: 1,
        wouldMentor: false,
        wouldRecommend: false,
      },
    ],
    [
      'a mentor goes from the rating straight to "would you mentor again"',
      mentor,
      [{ choice: '4' }, { choice: 'yes' }, { choice: 'yes' }, { choice: '_skip' }],
      { surveyId: 'survey:p1:m1', rating: 4, changed: [], wouldMentor: true, wouldRecommend: true },
    ],
  ])('%s', (_name, args, answers, expected) => {
    const { state, effects } = drive(finalSurveyFlow, answers, ctx(), args);
    expect(state).toBeNull();
    expect(invoked(effects)).toEqual([{ type: 'invoke', operation: 'completion.survey', args: expected }]);
  });

  it('typed text where buttons are asked, an unknown button and a too long note are answered kindly and asked again', () => {
    const { state, effects } = drive(
      finalSurveyFlow,
      ['very good', { choice: '9' }, { choice: '5' }, { choice: 'pilot' }],
      ctx(),
      actor,
    );
    expect(said(effects)).toEqual(['common:use_buttons', 'common:use_buttons', 'common:use_buttons']);
    expect(state?.step).toBe('changed');
    const long = drive(
      finalSurveyFlow,
      [{ choice: '4' }, { choice: 'yes' }, { choice: 'yes' }, 'x'.repeat(1001)],
      ctx(),
      mentor,
    );
    expect(said(long.effects)).toEqual(['common:text_invalid']);
    expect(long.state?.step).toBe('note');
    expect(invoked(long.effects)).toEqual([]);
  });

  it('the mentor\'s /back from "would you mentor again" returns to the rating', () => {
    const { state } = drive(finalSurveyFlow, [{ choice: '4' }], ctx(), mentor);
    expect(state?.step).toBe('mentor');
    expect(finalSurveyFlow.back(state!, ctx()).state?.step).toBe('rating');
  });
});

describe('completion presenters', () => {
  const c = {
    now: new Date(),
    locale: 'en' as const,
    identity: 'telegram:1',
    conversationId: 'telegram:1',
    participant: null,
  };
  it('say what happened, in keys', () => {
    expect(said(presentSurvey({ outcome: 'recorded', completed: true }, c))).toEqual(['completion:answered_complete']);
    expect(said(presentSurvey({ outcome: 'recorded', completed: false }, c))).toEqual(['completion:answered_wait']);
    expect(said(presentSurvey({ outcome: 'not_found' }, c))).toEqual(['completion:already_answered']);
    expect(said(presentEnded({ outcome: 'kept' }, c))).toEqual(['ending:kept']);
    expect(said(presentEnded({ outcome: 'ended', reason: 'moved', partnerName: 'Liisa', by: 'member' }, c))).toEqual([
      'ending:done',
    ]);
    expect(said(presentEnded({ outcome: 'ended', reason: 'moved', partnerName: 'A & B', by: 'officer' }, c))).toEqual([
      'ending:done_officer',
    ]);
  });
});
