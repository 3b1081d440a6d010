import type { RatePolicy, Window } from '../../core/ports.ts';

export const UNLIMITED: RatePolicy = { perConversation: () => undefined };

/** A booked send: under way until `at` is set, when it finished. */
interface Slot {
  booked: number;
  at: number | undefined;
}

/** A send never reported finished holds its slot this long at most (a caller that forgot, a hung request). */
const STUCK_MS = 30_000;

/**
 * Sliding-window limiter, one per process and platform. `acquire` waits until a send is allowed and books it;
 * `finished` says the send is over; `pause` holds every send after a 429 until the platform's retry_after has
 * passed.
 *
 * A slot counts from when its send *finished*, and a send under way fills its slot: the platform counts a request
 * when it arrives, somewhere between our start and its answer, so windows counted from the answers can never hold
 * more at the platform than the limit, however late requests travel (a busy event loop, a queue of sockets).
 * Counted from the starts, requests held up and then sent together arrive bunched and get 429s.
 */
export class RateLimiter {
  private readonly sent = new Map<string, Slot[]>();
  private pausedUntil = 0;

  constructor(
    private readonly policy: RatePolicy,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  async acquire(conversationId: string): Promise<void> {
    for (;;) {
      const wait = this.reserve(conversationId);
      if (wait <= 0) return;
      await this.sleep(wait);
    }
  }

  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /** Books a send now and returns 0, or returns how long to wait before asking again. */
  tryAcquire(conversationId: string): number {
    return this.reserve(conversationId);
  }

  /** The send booked for the conversation first is over (sent, refused or failed): its window starts now. */
  finished(conversationId: string): void {
    const t = this.now();
    for (const key of ['*', conversationId]) {
      const slot = this.sent.get(key)?.find((s) => s.at === undefined);
      if (slot) slot.at = t;
    }
  }

  /** How long until the conversation's own window has room (0: now); books nothing. */
  ownWait(conversationId: string): number {
    const own = this.policy.perConversation(conversationId);
    const slots = own && this.sent.get(conversationId);
    if (!own || !slots) return 0;
    const t = this.now();
    return waitIn(live(slots, own, t), own, t);
  }

  private reserve(conversationId: string): number {
    const t = this.now();
    if (t < this.pausedUntil) return this.pausedUntil - t;
    const windows: [string, Window][] = [];
    if (this.policy.global) windows.push(['*', this.policy.global]);
    const own = this.policy.perConversation(conversationId);
    if (own) windows.push([conversationId, own]);
    let wait = 0;
    for (const [key, w] of windows) {
      const slots = live(this.sent.get(key) ?? [], w, t);
      this.sent.set(key, slots);
      wait = Math.max(wait, waitIn(slots, w, t));
    }
    if (wait > 0) return wait;
    for (const [key] of windows) this.sent.get(key)!.push({ booked: t, at: undefined });
    if (this.sent.size > 10_000) this.forgetIdle(t);
    return 0;
  }

  private forgetIdle(t: number): void {
    for (const [key, slots] of this.sent) {
      const last = slots.at(-1);
      if (!last || (last.at !== undefined && t - last.at > 60_000)) this.sent.delete(key);
    }
  }
}

/** The slots still inside the window: under way (not stuck), or finished less than `perMs` ago. */
function live(slots: Slot[], w: Window, t: number): Slot[] {
  return slots.filter((s) => (s.at === undefined ? t - s.booked < STUCK_MS : t - s.at < w.perMs));
}

/** 0 if the window has room; else until the slot whose end makes room leaves it (or a short poll). */
function waitIn(slots: Slot[], w: Window, t: number): number {
  if (slots.length < w.count) return 0;
  const ends = slots.filter((s) => s.at !== undefined).map((s) => s.at! + w.perMs);
  ends.sort((a, b) => a - b);
  // Of the full window, this many must leave; sends under way leave only once finished, so poll for those.
  const leaving = slots.length - w.count;
  return leaving < ends.length ? Math.max(1, ends[leaving]! - t) : 5;
}
