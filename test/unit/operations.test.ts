import { describe, expect, it } from 'vitest';
import {
  handoff,
  type ImplementationsOf,
  invoke,
  mayCall,
  type PresentersOf,
  type ResultOf,
} from '../../src/core/operation.ts';
import {
  answerCheckin,
  declinePair,
  OPERATIONS,
  proposeMeeting,
  proposePair,
  type rankMentors,
  reportPeriod,
  type requestToJoin,
} from '../../src/core/operations.ts';
import { decideAnonymous, handleCounselling, listCounselling } from '../../src/core/support.operations.ts';
import { answerRejoin, beginEnding, beginSurvey, closePair } from '../../src/core/ending.operations.ts';
import { answerRsvp, bindSpace, replyToPair, startCommitment } from '../../src/core/pairs.operations.ts';
import { presentCheckinAnswer } from '../../flows/checkin/checkin.presenter.ts';
import { presentRanking } from '../../flows/pairs/pairs.presenter.ts';
import type { Participant } from '../../src/core/model.ts';
import {
  answerConsent,
  type confirmDeletion,
  deleteMyData,
  type exportMyData,
  type listAudit,
} from '../../src/core/privacy.operations.ts';
import { beginReport } from '../../src/core/reports.operations.ts';
import { actOnAlert } from '../../src/core/alerts.operations.ts';
import { acceptMeeting, followUpMeeting, listMeetings, startCheckin } from '../../src/core/meetings.operations.ts';

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
  // @ts-expect-error: a reason is text
  invoke(declinePair, { pairId: 'p1', reason: 5 });
  invoke(handleCounselling, { requestId: 'r1', value: 'take' });
  // @ts-expect-error: the request is named by `requestId`
  invoke(handleCounselling, { id: 'r1', value: 'take' });
  // @ts-expect-error: the decision is a button's value, text
  invoke(decideAnonymous, { questionId: 'q1', value: true });
  // @ts-expect-error: /requests takes no arguments
  invoke(listCounselling, { state: 'open' });
  invoke(beginEnding, {});
  // @ts-expect-error: a pair's id is text
  invoke(beginEnding, { pairId: 7 });
  // @ts-expect-error: her answer is required
  invoke(answerRejoin, { pairId: 'p1' });
  // @ts-expect-error: a survey is named by `surveyId`
  invoke(beginSurvey, { survey: 's1' });
  // @ts-expect-error: the pair must be named
  invoke(closePair, {});
  invoke(replyToPair, { pairId: 'p1', side: 'mentor', accept: true });
  // @ts-expect-error: the answer is a yes or a no, not the button's value
  invoke(replyToPair, { pairId: 'p1', side: 'mentor', accept: 'accept' });
  // @ts-expect-error: a side is the actor's or the mentor's
  invoke(replyToPair, { pairId: 'p1', side: 'officer', accept: true });
  // @ts-expect-error: a commitment is started for a pair, not a meeting
  invoke(startCommitment, { meetingId: 'm1' });
  // @ts-expect-error: the RSVP's answer is missing
  invoke(answerRsvp, { meetingId: 'm1' });
  // @ts-expect-error: the code is text
  invoke(bindSpace, { code: 1234 });
  invoke(actOnAlert, { alertId: 'al1', what: 'nudge' });
  // @ts-expect-error: the alert is named by its id
  invoke(actOnAlert, { id: 'al1', what: 'nudge' });
  // @ts-expect-error: the button's value is text
  invoke(actOnAlert, { alertId: 'al1', what: true });
  invoke(followUpMeeting, { meetingId: 'mt1', answer: 'no' });
  // @ts-expect-error: the answer is missing
  invoke(followUpMeeting, { meetingId: 'mt1' });
  // @ts-expect-error: a meeting is accepted by its id
  invoke(acceptMeeting, { pairId: 'p1' });
  // @ts-expect-error: /meetings takes nothing
  invoke(listMeetings, { pairId: 'p1' });
  // @ts-expect-error: the first answer is text
  invoke(startCheckin, { checkinId: 'c1', met: true });

  // Operations that return domain results: the outcome, its implementation and its presenter are checked.
  const recorded: ResultOf<typeof answerCheckin> = { outcome: 'already_answered' };
  // @ts-expect-error: not one of the check-in's outcomes
  const unknown: ResultOf<typeof answerCheckin> = { outcome: 'answered' };
  const implementations: ImplementationsOf<typeof answerCheckin> = {
    // @ts-expect-error: chat effects where the operation returns an outcome
    'checkins.answer': async () => [{ type: 'say', text: [{ literal: 'thanks' }] }],
  };
  const presenters: PresentersOf<typeof answerCheckin | typeof rankMentors> = {
    'checkins.answer': presentCheckinAnswer,
    // @ts-expect-error: a check-in's presenter cannot show a ranking
    'matching.rank': presentCheckinAnswer,
  };
  // @ts-expect-error: an operation with a domain result must have its presenter
  const missing: PresentersOf<typeof answerCheckin | typeof rankMentors> = { 'matching.rank': presentRanking };
  void [recorded, unknown, implementations, presenters, missing];
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
    expect(mayCall(bindSpace.callers, person('actor'))).toBe(false);
    expect(mayCall(replyToPair.callers, person('officer'))).toBe(false);
  });

  it('parse their input at the boundary', () => {
    expect(proposeMeeting.input.safeParse({ pairId: 'p', at: 'tomorrow' }).success).toBe(false);
    expect(answerCheckin.input.safeParse({ checkinId: 'c', met: 'yes', rating: 4, topics: [] }).success).toBe(true);
    expect(answerCheckin.input.safeParse({ checkinId: 'c', met: 'yes', rating: 9, topics: [] }).success).toBe(false);
  });
});

/** privacy and reports: their inputs and domain results are checked too. */
export function privacyAndReportsTypeChecks(): void {
  invoke(deleteMyData, { word: 'DELETE' });
  // @ts-expect-error: the typed word goes in `word`
  invoke(deleteMyData, { answer: 'DELETE' });
  // @ts-expect-error: a consent answer is text, and names the notice's version
  invoke(answerConsent, { answer: true });
  // @ts-expect-error: the scope is text (`all` or a city's key)
  invoke(reportPeriod, { scope: 3 });
  // @ts-expect-error: /report takes no argument
  invoke(beginReport, { city: 'Espoo' });
  // @ts-expect-error: not one of erasure's steps
  const step: ResultOf<typeof confirmDeletion> = 'erased';
  // @ts-expect-error: an export is data and a file, not chat effects
  const exported: ResultOf<typeof exportMyData> = [{ type: 'say', text: [{ literal: 'here' }] }];
  const implementations: ImplementationsOf<typeof listAudit> = {
    // @ts-expect-error: the audit log is entries with the officers' names, not chat effects
    'privacy.audit': async () => [{ type: 'say', text: [{ key: 'privacy:audit.empty' }] }],
  };
  // @ts-expect-error: what happened to a join request is an outcome, not chat effects
  const joined: ResultOf<typeof requestToJoin> = [];
  void [step, exported, implementations, joined];
}
