import { describe, expect, it } from 'vitest';
import { presentGroupMoved, presentJoinRequest } from '../../flows/spaces/spaces.presenter.ts';
import { presentKnown } from '../../flows/vocab/vocab.presenter.ts';
import { ctx } from '../support/flow-driver.ts';

describe('the presenters of platform events and known words', () => {
  it('say nothing: the service told the officers, or the quiz goes on by itself', () => {
    for (const outcome of ['approved', 'declined', 'ignored'] as const)
      expect(presentJoinRequest(outcome, ctx())).toEqual([]);
    expect(presentGroupMoved({ cohortIds: ['c1'] }, ctx())).toEqual([]);
    expect(presentKnown({ known: 3 }, ctx())).toEqual([]);
  });
});
