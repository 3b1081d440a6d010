import type { Effect } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { nameOf, when } from '../../src/core/labels.ts';
import type { Meeting } from '../../src/core/programme.ts';
import {
  type acceptMeeting,
  type followUpMeeting,
  type listMeetings,
  MEETING_TOPICS,
} from '../../src/core/meetings.operations.ts';
import { askToPick, handoff, invoke, type Presenter } from '../../src/core/operation.ts';
import {
  beginMeeting,
  changeMeeting,
  type MeetingStart,
  meetingHeld,
  type proposeMeeting,
} from '../../src/core/operations.ts';

const say = (key: string, params?: Parameters<typeof t>[1]): Effect => ({ type: 'say', text: [t(key, params)] });

/** What the proposer reads; the partner's proposal itself went through the outbox. */
export const presentProposal: Presenter<typeof proposeMeeting> = (r, ctx) => {
  if (r.outcome === 'no_pair') return [say('meetings:no_pair')];
  if (r.outcome === 'in_past') return [say('meetings:in_past')];
  const zone = ctx.participant?.timeZone ?? r.meeting.timeZone;
  return [
    say('meetings:proposal_sent', { name: r.partnerName, when: { date: r.meeting.at.toISOString(), timeZone: zone } }),
  ];
};

/** Thanks for "we met"; the same thanks if she had said so already. */
export const presentHeld: Presenter<typeof meetingHeld> = (r) =>
  r.outcome === 'not_found' ? [say('common:button_expired')] : [say('meetings:followup.thanks_yes')];

/** /meet: which pair, then the meeting flow asks the time (with quick choices) and the place. */
export const presentMeetingStart = (r: MeetingStart): Effect[] => {
  if (r.outcome === 'no_pair') return [say('meetings:no_pair')];
  if (r.outcome === 'pick_pair')
    return [
      askToPick(
        t('meetings:which_pair'),
        r.pairs.map((p) => ({ value: p.pair.id, label: { literal: nameOf(p.partner) } })),
        handoff(beginMeeting, 'pairId', {}),
      ),
    ];
  return [
    {
      type: 'begin',
      flow: 'meeting',
      args: {
        pairId: r.pairId,
        timeZone: r.timeZone,
        quick: r.quick.map((d) => d.toISOString()),
        ...(r.replaces ? { replaces: r.replaces } : {}),
      },
    },
  ];
};

/** A meeting from /meetings: cancelled (the partner is told through the outbox), or its new time asked. */
export const presentMeetingChange: Presenter<typeof changeMeeting> = (r) => {
  if (r.outcome !== 'cancelled' && r.outcome !== 'not_found') return presentMeetingStart(r);
  return [say(r.outcome === 'cancelled' ? 'meetings:cancelled' : 'common:button_expired')];
};

/** Her own confirmation of a proposal she accepted, in her zone; the proposer was told through the outbox. */
export const presentAccepted: Presenter<typeof acceptMeeting> = (r, ctx) => {
  if (r.outcome === 'not_found') return [say('common:button_expired')];
  return [say('meetings:accepted', { when: when(r.meeting.at, ctx.participant?.timeZone ?? r.meeting.timeZone) })];
};

/** /meetings: one line per meeting in her zone, then a choice to move or cancel each one. */
export const presentUpcoming: Presenter<typeof listMeetings> = (r, ctx) => {
  if (r.outcome === 'none') return [say('meetings:none')];
  const zone = (m: Meeting) => ctx.participant?.timeZone ?? m.timeZone;
  const lines = r.meetings.map((m) =>
    t(`meetings:line.${m.state}`, { when: when(m.at, zone(m)), place: m.place ?? '–' }),
  );
  const options = r.meetings.flatMap((m, i) => [
    { value: `move:${m.id}`, label: t('meetings:manage.move', { n: i + 1 }) },
    { value: `cancel:${m.id}`, label: t('meetings:manage.cancel', { n: i + 1 }) },
  ]);
  return [
    { type: 'say', text: [t('meetings:list_title'), ...lines] },
    {
      type: 'begin',
      flow: 'pick',
      args: { question: t('meetings:manage_ask'), options, columns: 2, ...handoff(changeMeeting, 'what', {}) },
    },
  ];
};

/** "Did you meet?": yes asks what they worked on; no thanks her; either way but yes, a new time may be proposed. */
export const presentFollowUp: Presenter<typeof followUpMeeting> = (r) => {
  if (r.outcome === 'not_found') return [say('common:button_expired')];
  const again = invoke(beginMeeting, { pairId: r.pairId });
  if (r.outcome === 'missed') return [say('meetings:followup.thanks_no'), again];
  if (r.outcome === 'moved') return [again];
  const options = MEETING_TOPICS.map((v) => ({ value: v, label: t(`meetings:topics.${v}`) }));
  const question = t('meetings:followup.topics_ask');
  const topics = handoff(meetingHeld, 'topics', { meetingId: r.meeting.id });
  return [{ type: 'begin', flow: 'pick-many', args: { question, options, ...topics, min: 0 } }];
};
