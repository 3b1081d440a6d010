import { describe, expect, it } from 'vitest';
import { handoff, invoke, mayCall } from '../../src/core/operation.ts';
import { answerCheckin, OPERATIONS, proposeMeeting, proposePair } from '../../src/core/operations.ts';
import type { Participant } from '../../src/core/model.ts';

/**
 * Compile-time checks: `tsc --noEmit` (run by `npm test`) fails if any line marked
 * `@ts-expect-error` compiles, i.e. if a wrong name or argument were accepted.
 */
export function typeChecks(): void {
  invoke(proposeMeeting, { pairId: 'p1', at: '2027-01-01T10:00:00.000Z', place: 'Library' });
  // @ts-expect-error: a number where the pair's id goes
  invoke(proposeMeeting, { pairId: 1, at: '2027-01-01T10:00:00.000Z' });
  // @ts-expect-error: the time is missing
  invoke(proposeMeeting, { pairId: 'p1' });
  // @ts-expect-error: a field the operation does not have
  invoke(proposeMeeting, { pairId: 'p1', at: '2027-01-01T10:00:00.000Z', room: 'B' });
  // @ts-expect-error: not an operation
  invoke({ name: 'meetings.propse' }, {});
  handoff(proposePair, 'mentorId', { actorId: 'a1' });
  // @ts-expect-error: the rest of the input must be given
  handoff(proposePair, 'mentorId', {});
  // @ts-expect-error: the answer must go to a field of the input
  handoff(proposePair, 'mentor', { actorId: 'a1' });
  // @ts-expect-error: a rating is a number
  invoke(answerCheckin, { checkinId: 'c', met: 'yes', rating: 'five', topics: [] });
}

const person = (role: Participant['role'], status: Participant['status'] = 'waiting') =>
  ({ role, status }) as Participant;

describe('operations', () => {
  it('have unique names', () => {
    const names = OPERATIONS.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('are open to their callers only, as stored', () => {
    expect(mayCall(proposePair.callers, person('officer'))).toBe(true);
    expect(mayCall(proposePair.callers, person('mentor'))).toBe(false);
    expect(mayCall(proposeMeeting.callers, person('actor', 'paired'))).toBe(true);
    expect(mayCall(proposeMeeting.callers, person('actor', 'registering'))).toBe(false);
    expect(mayCall(proposeMeeting.callers, null)).toBe(false);
  });

  it('parse their input at the boundary', () => {
    expect(proposeMeeting.input.safeParse({ pairId: 'p', at: 'tomorrow' }).success).toBe(false);
    expect(answerCheckin.input.safeParse({ checkinId: 'c', met: 'yes', rating: 4, topics: [] }).success).toBe(true);
    expect(answerCheckin.input.safeParse({ checkinId: 'c', met: 'yes', rating: 9, topics: [] }).success).toBe(false);
  });
});
