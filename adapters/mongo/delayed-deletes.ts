import type { mongo } from 'mongoose';
import { guard } from './connection.ts';

const BATCH = 500;
const TICK_MS = 1_000;

/**
 * Deletes by `_id` written once they are due, `delayMs` after they were asked for, in commands of up to
 * BATCH: a superseded revision of a conversation stays until no copy of it can still be saved from (see
 * MongoConversationRepository). What is due when the process ends is not written: whoever next loads her
 * conversation deletes what is left.
 */
export class DelayedDeletes<T extends mongo.Document & { _id: string }> {
  /**
   * Due times never decrease (one delay for all), so what is due is always at the front. Two lists, not an
   * object per delete: tens of thousands wait at once under load, each for minutes.
   */
  private ids: string[] = [];
  private dues: number[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly collection: () => mongo.Collection<T>,
    private readonly opts: { delayMs: number; now: () => number },
  ) {}

  delete(id: string): void {
    this.ids.push(id);
    this.dues.push(this.opts.now() + this.opts.delayMs);
    // Not holding the process open: what is left at exit is deleted by the next load (see above).
    this.timer ??= setInterval(() => void this.deleteDue().catch(() => undefined), TICK_MS).unref();
  }

  /** Writes the deletes that are due now; returns how many ids they named. */
  deleteDue(): Promise<number> {
    this.running ??= this.writeDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async writeDue(): Promise<number> {
    let n = 0;
    const now = this.opts.now();
    const due = () => this.head < this.ids.length && this.dues[this.head]! <= now;
    while (due()) {
      const batch: string[] = [];
      while (batch.length < BATCH && due()) batch.push(this.ids[this.head++]!);
      // A failed batch is not tried again: the next load of her conversation deletes what it left.
      await guard(() => this.collection().deleteMany({ _id: { $in: batch } } as mongo.Filter<T>));
      n += batch.length;
    }
    if (this.head === this.ids.length) this.stop();
    else if (this.head > BATCH) {
      this.ids = this.ids.slice(this.head);
      this.dues = this.dues.slice(this.head);
      this.head = 0;
    }
    return n;
  }

  /** Forgets what is pending (at shutdown, or once nothing is). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.ids = [];
    this.dues = [];
    this.head = 0;
  }
}
