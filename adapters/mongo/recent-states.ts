/**
 * Values this process wrote or read lately, by key, for `maxAgeMs` from when they were (see
 * MongoConversationRepository); beyond `max` the oldest are forgotten first.
 */
export class RecentStates<T> {
  /** In the order they were set: the oldest first. */
  private readonly entries = new Map<string, { value: T; at: number }>();

  constructor(private readonly opts: { maxAgeMs: number; max: number; now: () => number }) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // A clock set back (the console's /clock) makes every value stale: its age is no longer known.
    const age = this.opts.now() - entry.at;
    if (age >= 0 && age < this.opts.maxAgeMs) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  /** `at`: when the value was known to be the stored one (before the write or read that showed it). */
  set(key: string, value: T, at: number): void {
    if (this.opts.maxAgeMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { value, at });
    const now = this.opts.now();
    for (const [oldest, e] of this.entries) {
      if (this.entries.size <= this.opts.max && now - e.at < this.opts.maxAgeMs) break;
      this.entries.delete(oldest);
    }
  }

  drop(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
