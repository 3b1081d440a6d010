import type { mongo } from 'mongoose';
import { StorageUnavailableError } from '../../src/core/errors.ts';
import { guard, isDuplicateKey } from './connection.ts';

/**
 * Inserts that arrive together are sent as one `insertMany` (unordered): a batch of a hundred
 * updates from Telegram is stored in one round trip and one commit instead of a hundred, which is
 * what holds up everyone behind a storm. Each caller still learns whether her document was new
 * (true) or already stored (false: a duplicate `_id`), and a failure reaches only the callers it hit.
 */
export class InsertBatcher<T extends mongo.Document & { _id: string }> {
  private queue: { doc: T; resolve: (inserted: boolean) => void; reject: (err: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    private readonly collection: () => mongo.Collection<T>,
    private readonly maxBatch = 500,
  ) {}

  insert(doc: T): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ doc, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Callers of the same moment (one fetched batch) join before the first flush.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await guard(() =>
          this.collection().insertMany(
            batch.map((b) => b.doc as mongo.OptionalUnlessRequiredId<T>),
            { ordered: false },
          ),
        );
        for (const b of batch) b.resolve(true);
      } catch (err) {
        const failed = writeErrorsOf(err);
        if (!failed.size) {
          // The command itself failed (a bulk error without per-document errors is a lost connection):
          // nobody's document is known to be stored, so nobody is told it was.
          const unavailable = err instanceof StorageUnavailableError || (err as Error)?.name === 'MongoBulkWriteError';
          for (const b of batch)
            b.reject(
              unavailable && !(err instanceof StorageUnavailableError)
                ? new StorageUnavailableError({ cause: err })
                : err,
            );
          continue;
        }
        // An unordered insert went on past the refused documents: the others were stored.
        batch.forEach((b, i) => {
          const e = failed.get(i);
          if (!e) b.resolve(true);
          else if (isDuplicateKey(e)) b.resolve(false);
          else b.reject(Object.assign(new Error(e.errmsg ?? 'insert failed'), { code: e.code }));
        });
      }
    }
    this.flushing = false;
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
export class DeleteBatcher<T extends mongo.Document & { _id: string }> {
  private queue: { id: string; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    private readonly collection: () => mongo.Collection<T>,
    private readonly maxBatch = 500,
  ) {}

  delete(id: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const ids = batch.map((b) => b.id);
        await guard(() => this.collection().deleteMany({ _id: { $in: ids } } as mongo.Filter<T>));
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.flushing = false;
  }
}

/**
 * Finds by `_id` that arrive together go as one `find({_id: {$in}})` (FerretDB reads them through its `_id`
 * index): the lookups of events handled at the same moment cost one round trip, as a data loader does.
 */
export class FindBatcher<T extends mongo.Document> {
  private queue: { id: unknown; resolve: (doc: mongo.WithId<T> | null) => void; reject: (err: unknown) => void }[] = [];
  private flushing = false;

  constructor(
    private readonly collection: () => mongo.Collection<T>,
    private readonly maxBatch = 500,
  ) {}

  find(id: unknown): Promise<mongo.WithId<T> | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ id, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const ids = [...new Map(batch.map((b) => [String(b.id), b.id])).values()];
        const docs = await guard(() =>
          this.collection()
            .find({ _id: { $in: ids } } as mongo.Filter<T>)
            .toArray(),
        );
        const byId = new Map(docs.map((d) => [String(d._id), d]));
        for (const b of batch) b.resolve(byId.get(String(b.id)) ?? null);
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.flushing = false;
  }
}
