import type { RatePolicy, Window } from '../../core/ports.ts';

export const UNLIMITED: RatePolicy = { perConversation: () => undefined };

/**
 * Sliding-window limiter, one per process and platform. `acquire` waits until a send is allowed
 * and books it; `pause` holds every send after a 429 until the platform's retry_after has passed.
 */
export class RateLimiter {
  private readonly sent = new Map<string, number[]>();
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

  /** How long until the conversation's own window has room (0: now); books nothing. */
  ownWait(conversationId: string): number {
    const own = this.policy.perConversation(conversationId);
    const times = own && this.sent.get(conversationId);
    if (!own || !times) return 0;
    const t = this.now();
    const live = times.filter((s) => t - s < own.perMs);
    return live.length >= own.count ? live[0]! + own.perMs - t : 0;
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
      const times = (this.sent.get(key) ?? []).filter((s) => t - s < w.perMs);
      this.sent.set(key, times);
      if (times.length >= w.count) wait = Math.max(wait, times[0]! + w.perMs - t);
    }
    if (wait > 0) return wait;
    for (const [key] of windows) this.sent.get(key)!.push(t);
    if (this.sent.size > 10_000) this.forgetIdle(t);
    return 0;
  }

  private forgetIdle(t: number): void {
    for (const [key, times] of this.sent) if (!times.length || t - times.at(-1)! > 60_000) this.sent.delete(key);
  }
}
