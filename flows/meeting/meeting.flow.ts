import { z } from 'zod';
import type { FlowContext } from '../../src/core/flow.ts';
import { t } from '../../src/core/flow.ts';
import { invoke } from '../../src/core/operation.ts';
import { planGroupMeeting, proposeMeeting } from '../../src/core/operations.ts';
import { parseMeetingTime } from '../../src/core/dates.ts';
import { defineForm, finishing } from '../form/form.flow.ts';
import { textQuestion } from '../form/questions.ts';

const ns = 'meetings';
/** Meetings more than nine months ahead are typing mistakes more often than plans. */
const MAX_AHEAD_MS = 274 * 86_400_000;

/**
 * Proposing a meeting: when (a quick choice or a typed date, in the proposer's zone), where (optional).
 * A pair's meeting is proposed to the partner; with a cohort it is the cohort's group meeting.
 */
export const meetingFlow = defineForm({
  name: 'meeting',
  version: 1,
  pausable: false,
  order: ['when', 'place'],
  steps: {
    when: {
      prompt: (data) => ({
        text: [t(`${ns}:when_ask`)],
        choices: (data.quick as string[]).map((iso) => ({
          value: iso,
          label: t(`${ns}:quick`, { when: { date: iso, timeZone: String(data.timeZone) } }),
        })),
      }),
      answer(input, data, ctx: FlowContext) {
        const zone = String(data.timeZone);
        const at =
          input.type === 'choice'
            ? (data.quick as string[]).includes(input.value)
              ? new Date(input.value)
              : null
            : parseMeetingTime(input.text, zone, ctx.now);
        if (!at) return { kind: 'invalid', error: t(`${ns}:when_invalid`) };
        if (at <= ctx.now) return { kind: 'invalid', error: t(`${ns}:in_past`) };
        if (at.getTime() - ctx.now.getTime() > MAX_AHEAD_MS) return { kind: 'invalid', error: t(`${ns}:too_far`) };
        return { kind: 'next', data: { ...data, at: at.toISOString() } };
      },
    },
    place: finishing(
      textQuestion({
        field: 'place',
        ask: t(`${ns}:place_ask`),
        schema: z.string().trim().min(2).max(200),
        invalid: t(`${ns}:place_invalid`),
        skippable: true,
      }),
      (d) => {
        const at = String(d.at);
        const place = d.place ? { place: String(d.place) } : {};
        if (d.cohortId) return [invoke(planGroupMeeting, { cohortId: String(d.cohortId), at, ...place })];
        const replaces = d.replaces ? { replaces: String(d.replaces) } : {};
        return [invoke(proposeMeeting, { pairId: String(d.pairId), at, ...place, ...replaces })];
      },
    ),
  },
  begin: (_ctx, args) => ({ step: 'when', data: { ...args } }),
});
