import type { Clock } from '../core/ports.ts';

const HOUR = 3_600_000;

/**
 * The programme's time in the console chat: real time plus a shift that `/clock` adds to. It only moves
 * forward, so the outbox's hours and the health queue's deadlines keep their order.
 */
export class VirtualClock implements Clock {
  constructor(
    private shiftMs = 0,
    private readonly real: () => number = Date.now,
  ) {}

  now(): Date {
    return new Date(this.real() + this.shiftMs);
  }

  /** How far ahead of real time it runs (stored, so a restart keeps the programme's time). */
  get shift(): number {
    return this.shiftMs;
  }

  /** Moves to `at`, unless that has passed already. */
  advanceTo(at: number): void {
    this.shiftMs = Math.max(this.shiftMs, at - this.real());
  }
}

/** `+3d`, `+2h`, `+30m`, `+1w` (also `3d`): how far to move, in milliseconds; undefined when not understood. */
export function parseShift(text: string): number | undefined {
  const m = /^\+?\s*(\d{1,4})\s*([mhdw])$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = { m: 60_000, h: HOUR, d: 24 * HOUR, w: 7 * 24 * HOUR }[m[2]!.toLowerCase() as 'm' | 'h' | 'd' | 'w'];
  const ms = Number(m[1]) * unit;
  return ms > 0 && ms <= 400 * 24 * HOUR ? ms : undefined;
}

export interface TimeTravelDeps {
  clock: VirtualClock;
  /** The scheduler's jobs at one moment: check-ins, stall evaluation, reports, then the outbox. */
  runDue: (now: Date) => Promise<void>;
  /** When the next pending message falls due after `after`. */
  nextDue: (after: Date) => Promise<Date | undefined>;
  /** Called after each stop, with the shift reached (to store it). */
  moved?: (shiftMs: number) => Promise<void>;
  /** The longest step between two runs of the jobs; the cron jobs run at least this often. */
  maxStepMs?: number;
}

/**
 * Moves the clock forward by `ms`, stopping at every message that falls due on the way (a reminder is sent
 * before its meeting, as it would be in real time) and at least every `maxStepMs` to run the other jobs.
 */
export async function travel(d: TimeTravelDeps, ms: number): Promise<{ from: Date; to: Date; stops: number }> {
  const from = d.clock.now();
  const target = from.getTime() + ms;
  let stops = 0;
  for (;;) {
    await d.runDue(d.clock.now());
    stops++;
    await d.moved?.(d.clock.shift);
    const now = d.clock.now().getTime();
    if (now >= target) break;
    const next = (await d.nextDue(new Date(now)))?.getTime() ?? Number.POSITIVE_INFINITY;
    d.clock.advanceTo(Math.min(target, now + (d.maxStepMs ?? 6 * HOUR), Math.max(next, now + 1)));
  }
  return { from, to: d.clock.now(), stops };
}
