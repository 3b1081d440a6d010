import type { Text } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { timelineLine } from '../../src/core/labels.ts';
import type { Presenter } from '../../src/core/operation.ts';
import type { showTimeline } from '../../src/core/operations.ts';

const REFUSED = {
  not_allowed: 'common:not_allowed',
  no_pair: 'meetings:no_pair',
  name_a_pair: 'officer:timeline_usage',
};

/** The pair's history in her time zone, one line per event; how notes were triaged, for officers only. */
export const presentTimeline: Presenter<typeof showTimeline> = (r, ctx) => {
  if (r.outcome !== 'timeline') return [{ type: 'say', text: [t(REFUSED[r.outcome])] }];
  // The operation is open to stored participants only, so she is there; Helsinki is the programme's own zone.
  const zone = ctx.participant?.timeZone ?? 'Europe/Helsinki';
  const lines = r.events.map((e) => timelineLine(e, zone, r.forOfficer)).filter((x): x is Text => x !== undefined);
  return [{ type: 'say', text: [t('pairs:timeline.title'), ...(lines.length ? lines : [t('pairs:timeline.empty')])] }];
};
