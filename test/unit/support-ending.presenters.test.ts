import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/core/flow.ts';
import type { AnonymousQuestion, Cohort, CounsellingRequest, FinalSurvey } from '../../src/core/programme.ts';
import { presentCounsellingHandled, presentOpenCounselling } from '../../flows/counselling/counselling.presenter.ts';
import { presentAnonymousDecided, presentAnonymousStart } from '../../flows/anonymous/anonymous.presenter.ts';
import { presentSetting } from '../../flows/announce/announce.presenter.ts';
import { presentEndingConfirmation, presentEndingStart, presentRejoin } from '../../flows/ending/ending.presenter.ts';
import { presentClosed, presentSurveyStart } from '../../flows/completion/completion.presenter.ts';
import { ctx, NOW, pairOf, registered, said } from '../support/flow-driver.ts';

const olga = registered({ id: 'o1', role: 'officer', displayName: 'Olga', timeZone: 'Europe/Helsinki' });
const amira = registered({ id: 'a1', displayName: 'Amira' });
const liisa = registered({ id: 'm1', role: 'mentor', displayName: 'Liisa' });
const request: CounsellingRequest = {
  id: 'r1',
  participantId: 'a1',
  topic: 'job_search',
  urgency: 'this_week',
  message: 'CV help',
  state: 'taken',
  takenBy: 'o1',
  takenByName: 'Olga',
  createdAt: NOW,
};
const cohort: Cohort = { id: 'c1', name: 'Espoo spring', pairIds: [], createdBy: 'o1', createdAt: NOW };
const question: AnonymousQuestion = {
  id: 'q1',
  cohortId: 'c1',
  askerId: 'a1',
  text: 'How do I find a job?',
  state: 'posted',
  createdAt: NOW,
};
const pair = pairOf();
const begun = (effects: Effect[]) => effects.find((e) => e.type === 'begin');
const keys = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'update' ? e.text.map((x) => ('key' in x ? x.key : x.literal)) : []));

describe('support presenters', () => {
  it('a request taken rewrites the alert with who and when, and leaves "Resolve"; resolved, no button', () => {
    const taken = presentCounsellingHandled({ outcome: 'taken', request, requester: amira, by: olga, at: NOW }, ctx());
    expect(taken).toEqual([
      {
        type: 'update',
        text: [
          expect.objectContaining({ key: 'counselling:alert', params: expect.objectContaining({ name: 'Amira' }) }),
          { key: 'counselling:alert_message', params: { message: 'CV help' } },
          {
            key: 'counselling:taken_by',
            params: { name: 'Olga', when: { date: NOW.toISOString(), timeZone: 'Europe/Helsinki' } },
          },
        ],
        buttons: { choices: [{ value: 'resolve', label: { key: 'counselling:resolve' } }], columns: 2 },
      },
    ]);
    const resolved = presentCounsellingHandled(
      { outcome: 'resolved', request: { ...request, state: 'resolved' }, requester: null, by: olga, at: NOW },
      ctx(),
    );
    expect(keys(resolved)).toEqual(['counselling:alert', 'counselling:alert_message', 'counselling:resolved_by']);
    expect(resolved[0]?.type === 'update' && resolved[0].buttons).toBeFalsy();
  });

  it('a request taken or resolved already, or gone, is said so', () => {
    expect(said(presentCounsellingHandled({ outcome: 'already_taken', request }, ctx()))).toEqual([
      'counselling:already_taken',
    ]);
    expect(said(presentCounsellingHandled({ outcome: 'already_resolved' }, ctx()))).toEqual([
      'counselling:already_resolved',
    ]);
    expect(said(presentCounsellingHandled({ outcome: 'not_found' }, ctx()))).toEqual(['common:button_expired']);
  });

  it('/requests lists each open request with its state, or says there are none', () => {
    expect(said(presentOpenCounselling({ requests: [] }, ctx()))).toEqual(['counselling:list_empty']);
    const list = presentOpenCounselling(
      {
        requests: [
          { request, requester: amira },
          { request: { ...request, state: 'open' }, requester: null },
        ],
      },
      ctx(),
    );
    expect(said(list)).toEqual(['counselling:list_title', 'counselling:list_item', 'counselling:list_item']);
    const items = list[0]?.type === 'say' ? list[0].text.slice(1) : [];
    expect(items).toMatchObject([
      { params: { name: 'Amira', state: { key: 'counselling:state.taken', params: { name: 'Olga' } } } },
      { params: { name: '?', state: { key: 'counselling:state.open' } } },
    ]);
  });

  it('/ask asks for the question, or says why her cohort cannot be asked', () => {
    expect(begun(presentAnonymousStart({ outcome: 'ask', cohort }, ctx()))).toEqual({
      type: 'begin',
      flow: 'ask-text',
      args: { question: { key: 'peer:ask_prompt' }, useCase: 'anonymous.submit', argName: 'text', args: {}, max: 1000 },
    });
    expect(said(presentAnonymousStart({ outcome: 'no_cohort' }, ctx()))).toEqual(['peer:no_cohort']);
    expect(said(presentAnonymousStart({ outcome: 'no_space' }, ctx()))).toEqual(['peer:no_space']);
  });

  it("an officer's decision rewrites the review with who decided; decided already, or gone, is said so", () => {
    const approved = presentAnonymousDecided({ outcome: 'approved', question, cohort, by: olga, at: NOW }, ctx());
    expect(approved).toEqual([
      {
        type: 'update',
        text: [
          { key: 'peer:moderate', params: { name: 'Espoo spring', text: 'How do I find a job?' } },
          {
            key: 'peer:approved_by',
            params: { name: 'Olga', when: { date: NOW.toISOString(), timeZone: 'Europe/Helsinki' } },
          },
        ],
      },
    ]);
    const rejected = presentAnonymousDecided({ outcome: 'rejected', question, cohort, by: olga, at: NOW }, ctx());
    expect(keys(rejected)).toEqual(['peer:moderate', 'peer:rejected_by']);
    expect(said(presentAnonymousDecided({ outcome: 'already_decided' }, ctx()))).toEqual(['peer:already_decided']);
    expect(said(presentAnonymousDecided({ outcome: 'not_found' }, ctx()))).toEqual(['common:button_expired']);
  });

  it('/announcements asks on or off, whatever she has now', () => {
    for (const on of [true, false])
      expect(presentSetting({ on }, ctx())).toEqual([
        {
          type: 'begin',
          flow: 'pick',
          args: {
            question: { key: 'announce:prefs_ask' },
            options: [
              { value: 'on', label: { key: 'announce:prefs.on' } },
              { value: 'off', label: { key: 'announce:prefs.off' } },
            ],
            useCase: 'announce.prefs',
            argName: 'value',
            args: {},
            columns: 2,
          },
        },
      ]);
  });
});

