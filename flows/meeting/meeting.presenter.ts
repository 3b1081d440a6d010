import type { Effect } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { nameOf } from '../../src/core/labels.ts';
import { askToPick, handoff, type Presenter } from '../../src/core/operation.ts';
import {
  beginMeeting,
  type changeMeeting,
  type MeetingStart,
  type meetingHeld,
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
