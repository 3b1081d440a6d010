/**
 * How fast someone is writing, read from the platform's own times of her messages (not from when
 * the bot happened to fetch them: a backlog fetched at once would make anyone look like a flood).
 *
 * `rank` is 1 for a message with none of her others in the `windowMs` before it, 2 with one ... A
 * person asking one thing at a time stays at 1; the tenth message of ten sent in one second is 10.
 */
export class SendingRate {
  private readonly recent = new Map<string, number[]>();

  constructor(
    private readonly windowMs = 1_500,
    /** Senders remembered; the least recently seen are forgotten first. */
    private readonly maxSenders = 10_000,
    /** Times kept per sender: a rank above this says enough. */
    private readonly maxPerSender = 64,
  ) {}

  rank(sender: string, at: number): number {
    const times = this.recent.get(sender) ?? [];
    const kept = times.filter((t) => t > at - this.windowMs * 4);
    const rank = 1 + kept.filter((t) => t <= at && t > at - this.windowMs).length;
    kept.push(at);
    if (kept.length > this.maxPerSender) kept.shift();
    // Re-inserted, so the map's order is least recently seen first.
    this.recent.delete(sender);
    this.recent.set(sender, kept);
    if (this.recent.size > this.maxSenders) this.recent.delete(this.recent.keys().next().value!);
    return rank;
  }
}