describe('ending and completion presenters', () => {
  it('/endpair asks the reason for the pair, or says why not', () => {
    const start = begun(presentEndingStart({ outcome: 'ask_reason', pair }, ctx()));
    expect(start).toMatchObject({
      flow: 'pick',
      args: { question: { key: 'ending:reason_ask' }, useCase: 'pairs.endReason', argName: 'reason' },
    });
    expect(start?.type === 'begin' && start.args).toMatchObject({ args: { pairId: 'p1' } });
    expect(start?.type === 'begin' && start.args?.options).toContainEqual({
      value: 'found_a_job',
      label: { key: 'ending:reason.found_a_job' },
    });
    expect(said(presentEndingStart({ outcome: 'usage' }, ctx()))).toEqual(['ending:officer_usage']);
    expect(said(presentEndingStart({ outcome: 'not_found' }, ctx()))).toEqual(['ending:not_found']);
    expect(said(presentEndingStart({ outcome: 'no_pair' }, ctx()))).toEqual(['ending:no_pair']);
  });

  it('the confirmation names her partner; an officer is asked about both; a stale one has expired', () => {
    const base = { outcome: 'confirm', pair, reason: 'no_time', actor: amira, mentor: liisa } as const;
    const mine = begun(presentEndingConfirmation({ ...base, partner: liisa }, ctx()));
    expect(mine).toEqual({
      type: 'begin',
      flow: 'pick',
      args: {
        question: { key: 'ending:confirm_ask', params: { name: 'Liisa' } },
        options: [
          { value: 'end', label: { key: 'ending:confirm_yes' } },
          { value: 'keep', label: { key: 'ending:confirm_no' } },
        ],
        useCase: 'pairs.end',
        argName: 'answer',
        args: { pairId: 'p1', reason: 'no_time' },
      },
    });
    const officer = begun(presentEndingConfirmation({ ...base, partner: null }, ctx()));
    expect(officer?.type === 'begin' && officer.args?.question).toEqual({
      key: 'ending:confirm_ask_officer',
      params: { actor: 'Amira', mentor: 'Liisa' },
    });
    expect(said(presentEndingConfirmation({ outcome: 'not_found' }, ctx()))).toEqual(['common:button_expired']);
  });

  it('her answer about a new mentor: waiting, later, she has a pair already, or expired', () => {
    expect(said(presentRejoin({ outcome: 'saved', status: 'waiting' }, ctx()))).toEqual(['ending:rejoin_waiting']);
    expect(said(presentRejoin({ outcome: 'saved', status: 'finished' }, ctx()))).toEqual(['ending:rejoin_later']);
    expect(said(presentRejoin({ outcome: 'has_pair' }, ctx()))).toEqual(['ending:rejoin_has_pair']);
    expect(said(presentRejoin({ outcome: 'not_found' }, ctx()))).toEqual(['common:button_expired']);
  });

  it("the survey's button begins her survey, or says it is answered or expired", () => {
    const survey: FinalSurvey = {
      id: 's1',
      pairId: 'p1',
      participantId: 'a1',
      role: 'actor',
      state: 'sent',
      sentAt: NOW,
    };
    expect(presentSurveyStart({ outcome: 'start', survey }, ctx())).toEqual([
      { type: 'begin', flow: 'final-survey', args: { surveyId: 's1', role: 'actor' } },
    ]);
    expect(said(presentSurveyStart({ outcome: 'already_answered' }, ctx()))).toEqual(['completion:already_answered']);
    expect(said(presentSurveyStart({ outcome: 'not_found' }, ctx()))).toEqual(['common:button_expired']);
  });

  it('/closepair names the completed pair, or says why not', () => {
    const closed = presentClosed({ outcome: 'completed', pair, actor: amira, mentor: liisa }, ctx());
    expect(closed).toEqual([
      { type: 'say', text: [{ key: 'completion:closed', params: { actor: 'Amira', mentor: 'Liisa' } }] },
    ]);
    expect(said(presentClosed({ outcome: 'too_early' }, ctx()))).toEqual(['completion:close_too_early']);
    expect(said(presentClosed({ outcome: 'not_active' }, ctx()))).toEqual(['ending:not_found']);
  });
});
