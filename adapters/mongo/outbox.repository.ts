import type { mongo } from 'mongoose';
import { z } from 'zod';
import type { ActionRepository, OutboxRepository } from '../../src/core/ports.ts';
import { type OutboxMessage, PendingAction, StoredOutboxMessage } from '../../src/core/programme.ts';
import { escapeRegExp } from '../../src/core/text.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { fromDocument, fromDocuments, type Stored } from './documents.ts';
import { HourCursor, hourOf, ignoreDuplicate } from './hour-cursor.ts';
import { newId } from './ids.ts';
import type { Models } from './models.ts';

/** `outbox_<hour>`: the messages falling due in that hour. */
type MessageFields = Stored<StoredOutboxMessage> & { createdAt: Date };
/** `outbox_keys`: `_id` = the message's key, pointing at the message. */
const KeyDocument = z.object({ id: z.string(), messageId: z.string(), recipientId: z.string() });
type KeyFields = Stored<z.infer<typeof KeyDocument>>;
/** `claims_<hour>`: `_id` = `<message id>:<attempt>`; inserting one wins that attempt. */
const ClaimDocument = z.object({ id: z.string(), messageId: z.string(), claimedBy: z.string(), leaseUntil: z.date() });
type ClaimFields = Stored<z.infer<typeof ClaimDocument>>;
/**
 * `due_<hour>`: `_id` = the id of a message of that hour still pending, with its next attempt. Only these
 * are read by a sweep, so its cost follows the pending work, not everything the hour ever held.
 */
