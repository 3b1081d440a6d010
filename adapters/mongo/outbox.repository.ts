import type { mongo } from 'mongoose';
import type { ActionRepository, OutboxRepository } from '../../src/core/ports.ts';
import type { OutboxMessage, PendingAction, StoredOutboxMessage } from '../../src/core/programme.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { HourCursor, hourOf } from './hour-cursor.ts';
import { newId, withId } from './ids.ts';
import type { Models } from './models.ts';

/** The UTC hour a message falls due, which names its collection. */
export const bucketOf = hourOf;
const bucketOfId = (id: string): string => id.slice(0, 10);
const grouped = <T>(items: readonly T[], idOf: (x: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const x of items) groups.set(bucketOfId(idOf(x)), [...(groups.get(bucketOfId(idOf(x))) ?? []), x]);
  return groups;
};

/**
 * The outbox, partitioned by the hour messages fall due: `outbox_<hour>` holds the messages,
 * `claims_<hour>` their delivery claims. FerretDB scans a whole collection for any query, so one big
 * collection would make every sweep as slow as everything scheduled; here a sweep reads only the
 * hours from a cursor (the oldest hour that may hold pending messages) up to now, so its cost
 * follows the due work. A message's id starts with its hour, so it is found without a search.
 * (see HourCursor).
 */
export class MongoOutboxRepository implements OutboxRepository {
  constructor(private readonly m: Models) {
    this.cursor = new HourCursor(m.OutboxKey.db.db!, 'outbox', (hour) => this.hasPending(hour));
  }

  private messages(bucket: string): mongo.Collection<mongo.Document> {
    return this.m.OutboxKey.db.collection(`outbox_${bucket}`);
  }
  private claims(bucket: string): mongo.Collection<mongo.Document> {
    return this.m.OutboxKey.db.collection(`claims_${bucket}`);
  }

  enqueue(message: OutboxMessage, now: Date): Promise<boolean> {
    return guard(async () => {
      // Nothing goes into an hour already past: sweeps may have closed it.
      const bucket = bucketOf(message.due > now ? message.due : now);
      const id = `${bucket}-${newId()}`;
      try {
        await this.m.OutboxKey.collection.insertOne({ _id: message.key as never, messageId: id, recipientId: message.recipientId });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return this.repair(message, now);
      }
      await this.insertMessage(bucket, id, message, now);
      return true;
    });
  }

