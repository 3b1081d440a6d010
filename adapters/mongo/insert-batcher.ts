import type { mongo } from 'mongoose';
import { StorageUnavailableError } from '../../src/core/errors.ts';
import { guard, isDuplicateKey } from './connection.ts';

/** One caller's own failure inside a batch that otherwise went through. */
class Failed {
  constructor(readonly error: unknown) {}
}

/**
 * Calls that arrive together (in the same turn of the event loop, or within `delayMs`) are handed to `run` as
 * one batch of at most `maxBatch`; each caller gets her own result or error.
 */
abstract class Batcher<In, Out> {
  private queue: { item: In; resolve: (out: Out) => void; reject: (err: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly maxBatch = 500,
    private readonly delayMs = 0,
  ) {}

  protected add(item: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.flushing) return;
      if (!this.delayMs || this.queue.length >= this.maxBatch) {
        clearTimeout(this.timer);
        this.timer = undefined;
        // Callers of the same moment (one fetched batch) join before the first flush.
        this.flushing = new Promise((r) => setImmediate(r)).then(() => this.flush());
      } else if (!this.timer) {
        // Not holding the process open: a pending batch is written by `drain` at shutdown.
        this.timer = setTimeout(() => void this.drain(), this.delayMs).unref();
      }
    });
  }

  /** Writes what is waiting now and waits for it (at shutdown). */
  async drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    // Begun on the next tick, so that `flushing` is set before a flush of nothing clears it.
    this.flushing ??= Promise.resolve().then(() => this.flush());
    await this.flushing;
  }

  /** One command for the batch: a result per item, in order, or an error per item (or for all). */
  protected abstract run(items: In[]): Promise<(Out | Failed)[]>;

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.run(batch.map((b) => b.item));
        batch.forEach((b, i) => {
          const r = results[i] as Out | Failed;
          if (r instanceof Failed) b.reject(r.error);
          else b.resolve(r);
        });
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.flushing = undefined;
  }
}

/**
 * Inserts that arrive together are sent as one `insertMany` (unordered): a batch of a hundred
 * updates from Telegram is stored in one round trip and one commit instead of a hundred, which is
 * what holds up everyone behind a storm. Each caller still learns whether her document was new
 * (true) or already stored (false: a duplicate `_id`), and a failure reaches only the callers it hit.
 */
export class InsertBatcher<T extends mongo.Document & { _id: string }> extends Batcher<T, boolean> {
  constructor(
    private readonly collection: () => mongo.Collection<T>,
    maxBatch = 500,
  ) {
    super(maxBatch);
  }

  insert(doc: T): Promise<boolean> {
    return this.add(doc);
  }

  protected async run(docs: T[]): Promise<(boolean | Failed)[]> {
    try {
      await guard(() =>
        this.collection().insertMany(
          docs.map((d) => d as mongo.OptionalUnlessRequiredId<T>),
          { ordered: false },
        ),
      );
      return docs.map(() => true);
    } catch (err) {
      const failed = writeErrorsOf(err);
      if (!failed.size) {
        // The command itself failed (a bulk error without per-document errors is a lost connection):
        // nobody's document is known to be stored, so nobody is told it was.
        const unavailable = err instanceof StorageUnavailableError || (err as Error)?.name === 'MongoBulkWriteError';
        throw unavailable && !(err instanceof StorageUnavailableError)
          ? new StorageUnavailableError({ cause: err })
          : err;
      }
      // An unordered insert went on past the refused documents: the others were stored.
      return docs.map((_, i) => {
        const e = failed.get(i);
        if (!e) return true;
        if (isDuplicateKey(e)) return false;
        return new Failed(Object.assign(new Error(e.errmsg ?? 'insert failed'), { code: e.code }));
      });
    }
  }
}

/** The per-document errors of an unordered insert, by index (none when the whole command failed). */
function writeErrorsOf(err: unknown): Map<number, { code?: number; errmsg?: string }> {
  const raw = (err as Partial<mongo.MongoBulkWriteError> | null)?.writeErrors;
  const list = (raw ? (Array.isArray(raw) ? raw : [raw]) : []) as { index: number; code?: number; errmsg?: string }[];
  return new Map(list.map((e) => [e.index, e]));
}

/**
 * Deletes by `_id` that arrive together go as one `deleteMany` (FerretDB finds them by its `_id` index):
 * the handled marks of events that finish at the same moment take one commit.
 */
export class DeleteBatcher<T extends mongo.Document & { _id: string }> extends Batcher<string, undefined> {
  /** `delayMs`: deletes nobody waits for gather that long first, into fewer commands. */
  constructor(
    private readonly collection: () => mongo.Collection<T>,
    options: { maxBatch?: number; delayMs?: number } = {},
  ) {
    super(options.maxBatch ?? 500, options.delayMs ?? 0);
  }

  async delete(id: string): Promise<void> {
    await this.add(id);
  }

  protected async run(ids: string[]): Promise<undefined[]> {
    await guard(() => this.collection().deleteMany({ _id: { $in: ids } } as mongo.Filter<T>));
    return ids.map(() => undefined);
  }
}

/**
 * Finds by `_id` that arrive together go as one `find({_id: {$in}})` (FerretDB reads them through its `_id`
 * index): the lookups of events handled at the same moment cost one round trip, as a data loader does.
 */
export class FindBatcher<T extends mongo.Document> extends Batcher<unknown, mongo.WithId<T> | null> {
  constructor(
    private readonly collection: () => mongo.Collection<T>,
    maxBatch = 500,
  ) {
    super(maxBatch);
  }

  find(id: unknown): Promise<mongo.WithId<T> | null> {
    return this.add(id);
  }

  protected async run(ids: unknown[]): Promise<(mongo.WithId<T> | null)[]> {
    const distinct = [...new Map(ids.map((id) => [String(id), id])).values()];
    const docs = await guard(() =>
      this.collection()
        .find({ _id: { $in: distinct } } as mongo.Filter<T>)
        .toArray(),
    );
    const byId = new Map(docs.map((d) => [String(d._id), d]));
    return ids.map((id) => byId.get(String(id)) ?? null);
  }
}

/**
 * Finds of all the documents of a key (an `_id` pattern each: the key, or it followed by a suffix) that arrive
 * together go as one `find({_id: {$in: [patterns]}})`. Anchored patterns read ranges of the `_id` index, on
 * MongoDB and on the patched FerretDB alike, so the loads of events handled at the same moment cost one round
 * trip. `keyOf` names the key a returned document belongs to.
 */
export class PatternFindBatcher<T extends mongo.Document> extends Batcher<string, mongo.WithId<T>[]> {
  constructor(
    private readonly collection: () => mongo.Collection<T>,
    private readonly options: { pattern: (key: string) => RegExp; keyOf: (doc: mongo.WithId<T>) => string },
    maxBatch = 200,
  ) {
    super(maxBatch);
  }

  find(key: string): Promise<mongo.WithId<T>[]> {
    return this.add(key);
  }

  protected async run(keys: string[]): Promise<mongo.WithId<T>[][]> {
    const distinct = [...new Set(keys)];
    const patterns = distinct.map((k) => this.options.pattern(k));
    const docs = await guard(() =>
      this.collection()
        .find({ _id: { $in: patterns } } as mongo.Filter<T>)
        .toArray(),
    );
    const byKey = new Map<string, mongo.WithId<T>[]>();
    for (const d of docs) {
      const key = this.options.keyOf(d);
      const found = byKey.get(key);
      if (found) found.push(d);
      else byKey.set(key, [d]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  }
}
