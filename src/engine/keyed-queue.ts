/** Runs tasks one after another per key, and concurrently across keys. */
export class KeyedQueue {
  /** Per key: the last task's settling, and how many of its tasks run or wait (gone with the last). */
  private readonly keys = new Map<string, { tail: Promise<unknown>; tasks: number }>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const entry = this.keys.get(key) ?? { tail: Promise.resolve(), tasks: 0 };
    // Forgotten before the caller of its last task resumes, so `has` is exact for that caller.
    const result = entry.tail.then(task, task).finally(() => {
      if (--entry.tasks === 0) this.keys.delete(key);
    });
    entry.tail = result.catch(() => undefined);
    entry.tasks++;
    this.keys.set(key, entry);
    return result;
  }

  /** Whether a task of `key` is running or waiting. */
  has(key: string): boolean {
    return this.keys.has(key);
  }

  async idle(): Promise<void> {
    while (this.keys.size) await Promise.all([...this.keys.values()].map((e) => e.tail));
  }
}