  private async insertMessage(bucket: string, id: string, message: OutboxMessage, now: Date): Promise<void> {
    const doc = { ...message, _id: id as never, state: 'pending', attempts: 0, nextAttemptAt: message.due, createdAt: now };
    try {
      await this.messages(bucket).insertOne(doc);
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    await this.noteHour(bucket);
  }

  /**
   * The key was taken: normally by the same message, stored before. If the process died between
   * the key and the message, the message is written now, under the id the key names.
   */
  private async repair(message: OutboxMessage, now: Date): Promise<boolean> {
    const key = await this.m.OutboxKey.collection.findOne({ _id: message.key as never });
    const id = typeof key?.messageId === 'string' ? key.messageId : undefined;
    const bucket = id && bucketOfId(id);
    if (!id || !bucket || (await this.messages(bucket).findOne({ _id: id as never }))) return false;
    await this.insertMessage(bucket, id, message, now);
    return false;
  }

  /** Many messages at once (announcements, imports); duplicates by key are skipped. Returns how many were new. */
  enqueueMany(messages: readonly OutboxMessage[], now: Date): Promise<string[]> {
    return guard(async () => {
      const withIds = messages.map((message) => {
        const bucket = bucketOf(message.due > now ? message.due : now);
        return { message, bucket, id: `${bucket}-${newId()}` };
      });
      const duplicate = new Set<number>();
      for (let i = 0; i < withIds.length; i += 5000) {
        const chunk = withIds.slice(i, i + 5000);
        try {
          await this.m.OutboxKey.collection.insertMany(chunk.map((x) => ({ _id: x.message.key as never, messageId: x.id, recipientId: x.message.recipientId })), { ordered: false });
        } catch (err) {
          const errors = (err as { writeErrors?: { index: number; code: number }[] }).writeErrors;
          if (!errors || errors.some((e) => e.code !== 11000)) throw err;
          for (const e of errors) duplicate.add(i + e.index);
        }
      }
      const fresh = withIds.filter((_, i) => !duplicate.has(i));
      for (const [bucket, group] of grouped(fresh, (x) => x.id)) {
        for (let i = 0; i < group.length; i += 5000) {
          await this.messages(bucket).insertMany(
            group.slice(i, i + 5000).map(({ message, id }) => ({ ...message, _id: id as never, state: 'pending', attempts: 0, nextAttemptAt: message.due, createdAt: now })),
          );
        }
        await this.noteHour(bucket);
      }
      return fresh.map((x) => x.id);
    });
  }

  states(ids: readonly string[]): Promise<{ id: string; recipientId: string; state: StoredOutboxMessage['state']; lastError?: string }[]> {
    return guard(async () => {
      const found: { id: string; recipientId: string; state: StoredOutboxMessage['state']; lastError?: string }[] = [];
      for (const [bucket, group] of grouped(ids.map((id) => ({ id })), (x) => x.id)) {
        const docs = await this.messages(bucket).find({ _id: { $in: group.map((x) => x.id) as never[] } }, { projection: { state: 1, lastError: 1, recipientId: 1 } }).toArray();
        found.push(...docs.map((d) => ({ id: String(d._id), recipientId: String(d.recipientId), state: d.state as StoredOutboxMessage['state'], ...(d.lastError ? { lastError: String(d.lastError) } : {}) })));
      }
      return found;
    });
  }

  private readonly cursor: HourCursor;

  /** After a message is stored in `bucket`: makes sure sweeps will read that hour. */
  private noteHour(bucket: string): Promise<void> {
    return this.cursor.noted(bucket);
  }

  private async hasPending(bucket: string): Promise<boolean> {
    return (await this.messages(bucket).countDocuments({ state: 'pending' }, { limit: 1 })) > 0;
  }

  due(now: Date, limit: number): Promise<StoredOutboxMessage[]> {
    return guard(async () => {
      const found: StoredOutboxMessage[] = [];
      await this.cursor.sweep(now, async (hour) => {
        // Messages claimed by a sweep still at work (lease not over) are left to it.
        const held = (await this.claims(hour).find({ leaseUntil: { $gt: now } }, { projection: { messageId: 1 } }).toArray()).map((c) => c.messageId as string);
        const docs = await this.messages(hour)
          .find({ state: 'pending', nextAttemptAt: { $lte: now }, ...(held.length ? { _id: { $nin: held as never[] } } : {}) })
          .sort({ nextAttemptAt: 1 })
          .limit(limit)
          .toArray();
        found.push(...docs.map((d) => withId<StoredOutboxMessage>(d)!));
        return { found: docs.length, enough: found.length >= limit };
      });
      return found.sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime()).slice(0, limit);
    });
  }

  get(id: string): Promise<StoredOutboxMessage | null> {
    return guard(async () => withId<StoredOutboxMessage>(await this.messages(bucketOfId(id)).findOne({ _id: id as never })));
  }

  claim(id: string, attempt: number, claimedBy: string, leaseUntil: Date): Promise<boolean> {
    return guard(async () => (await this.claimMany([{ id, attempt }], claimedBy, leaseUntil)).has(id));
  }

  claimMany(attempts: readonly { id: string; attempt: number }[], claimedBy: string, leaseUntil: Date): Promise<Set<string>> {
    return guard(async () => {
      const won = new Set<string>();
      for (const [bucket, group] of grouped(attempts, (a) => a.id)) {
        const lost = new Set<number>();
        try {
          await this.claims(bucket).insertMany(group.map((a) => ({ _id: `${a.id}:${a.attempt}` as never, messageId: a.id, claimedBy, leaseUntil })), { ordered: false });
        } catch (err) {
          const errors = (err as { writeErrors?: { index: number; code: number }[] }).writeErrors;
          if (!errors || errors.some((e) => e.code !== 11000)) throw err;
          for (const e of errors) lost.add(e.index);
        }
        group.forEach((a, i) => !lost.has(i) && won.add(a.id));
      }
      return won;
    });
  }

  leases(attempts: readonly { id: string; attempt: number }[]): Promise<Map<string, Date>> {
    return guard(async () => {
      const out = new Map<string, Date>();
      for (const [bucket, group] of grouped(attempts, (a) => a.id)) {
        const docs = await this.claims(bucket).find({ _id: { $in: group.map((a) => `${a.id}:${a.attempt}`) as never[] } }).toArray();
        for (const d of docs) out.set(String(d._id), d.leaseUntil as Date);
      }
      return out;
    });
  }

  markSent(id: string, at: Date): Promise<void> {
    return this.markSentMany([id], at);
  }

  markSentMany(ids: readonly string[], at: Date): Promise<void> {
    return this.updateEach(ids, {}, { state: 'sent', sentAt: at });
  }

