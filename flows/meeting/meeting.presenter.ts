import type { Effect } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import type { Presenter } from '../../src/core/operation.ts';
import type { meetingHeld, proposeMeeting } from '../../src/core/operations.ts';

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
