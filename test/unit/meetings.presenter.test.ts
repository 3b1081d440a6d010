import { describe, expect, it } from 'vitest';
import type { CheckIn, Meeting } from '../../src/core/programme.ts';
import { presentCheckinStart } from '../../flows/checkin/checkin.presenter.ts';
import { presentAccepted, presentFollowUp, presentUpcoming } from '../../flows/meeting/meeting.presenter.ts';
import { ctx, NOW, registered, said } from '../support/flow-driver.ts';

const amira = ctx({ participant: registered({ id: 'a1', timeZone: 'Asia/Riyadh' }) });
const meeting: Meeting = {
  id: 'mt1',
  kind: 'pair',
  pairId: 'p1',
  at: new Date('2026-11-28T15:00:00Z'),
  timeZone: 'Europe/Helsinki',
  place: 'Library',
  state: 'accepted',
  proposedBy: 'm1',
  version: 1,
  rsvps: {},
  attended: [],
  createdAt: NOW,
};
const inRiyadh = (at: Date) => ({ date: at.toISOString(), timeZone: 'Asia/Riyadh' });

describe('a pair member meets her partner', () => {
  it('an accepted proposal is confirmed in her zone; one no longer open is an expired button', () => {
    expect(presentAccepted({ outcome: 'accepted', meeting }, amira)).toEqual([
      { type: 'say', text: [{ key: 'meetings:accepted', params: { when: inRiyadh(meeting.at) } }] },
    ]);
    expect(said(presentAccepted({ outcome: 'not_found' }, amira))).toEqual(['common:button_expired']);
  });

  it('/meetings: a line per meeting, then move or cancel each; none says so', () => {
    const proposed: Meeting = { ...meeting, id: 'mt2', state: 'proposed', place: undefined };
    const effects = presentUpcoming({ outcome: 'upcoming', meetings: [meeting, proposed] }, amira);
    expect(effects[0]).toEqual({
      type: 'say',
      text: [
        { key: 'meetings:list_title' },
        { key: 'meetings:line.accepted', params: { when: inRiyadh(meeting.at), place: 'Library' } },
        { key: 'meetings:line.proposed', params: { when: inRiyadh(meeting.at), place: '–' } },
      ],
    });
    expect(effects[1]).toMatchObject({
      type: 'begin',
      flow: 'pick',
      args: { question: { key: 'meetings:manage_ask' }, columns: 2, useCase: 'meetings.change', argName: 'what' },
    });
    const options = effects[1]?.type === 'begin' ? effects[1].args?.options : undefined;
    expect(options).toEqual([
      { value: 'move:mt1', label: { key: 'meetings:manage.move', params: { n: 1 } } },
      { value: 'cancel:mt1', label: { key: 'meetings:manage.cancel', params: { n: 1 } } },
      { value: 'move:mt2', label: { key: 'meetings:manage.move', params: { n: 2 } } },
      { value: 'cancel:mt2', label: { key: 'meetings:manage.cancel', params: { n: 2 } } },
    ]);
    expect(said(presentUpcoming({ outcome: 'none' }, amira))).toEqual(['meetings:none']);
  });

  it('"did you meet?": yes asks the topics, no thanks her and asks a new time, moved asks it at once', () => {
    const [topics] = presentFollowUp({ outcome: 'met', meeting, pairId: 'p1' }, amira);
    expect(topics).toMatchObject({
      type: 'begin',
      flow: 'pick-many',
      args: { question: { key: 'meetings:followup.topics_ask' }, useCase: 'meetings.held', min: 0 },
    });
    expect(topics?.type === 'begin' && topics.args).toMatchObject({ argName: 'topics', args: { meetingId: 'mt1' } });
    const again = { type: 'invoke', operation: 'meetings.begin', args: { pairId: 'p1' } };
    expect(
      presentFollowUp({ outcome: 'missed', meeting: { ...meeting, state: 'missed' }, pairId: 'p1' }, amira),
    ).toEqual([{ type: 'say', text: [{ key: 'meetings:followup.thanks_no' }] }, again]);
    expect(presentFollowUp({ outcome: 'moved', meeting, pairId: 'p1' }, amira)).toEqual([again]);
    expect(said(presentFollowUp({ outcome: 'not_found' }, amira))).toEqual(['common:button_expired']);
  });

  it("a check-in's first tap opens the rest of it; one answered, missed or another's has expired", () => {
    const checkin: CheckIn = { id: 'c1', pairId: 'p1', round: 1, participantId: 'a1', state: 'sent', sentAt: NOW };
    expect(presentCheckinStart({ outcome: 'started', checkin, met: 'yes' }, amira)).toEqual([
      { type: 'begin', flow: 'checkin', args: { checkinId: 'c1', met: 'yes' } },
    ]);
    for (const outcome of ['already_answered', 'missed', 'not_yours', 'not_found'] as const)
      expect(said(presentCheckinStart({ outcome }, amira))).toEqual(['common:button_expired']);
  });
});