  retryLater(id: string, attempts: number, nextAttemptAt: Date, error: string): Promise<void> {
    return guard(async () => {
      await this.updateEach([id], {}, { attempts, nextAttemptAt, lastError: error });
      await this.claims(bucketOfId(id)).updateOne({ _id: `${id}:${attempts - 1}` as never }, { $set: { leaseUntil: new Date(0) } });
    });
  }

  markFailed(id: string, attempts: number, error: string): Promise<void> {
    return this.updateEach([id], {}, { state: 'failed', attempts, lastError: error });
  }

  private updateEach(ids: readonly string[], filter: mongo.Document, set: mongo.Document): Promise<void> {
    return guard(async () => {
      for (const [bucket, group] of grouped(ids, (x) => x)) {
        await this.messages(bucket).updateMany({ _id: { $in: group as never[] }, ...filter }, { $set: set });
      }
    });
  }

  /** Rare (a meeting cancelled): searches the keys, then cancels in each message's hour. */
  cancelByKeyPrefix(prefix: string): Promise<number> {
    return guard(async () => {
      const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const keys = await this.m.OutboxKey.find({ _id: { $regex: `^${escaped}` } }).lean();
      return this.cancel(keys.map((k) => k.messageId));
    });
  }

  cancelForRecipient(recipientId: string, category?: OutboxMessage['category']): Promise<number> {
    return guard(async () => this.cancel((await this.m.OutboxKey.find({ recipientId }).lean()).map((k) => k.messageId), category ? { category } : {}));
  }

  private async cancel(ids: string[], filter: Record<string, string> = {}): Promise<number> {
    let n = 0;
    for (const [bucket, group] of grouped(ids, (x) => x)) {
      n += (await this.messages(bucket).updateMany({ _id: { $in: group as never[] }, state: 'pending', ...filter }, { $set: { state: 'cancelled' } })).modifiedCount;
    }
    return n;
  }

  /** Messages whose key starts with the prefix, wherever they are (reports and tests). */
  findByKeyPrefix(prefix: string): Promise<StoredOutboxMessage[]> {
    return guard(async () => {
      const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const keys = await this.m.OutboxKey.find({ _id: { $regex: `^${escaped}` } }).lean();
      const out: StoredOutboxMessage[] = [];
      for (const [bucket, group] of grouped(keys.map((k) => k.messageId), (x) => x)) {
        out.push(...(await this.messages(bucket).find({ _id: { $in: group as never[] } }).toArray()).map((d) => withId<StoredOutboxMessage>(d)!));
      }
      return out;
    });
  }

  /** How many claims an instance made (tests of the delivery guarantee). */
  claimsBy(claimedBy: string): Promise<number> {
    return guard(async () => {
      let n = 0;
      for (const hour of await this.hours('claims_')) n += await this.claims(hour).countDocuments({ claimedBy });
      return n;
    });
  }

  private async hours(prefix: string): Promise<string[]> {
    const names = await this.m.OutboxKey.db.listCollections();
    const pattern = new RegExp(`^${prefix}\\d{10}$`);
    return names.map((c) => c.name).filter((n: string) => pattern.test(n)).map((n: string) => n.slice(prefix.length));
  }

  countByState(): Promise<Record<string, number>> {
    return guard(async () => {
      const counts: Record<string, number> = {};
      for (const hour of await this.hours('outbox_')) {
        const rows = await this.messages(hour).aggregate<{ _id: string; n: number }>([{ $group: { _id: '$state', n: { $sum: 1 } } }]).toArray();
        for (const r of rows) counts[r._id] = (counts[r._id] ?? 0) + r.n;
      }
      return counts;
    });
  }
}

export class MongoActionRepository implements ActionRepository {
  constructor(private readonly m: Models) {}

  /** The same action made again (its event handled a second time) is the one already stored. */
  create(action: PendingAction): Promise<void> {
    return guard(async () => {
      const { id, ...rest } = action;
      try {
        await this.m.Action.collection.insertOne({ ...rest, _id: id as never });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    });
  }

  get(id: string): Promise<PendingAction | null> {
    return guard(async () => withId<PendingAction>(await this.m.Action.findById(id).lean()));
  }

  use(id: string, at: Date, eventId?: string): Promise<boolean> {
    return guard(async () => {
      try {
        await this.m.ActionUse.collection.insertOne({ _id: id as never, at, ...(eventId ? { eventId } : {}) });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // The same event handled again: the use is its own.
        const used = eventId ? await this.m.ActionUse.collection.findOne({ _id: id as never }) : null;
        return used?.eventId === eventId && eventId !== undefined;
      }
    });
  }
}