const DueMark = z.object({
  id: z.string(),
  nextAttemptAt: z.date(),
  createdAt: z.date(),
  /** Claimed until then by a sweep at work: others pass it over, so they find the next ones due. */
  heldUntil: z.date().optional(),
});
type DueFields = Stored<z.infer<typeof DueMark>>;
/** A mark whose message is missing this long after it was made was left by a writer that died. */
const ORPHAN_MS = 10 * 60_000;
const MessageState = StoredOutboxMessage.pick({ id: true, recipientId: true, state: true, lastError: true });

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

  private messages(bucket: string): mongo.Collection<MessageFields> {
    return this.m.OutboxKey.db.collection<MessageFields>(`outbox_${bucket}`);
  }
  private marks(bucket: string): mongo.Collection<DueFields> {
    return this.m.OutboxKey.db.collection<DueFields>(`due_${bucket}`);
  }
  private claims(bucket: string): mongo.Collection<ClaimFields> {
    return this.m.OutboxKey.db.collection<ClaimFields>(`claims_${bucket}`);
  }
  /** `outbox_recipients`: `_id` = `<recipient id>:<message id>`, found by that prefix through the `_id` index. */
  private get recipients(): mongo.Collection<{ _id: string }> {
    return this.m.OutboxKey.db.collection<{ _id: string }>('outbox_recipients');
  }
  private get keys(): mongo.Collection<KeyFields> {
    return this.m.OutboxKey.db.collection<KeyFields>(this.m.OutboxKey.collection.collectionName);
  }
  private parseMessages(bucket: string, docs: readonly { _id: unknown }[]): StoredOutboxMessage[] {
    return fromDocuments(StoredOutboxMessage, `outbox_${bucket}`, docs);
  }

  enqueue(message: OutboxMessage, now: Date): Promise<boolean> {
    return guard(async () => {
      // Nothing goes into an hour already past: sweeps may have closed it.
      const bucket = bucketOf(message.due > now ? message.due : now);
      const id = `${bucket}-${newId()}`;
      try {
        await this.keys.insertOne({ _id: message.key, messageId: id, recipientId: message.recipientId });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return this.repair(message, now);
      }
      await this.insertMessage(bucket, id, message, now);
      return true;
    });
  }

  /**
   * Its recipient's entry and its due mark first: a crash before the message leaves entries that sweeps and
   * cancels pass over, never a message that is never due or cannot be cancelled.
   */
  private async insertMessage(bucket: string, id: string, message: OutboxMessage, now: Date): Promise<void> {
    await ignoreDuplicate(this.recipients.insertOne({ _id: `${message.recipientId}:${id}` }));
    await ignoreDuplicate(this.marks(bucket).insertOne(markOf(id, message, now)));
    await ignoreDuplicate(this.messages(bucket).insertOne(pending(message, id, now)));
    await this.noteHour(bucket);
  }

  /**
   * The key was taken: normally by the same message, stored before. If the process died between
   * the key and the message, the message is written now, under the id the key names.
   */
  private async repair(message: OutboxMessage, now: Date): Promise<boolean> {
    const found = await this.keys.findOne({ _id: message.key });
    const id = found ? fromDocument(KeyDocument, this.keys.collectionName, found).messageId : undefined;
    const bucket = id && bucketOfId(id);
    if (!id || !bucket || (await this.messages(bucket).findOne({ _id: id }))) return false;
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
          const keys = chunk.map((x) => ({ _id: x.message.key, messageId: x.id, recipientId: x.message.recipientId }));
          await this.keys.insertMany(keys, { ordered: false });
        } catch (err) {
          const errors = (err as { writeErrors?: { index: number; code: number }[] }).writeErrors;
          if (!errors || errors.some((e) => e.code !== 11000)) throw err;
          for (const e of errors) duplicate.add(i + e.index);
        }
      }
      const fresh = withIds.filter((_, i) => !duplicate.has(i));
      for (const [bucket, group] of grouped(fresh, (x) => x.id)) {
        for (let i = 0; i < group.length; i += 5000) {
          const chunk = group.slice(i, i + 5000);
          await this.recipients.insertMany(chunk.map(({ message, id }) => ({ _id: `${message.recipientId}:${id}` })));
          await this.marks(bucket).insertMany(chunk.map(({ message, id }) => markOf(id, message, now)));
          await this.messages(bucket).insertMany(chunk.map(({ message, id }) => pending(message, id, now)));
        }
        await this.noteHour(bucket);
      }
      return fresh.map((x) => x.id);
    });
  }

  states(
    ids: readonly string[],
  ): Promise<{ id: string; recipientId: string; state: StoredOutboxMessage['state']; lastError?: string }[]> {
    return guard(async () => {
      const found: { id: string; recipientId: string; state: StoredOutboxMessage['state']; lastError?: string }[] = [];
      for (const [bucket, group] of grouped(
        ids.map((id) => ({ id })),
        (x) => x.id,
      )) {
        const projection = { state: 1, lastError: 1, recipientId: 1 };
        const ids = group.map((x) => x.id);
        const docs = await this.messages(bucket)
          .find({ _id: { $in: ids } }, { projection })
          .toArray();
        for (const { lastError, ...state } of fromDocuments(MessageState, `outbox_${bucket}`, docs)) {
          found.push({ ...state, ...(lastError ? { lastError } : {}) });
        }
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
    return (await this.marks(bucket).countDocuments({}, { limit: 1 })) > 0;
  }

  /**
   * Once, from the layout before due marks: every pending message of every hour gets its mark, so an
   * upgrade leaves none unsent, and every message its recipient's entry, so that none escapes a cancel.
   */
  upgrade(now: Date): Promise<number> {
    return guard(async () => {
      const done = this.m.OutboxKey.db.collection<{ _id: string; at: Date }>('migrations');
      if (await done.findOne({ _id: 'outbox-due-marks' })) return 0;
      let marked = 0;
      for (const hour of await this.hours('outbox_')) {
        const docs = await this.messages(hour).find({ state: 'pending' }).toArray();
        for (const x of this.parseMessages(hour, docs)) {
          const mark = { _id: x.id, nextAttemptAt: x.nextAttemptAt, createdAt: now };
          await ignoreDuplicate(this.marks(hour).insertOne(mark));
          marked++;
        }
      }
      for (const key of fromDocuments(KeyDocument, this.keys.collectionName, await this.keys.find().toArray())) {
        await ignoreDuplicate(this.recipients.insertOne({ _id: `${key.recipientId}:${key.messageId}` }));
      }
      await ignoreDuplicate(done.insertOne({ _id: 'outbox-due-marks', at: now }));
      return marked;
    });
  }

  due(now: Date, limit: number): Promise<StoredOutboxMessage[]> {
    return guard(async () => {
      const found: StoredOutboxMessage[] = [];
      await this.cursor.sweep(now, async (hour) => {
        const due = await this.dueIn(hour, now, limit - found.length);
        found.push(...due);
        return { found: due.length, enough: found.length >= limit };
      });
      return found.sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime()).slice(0, limit);
    });
  }

  /**
   * Up to `limit` due messages of one hour, read by their marks and then by `_id`. Messages claimed by a
   * sweep still at work (lease not over) are left to it; marks of messages no longer pending are dropped.
   */
  private async dueIn(hour: string, now: Date, limit: number): Promise<StoredOutboxMessage[]> {
    const marks = this.marks(hour);
    const docs = await marks
      .find({ nextAttemptAt: { $lte: now }, heldUntil: { $not: { $gt: now } } })
      .limit(limit * 2)
      .toArray();
    const listed = spread(fromDocuments(DueMark, marks.collectionName, docs), limit);
    if (!listed.length) return [];
    const ids = listed.map((d) => d.id);
    const messages = this.parseMessages(
      hour,
      await this.messages(hour)
        .find({ _id: { $in: ids } })
        .toArray(),
    );
    const byId = new Map(messages.map((x) => [x.id, x]));
    const claims = this.claims(hour);
    const tries = messages.map((x) => `${x.id}:${x.attempts}`);
    const live = await claims.find({ _id: { $in: tries }, leaseUntil: { $gt: now } }).toArray();
    const held = new Set(fromDocuments(ClaimDocument, claims.collectionName, live).map((c) => c.messageId));
    const stale = listed.filter((d) => {
      const x = byId.get(d.id);
      return x ? x.state !== 'pending' : now.getTime() - d.createdAt.getTime() > ORPHAN_MS;
    });
    if (stale.length) await marks.deleteMany({ _id: { $in: stale.map((d) => d.id) } });
    // In the order they were marked (stored), so that of two due at the same moment the older goes first.
    return listed
      .flatMap((d) => byId.get(d.id) ?? [])
      .filter((x) => x.state === 'pending' && x.nextAttemptAt <= now && !held.has(x.id))
      .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime())
      .slice(0, limit);
  }

  nextDue(after: Date): Promise<Date | undefined> {
    return guard(async () => {
      // A message's next attempt is never before its hour, but a retry may wait past it: earlier hours are
      // read too, and the first hour from `after` on that holds one ends the search (later ones come after).
      let best: Date | undefined;
      for (const hour of (await this.hours('due_')).sort()) {
        const marks = this.marks(hour);
        const [doc] = await marks
          .find({ nextAttemptAt: { $gt: after } })
          .sort({ nextAttemptAt: 1 })
          .limit(1)
          .toArray();
        const at = doc && fromDocument(DueMark, marks.collectionName, doc).nextAttemptAt;
        if (at && (!best || at < best)) best = at;
        if (best && hour >= bucketOf(after)) break;
      }
      return best;
    });
  }

  get(id: string): Promise<StoredOutboxMessage | null> {
    return guard(async () => {
      const doc = await this.messages(bucketOfId(id)).findOne({ _id: id });
      return doc && fromDocument(StoredOutboxMessage, `outbox_${bucketOfId(id)}`, doc);
    });
  }

  claim(id: string, attempt: number, claimedBy: string, leaseUntil: Date): Promise<boolean> {
    return guard(async () => (await this.claimMany([{ id, attempt }], claimedBy, leaseUntil)).has(id));
  }

  claimMany(
    attempts: readonly { id: string; attempt: number }[],
    claimedBy: string,
    leaseUntil: Date,
  ): Promise<Set<string>> {
    return guard(async () => {
      const won = new Set<string>();
      for (const [bucket, group] of grouped(attempts, (a) => a.id)) {
        const lost = new Set<number>();
        try {
          const claims = group.map((a) => ({ _id: `${a.id}:${a.attempt}`, messageId: a.id, claimedBy, leaseUntil }));
          await this.claims(bucket).insertMany(claims, { ordered: false });
        } catch (err) {
          const errors = (err as { writeErrors?: { index: number; code: number }[] }).writeErrors;
          if (!errors || errors.some((e) => e.code !== 11000)) throw err;
          for (const e of errors) lost.add(e.index);
        }
        const mine = group.filter((_, i) => !lost.has(i)).map((a) => a.id);
        for (const id of mine) won.add(id);
        if (mine.length)
          await this.marks(bucket).updateMany({ _id: { $in: mine } }, { $set: { heldUntil: leaseUntil } });
      }
      return won;
    });
  }

  leases(attempts: readonly { id: string; attempt: number }[]): Promise<Map<string, Date>> {
    return guard(async () => {
      const out = new Map<string, Date>();
      for (const [bucket, group] of grouped(attempts, (a) => a.id)) {
        const claims = this.claims(bucket);
        const docs = await claims.find({ _id: { $in: group.map((a) => `${a.id}:${a.attempt}`) } }).toArray();
        for (const c of fromDocuments(ClaimDocument, claims.collectionName, docs)) out.set(c.id, c.leaseUntil);
      }
      return out;
    });
  }

  markSent(id: string, at: Date): Promise<void> {
    return this.markSentMany([id], at);
  }

  markSentMany(ids: readonly string[], at: Date): Promise<void> {
    return guard(async () => {
      await this.updateEach(ids, {}, { state: 'sent', sentAt: at });
      await this.unmark(ids);
    });
  }

  retryLater(id: string, attempts: number, nextAttemptAt: Date, error: string): Promise<void> {
    return guard(async () => {
      await this.updateEach([id], {}, { attempts, nextAttemptAt, lastError: error });
      await this.marks(bucketOfId(id)).updateOne({ _id: id }, { $set: { nextAttemptAt } });
      await this.release(id, attempts - 1);
    });
  }

  /** After messages left `pending`: sweeps no longer read them. */
  private async unmark(ids: readonly string[]): Promise<void> {
    for (const [bucket, group] of grouped(ids, (x) => x)) await this.marks(bucket).deleteMany({ _id: { $in: group } });
  }

  release(id: string, attempt: number): Promise<void> {
    return guard(async () => {
      await this.claims(bucketOfId(id)).updateOne({ _id: `${id}:${attempt}` }, { $set: { leaseUntil: new Date(0) } });
      await this.marks(bucketOfId(id)).updateOne({ _id: id }, { $set: { heldUntil: new Date(0) } });
    });
  }

  markFailed(id: string, attempts: number, error: string): Promise<void> {
    return guard(async () => {
      await this.updateEach([id], {}, { state: 'failed', attempts, lastError: error });
      await this.unmark([id]);
    });
  }

  private updateEach(
    ids: readonly string[],
    filter: mongo.Filter<MessageFields>,
    set: Partial<MessageFields>,
  ): Promise<void> {
    return guard(async () => {
      for (const [bucket, group] of grouped(ids, (x) => x)) {
        await this.messages(bucket).updateMany({ _id: { $in: group }, ...filter }, { $set: set });
      }
    });
  }

  /** Rare (a meeting cancelled): searches the keys, then cancels in each message's hour. */
  cancelByKeyPrefix(prefix: string): Promise<number> {
    return guard(async () => {
      return this.cancel(await this.messageIdsByKey({ _id: { $regex: `^${escapeRegExp(prefix)}` } }));
    });
  }

  cancelForRecipient(recipientId: string, category?: OutboxMessage['category']): Promise<number> {
    return guard(async () => this.cancel(await this.messageIdsOf(recipientId), category ? { category } : {}));
  }

  /** The ids of every message to her, by the `_id` prefix of her entries (an index range on FerretDB too). */
  private async messageIdsOf(recipientId: string): Promise<string[]> {
    const prefix = `${recipientId}:`;
    const entries = await this.recipients.find({ _id: { $regex: `^${escapeRegExp(prefix)}` } }).toArray();
    return entries.map((e) => e._id.slice(prefix.length));
  }

  private async messageIdsByKey(filter: mongo.Filter<KeyFields>): Promise<string[]> {
    const keys = await this.m.OutboxKey.find(filter).lean();
    return fromDocuments(KeyDocument, this.keys.collectionName, keys).map((k) => k.messageId);
  }

  private async cancel(ids: string[], filter: mongo.Filter<MessageFields> = {}): Promise<number> {
    let n = 0;
    for (const [bucket, group] of grouped(ids, (x) => x)) {
      const open = { _id: { $in: group }, state: 'pending' as const, ...filter };
      const { modifiedCount } = await this.messages(bucket).updateMany(open, { $set: { state: 'cancelled' } });
      n += modifiedCount;
      if (!modifiedCount) continue;
      const left = await this.messages(bucket)
        .find({ _id: { $in: group } }, { projection: { state: 1 } })
        .toArray();
      await this.unmark(left.filter((x) => x.state !== 'pending').map((x) => x._id));
    }
    return n;
  }

  /** Messages whose key starts with the prefix, wherever they are (reports and tests). */
  findByKeyPrefix(prefix: string): Promise<StoredOutboxMessage[]> {
    return guard(async () => {
      const ids = await this.messageIdsByKey({ _id: { $regex: `^${escapeRegExp(prefix)}` } });
      const out: StoredOutboxMessage[] = [];
      for (const [bucket, group] of grouped(ids, (x) => x)) {
        out.push(
          ...this.parseMessages(
            bucket,
            await this.messages(bucket)
              .find({ _id: { $in: group } })
              .toArray(),
          ),
        );
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
    return names
      .map((c) => c.name)
      .filter((n: string) => pattern.test(n))
      .map((n: string) => n.slice(prefix.length));
  }

  countByState(): Promise<Record<string, number>> {
    return guard(async () => {
      const counts: Record<string, number> = {};
      for (const hour of await this.hours('outbox_')) {
        const rows = await this.messages(hour)
          .aggregate<{ _id: string; n: number }>([{ $group: { _id: '$state', n: { $sum: 1 } } }])
          .toArray();
        for (const r of rows) counts[r._id] = (counts[r._id] ?? 0) + r.n;
      }
      return counts;
    });
  }
}

/**
 * `limit` of the marks read (twice as many), chosen at random but kept in their order: sweeps of several
 * instances that read at the same moment then mostly claim different messages, instead of all racing for the
 * same `limit` and all but one finding nothing to send.
 */
function spread<T>(marks: readonly T[], limit: number): T[] {
  if (marks.length <= limit) return [...marks];
  const chosen = new Set<number>();
  while (chosen.size < limit) chosen.add(Math.floor(Math.random() * marks.length));
  return marks.filter((_, i) => chosen.has(i));
}

const markOf = (id: string, message: OutboxMessage, now: Date): DueFields => ({
  _id: id,
  nextAttemptAt: message.due,
  createdAt: now,
});

/** A new message as stored, pending its first attempt. */
const pending = (message: OutboxMessage, id: string, now: Date): MessageFields => ({
  ...message,
  _id: id,
  state: 'pending',
  attempts: 0,
  nextAttemptAt: message.due,
  createdAt: now,
});

/** `action_uses`: `_id` = the action's id; inserting one is using a once-only action. */
const ActionUseDocument = z.object({ at: z.date(), eventId: z.string().optional() });
type ActionUseFields = z.infer<typeof ActionUseDocument> & { _id: string };

export class MongoActionRepository implements ActionRepository {
  constructor(private readonly m: Models) {}

  private get actions(): mongo.Collection<Stored<PendingAction>> {
    return this.m.Action.db.collection<Stored<PendingAction>>(this.m.Action.collection.collectionName);
  }
  private get uses(): mongo.Collection<ActionUseFields> {
    return this.m.ActionUse.db.collection<ActionUseFields>(this.m.ActionUse.collection.collectionName);
  }

  /** The same action made again (its event handled a second time) is the one already stored. */
  create(action: PendingAction): Promise<void> {
    return guard(async () => {
      const { id, ...rest } = action;
      try {
        await this.actions.insertOne({ ...rest, _id: id });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    });
  }

  get(id: string): Promise<PendingAction | null> {
    return guard(async () => {
      const doc = await this.actions.findOne({ _id: id });
      return doc && fromDocument(PendingAction, this.actions.collectionName, doc);
    });
  }

  use(id: string, at: Date, eventId?: string): Promise<boolean> {
    return guard(async () => {
      try {
        await this.uses.insertOne({ _id: id, at, ...(eventId ? { eventId } : {}) });
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // The same event handled again: the use is its own.
        const found = eventId ? await this.uses.findOne({ _id: id }) : null;
        const used = found && fromDocument(ActionUseDocument, this.uses.collectionName, found);
        return used?.eventId === eventId && eventId !== undefined;
      }
    });
  }
}
