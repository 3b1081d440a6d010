import type { Param } from './flow.ts';
import { t } from './flow.ts';
import { onDay } from './labels.ts';
import type { Commitment } from './programme.ts';

/** A commitment's aims, rhythm and dates in her zone: for the partner who confirms it and for the one who asks. */
export function commitmentParams(c: Commitment, timeZone: string): Record<string, Param> {
  return {
    aims: c.aims.map((a) => (a.startsWith('goal:') ? t(`registration:goals.options.${a.slice(5)}`) : { literal: a })),
    frequency: t(`pairs:commitment.frequency.${c.frequency}`),
    start: onDay(new Date(c.start), timeZone),
    end: onDay(new Date(c.plannedEnd), timeZone),
  };
}
