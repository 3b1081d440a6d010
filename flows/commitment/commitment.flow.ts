import { z } from 'zod';
import { parseDay, quickDays } from '../../src/core/dates.ts';
import { t } from '../../src/core/flow.ts';
import { isListedGoal } from '../../src/core/goals.ts';
import { invoke } from '../../src/core/operation.ts';
import { draftCommitment } from '../../src/core/operations.ts';
import { MEETING_FREQUENCIES, MeetingFrequency } from '../../src/core/programme.ts';
import { defineForm, finishing, fromData } from '../form/form.flow.ts';
import { choiceQuestion, multiQuestion } from '../form/questions.ts';
import { strings } from '../form/values.ts';

const ns = 'pairs';

/**
 * Drafting the pair's commitment: aims (her goals, plus their own words), how often they meet,
 * when they start and for how long (six to eight months, seven by default).
 */
export const commitmentFlow = defineForm({
  name: 'commitment',
  version: 1,
  pausable: true,
  order: ['aims', 'frequency', 'start', 'months'],
  steps: {
    aims: fromData(aims),
    frequency: choiceQuestion({
      field: 'frequency',
      ask: t(`${ns}:commitment.frequency_ask`),
      choices: MEETING_FREQUENCIES.map((f) => ({ value: f, label: t(`${ns}:commitment.frequency.${f}`) })),
    }),
    start: {
      prompt: (data) => ({
        text: [t(`${ns}:commitment.start_ask`)],
        choices: (data.quickDays as string[]).map((iso, i) => ({
          value: iso,
          label: t(`${ns}:commitment.${i === 0 ? 'today' : 'next_monday'}`),
        })),
        columns: 2,
      }),
      answer(input, data, ctx) {
        const zone = String(data.timeZone);
        const day =
          input.type === 'choice'
            ? (data.quickDays as string[]).includes(input.value)
              ? new Date(input.value)
              : null
            : parseDay(input.text, zone, ctx.now);
        if (!day || Math.abs(day.getTime() - ctx.now.getTime()) > 92 * 86_400_000)
          return { kind: 'invalid', error: t(`${ns}:commitment.start_invalid`) };
        return { kind: 'next', data: { ...data, start: day.toISOString() } };
      },
    },
    months: finishing(
      choiceQuestion({
        field: 'months',
        ask: t(`${ns}:commitment.months_ask`),
        choices: [6, 7, 8].map((m) => ({ value: String(m), label: t(`${ns}:commitment.months`, { count: m }) })),
        columns: 3,
        parse: Number,
      }),
      (d) => {
        const aims = strings(d.aims);
        const note = aims.filter((x) => !x.startsWith('goal:'));
        return [
          invoke(draftCommitment, {
            pairId: String(d.pairId),
            aims,
            ...(note.length ? { note: note.join('; ') } : {}),
            // A choice among these values only: anything else is a damaged state, and fails the step.
            frequency: MeetingFrequency.parse(d.frequency),
            start: String(d.start),
            months: Number(d.months),
          }),
        ];
      },
    ),
  },
  begin: (ctx, args) => {
    const draft = args.draft as { aims?: string[]; frequency?: string } | undefined;
    const all = args.goals as string[];
    const goals = all.filter(isListedGoal).map((g) => `goal:${g}`);
    // A goal in her own words is an aim in the same words.
    const own = all.filter((g) => !isListedGoal(g));
    return {
      step: 'aims',
      data: {
        pairId: args.pairId,
        timeZone: args.timeZone,
        goalOptions: goals,
        aims: draft?.aims ?? [...goals, ...own],
        ...(draft?.frequency ? { frequency: draft.frequency } : {}),
        quickDays: quickDays(ctx.now, String(args.timeZone)).map((d) => d.toISOString()),
      },
    };
  },
});

function aims(data: Record<string, unknown>) {
  return multiQuestion({
    field: 'aims',
    ask: t(`${ns}:commitment.aims_ask`),
    choices: (data.goalOptions as string[]).map((g) => ({
      value: g,
      label: t(`registration:goals.options.${g.slice(5)}`),
    })),
    min: 1,
    tooFew: t(`${ns}:commitment.aims_none`),
    freeText: { schema: z.string().trim().min(2).max(200), invalid: t(`${ns}:commitment.aims_invalid`), max: 10 },
  });
}
