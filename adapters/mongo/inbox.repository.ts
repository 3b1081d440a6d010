import { z } from 'zod';
import { InboundEvent } from '../../src/core/messages.ts';
import type { EventInbox, PendingEvent } from '../../src/core/ports.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { fromDocument } from './documents.ts';
import { InsertBatcher } from './insert-batcher.ts';
import type { Models } from './models.ts';

const InboxDocument = z.object({
  event: InboundEvent.omit({ raw: true }),
  at: z.date(),
  attempt: z.number().int().min(0),
  claimedBy: z.string(),
  leaseUntil: z.date(),
});
type InboxFields = z.infer<typeof InboxDocument> & { _id: string; done: boolean; doneAt?: Date };

/** `_id` = `<event id>:<attempt>`. */
interface InboxClaimFields {
  _id: string;
  claimedBy: string;
  leaseUntil: Date;
}

/**
 * Inbound events between their acceptance and their handling. Handled events stay (marked done)
 * until pruned, so that a platform's retry of one is recognised by the same insert that stores
 * a new one. Only inserts decide anything: FerretDB's updates are read-modify-write, so the
 * updates here (lease, done) only follow an insert that this caller won.
 */
export class MongoEventInbox implements EventInbox {
  /** A fetched batch of updates is stored in one round trip (see InsertBatcher). */
  private readonly batcher = new InsertBatcher<InboxFields>(() => this.inbox);

  constructor(private readonly m: Models) {}

  private get inbox() {
    return this.m.Inbox.db.collection<InboxFields>(this.m.Inbox.collection.collectionName);
  }
  private get claims() {
    return this.m.InboxClaim.db.collection<InboxClaimFields>(this.m.InboxClaim.collection.collectionName);
  }

  accept(event: InboundEvent, now: Date, claimedBy: string, leaseUntil: Date): Promise<boolean> {
    const { raw: _raw, ...neutral } = event;
    return this.batcher.insert({
      _id: event.id,
      event: neutral,
      at: now,
      attempt: 0,
      claimedBy,
      leaseUntil,
      done: false,
    });
  }

  pending(limit: number): Promise<PendingEvent[]> {
    return guard(async () => {
      const docs = await this.inbox.find({ done: false }).sort({ at: 1, _id: 1 }).limit(limit).toArray();
      return docs.map((doc) => {
        const parsed = fromDocument(InboxDocument, this.inbox.collectionName, doc);
        const { event, at, attempt, claimedBy, leaseUntil } = parsed;
        return { event, acceptedAt: at, attempt, claimedBy, leaseUntil };
      });
    });
  }

  claim(id: string, attempt: number, claimedBy: string, leaseUntil: Date): Promise<boolean> {
    return guard(async () => {
      try {
        await this.claims.insertOne({ _id: `${id}:${attempt}`, claimedBy, leaseUntil });
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
      await this.inbox.updateOne({ _id: id }, { $set: { attempt, claimedBy, leaseUntil } });
      return true;
    });
  }

  done(id: string, at: Date): Promise<void> {
    return guard(async () => {
      await this.inbox.updateOne({ _id: id }, { $set: { done: true, doneAt: at } });
    });
  }

  prune(before: Date): Promise<number> {
    return guard(async () => {
      const { deletedCount } = await this.inbox.deleteMany({ done: true, doneAt: { $lt: before } });
      await this.claims.deleteMany({ leaseUntil: { $lt: before } });
      return deletedCount;
    });
  }
}
