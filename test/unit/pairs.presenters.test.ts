import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/core/flow.ts';
import type { Cohort, Commitment, Meeting } from '../../src/core/programme.ts';
import { presentPairReply, presentWaiting } from '../../flows/pairs/pairs.presenter.ts';
import { presentCommitmentConfirmed, presentCommitmentStart } from '../../flows/commitment/commitment.presenter.ts';
import { presentRsvp } from '../../flows/cohorts/cohorts.presenter.ts';
import { presentInvitation } from '../../flows/officers/officers.presenter.ts';
import { presentBinding } from '../../flows/spaces/spaces.presenter.ts';
import { actorData } from '../support/seed.ts';
import { ctx, NOW, pairOf, registered, said } from '../support/flow-driver.ts';

const at = new Date('2026-11-01T10:00:00Z');
const pair = pairOf({ state: 'proposed', mentorAccepted: false, createdAt: at });
const commitment: Commitment = {
  aims: ['goal:vocabulary', 'Interviews'],
  frequency: 'biweekly',
  start: new Date('2026-12-01T10:00:00Z'),
  plannedEnd: new Date('2027-07-01T10:00:00Z'),
  draftedBy: 'a1',
};
const meeting: Meeting = {
  id: 'g1',
  kind: 'group',
  cohortId: 'c1',
  number: 1,
  at,
  timeZone: 'Europe/Helsinki',
  state: 'accepted',
  proposedBy: 'o1',
  version: 1,
  rsvps: {},
  attended: [],
  createdAt: at,
};
const begun = (effects: Effect[]) => effects.find((e) => e.type === 'begin');

describe("the presenters of a pair's first steps and of the officers' tools", () => {
  it('a reply to a proposal: a yes waits for the partner, both yeses say nothing more, a no asks why', () => {
    expect(said(presentPairReply({ outcome: 'accepted', pair }, ctx()))).toEqual(['pairs:proposal.accepted_wait']);
    expect(presentPairReply({ outcome: 'activated', pair: { ...pair, state: 'active' } }, ctx())).toEqual([]);
    expect(said(presentPairReply({ outcome: 'not_found' }, ctx()))).toEqual(['common:button_expired']);
    expect(presentPairReply({ outcome: 'declining', pair }, ctx())).toEqual([
      {
        type: 'begin',
        flow: 'ask-text',
        args: {
          question: { key: 'pairs:decline.reason_ask' },
          useCase: 'pairs.decline',
          argName: 'reason',
          args: { pairId: 'p1' },
          optional: true,
          max: 500,
        },
      },
    ]);
  });

  it('/waiting: a line per actor with her days of waiting, and a pick that ranks her mentors', () => {
    const amira = registered({ ...actorData('telegram:1'), id: 'a1', createdAt: new Date(+NOW - 3 * 86_400_000) });
    const effects = presentWaiting({ actors: [amira] }, ctx());
    expect(said(effects)).toEqual(['officer:waiting.title', 'officer:waiting.line']);
    expect(effects[0]).toMatchObject({
      text: [{ params: { count: 1 } }, { params: { n: 1, name: 'Amira', city: 'Tampere', count: 3 } }],
    });
    expect(begun(effects)).toEqual({
      type: 'begin',
      flow: 'pick',
      args: {
        question: { key: 'officer:waiting.pick' },
        options: [{ value: 'a1', label: { literal: '1. Amira' } }],
        useCase: 'matching.rank',
        argName: 'actorId',
        args: {},
      },
    });
    expect(said(presentWaiting({ actors: [] }, ctx()))).toEqual(['officer:waiting.none']);
  });

  it('the commitment: its questions (with the draft to change), the one already set, or an expired button', () => {
    const write = presentCommitmentStart(
      { outcome: 'write', pairId: 'p1', goals: ['vocabulary'], timeZone: 'Asia/Riyadh', draft: commitment },
      ctx(),
    );
    expect(write).toEqual([
      {
        type: 'begin',
        flow: 'commitment',
        args: {
          pairId: 'p1',
          goals: ['vocabulary'],
          timeZone: 'Asia/Riyadh',
          draft: { ...commitment, start: '2026-12-01T10:00:00.000Z' },
        },
      },
    ]);
    const fresh = presentCommitmentStart({ outcome: 'write', pairId: 'p1', goals: [], timeZone: 'UTC' }, ctx());
    expect(begun(fresh)).toEqual({
      type: 'begin',
      flow: 'commitment',
      args: { pairId: 'p1', goals: [], timeZone: 'UTC' },
    });
    const set = presentCommitmentStart({ outcome: 'already_set', commitment, timeZone: 'Europe/Helsinki' }, ctx());
    expect(set[0]).toMatchObject({
      text: [
        {
          key: 'pairs:commitment.already',
          params: {
            aims: [{ key: 'registration:goals.options.vocabulary' }, { literal: 'Interviews' }],
            frequency: { key: 'pairs:commitment.frequency.biweekly' },
            start: { date: commitment.start.toISOString(), timeZone: 'Europe/Helsinki', dayOnly: true },
          },
        },
      ],
    });
    expect(said(presentCommitmentStart({ outcome: 'not_found' }, ctx()))).toEqual(['common:button_expired']);
  });

  it('a confirmed commitment thanks her and says what comes next', () => {
    expect(said(presentCommitmentConfirmed({ outcome: 'confirmed', commitment }, ctx()))).toEqual([
      'pairs:commitment.confirmed',
      'pairs:commitment.next',
    ]);
    expect(said(presentCommitmentConfirmed({ outcome: 'not_found' }, ctx()))).toEqual(['common:button_expired']);
  });

  it('an RSVP is thanked in its own words', () => {
    for (const answer of ['coming', 'not_coming', 'maybe'] as const)
      expect(said(presentRsvp({ outcome: 'saved', meeting, answer }, ctx()))).toEqual([
        `cohorts:rsvp_thanks.${answer}`,
      ]);
    expect(said(presentRsvp({ outcome: 'not_found' }, ctx()))).toEqual(['common:button_expired']);
  });

  it('an officer invitation shows its code', () => {
    expect(presentInvitation({ code: 'officer-abc', expiresAt: NOW }, ctx())).toEqual([
      { type: 'say', text: [{ key: 'officer:invite.created', params: { code: 'officer-abc' } }] },
    ]);
  });

  it('/bind: bound names the cohort; each refusal has its own answer', () => {
    const cohort: Cohort = { id: 'c1', name: '3', pairIds: [], createdBy: 'o1', createdAt: at };
    expect(presentBinding({ outcome: 'bound', cohort, invited: 4 }, ctx())).toEqual([
      { type: 'say', text: [{ key: 'peer:bound', params: { name: '3' } }] },
    ]);
    expect(presentBinding({ outcome: 'not_admin', code: 'K7QX' }, ctx())).toEqual([
      { type: 'say', text: [{ key: 'peer:bind_not_admin', params: { code: 'K7QX' } }] },
    ]);
    expect(said(presentBinding({ outcome: 'not_in_group' }, ctx()))).toEqual(['peer:bind_in_group']);
    expect(said(presentBinding({ outcome: 'no_code' }, ctx()))).toEqual(['peer:bind_usage']);
    expect(said(presentBinding({ outcome: 'bad_code' }, ctx()))).toEqual(['peer:bind_bad_code']);
  });
});
