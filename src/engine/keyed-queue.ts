/** Runs tasks one after another per key, and concurrently across keys. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  /** Tasks of each key running or waiting; a key is gone by the time its last task's caller resumes. */
  private readonly active = new Map<string, number>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    this.active.set(key, (this.active.get(key) ?? 0) + 1);
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task).finally(() => {
      const left = this.active.get(key)! - 1;
      if (left) this.active.set(key, left);
      else this.active.delete(key);
    });
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Whether a task of `key` is running or waiting. */
  has(key: string): boolean {
    return this.active.has(key);
  }

  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }
}
