import { z } from 'zod';
import { ValidationError } from '../../src/core/errors.ts';
import { InboundEvent } from '../../src/core/messages.ts';
import type { EventInbox, PendingEvent } from '../../src/core/ports.ts';
import { guard, isDuplicateKey } from './connection.ts';
import type { Models } from './models.ts';

const InboxDocument = z.object({
  _id: z.string(),
  event: InboundEvent.omit({ raw: true }),
  at: z.date(),
  attempt: z.number().int().min(0),
  claimedBy: z.string(),
  leaseUntil: z.date(),
});

/**
 * Inbound events between their acceptance and their handling. Handled events stay (marked done)
 * until pruned, so that a platform's retry of one is recognised by the same insert that stores
 * a new one. Only inserts decide anything: FerretDB's updates are read-modify-write, so the
 * updates here (lease, done) only follow an insert that this caller won.
 */
export class MongoEventInbox implements EventInbox {
  constructor(private readonly m: Models) {}

  accept(event: InboundEvent, now: Date, claimedBy: string, leaseUntil: Date): Promise<boolean> {
    const { raw: _raw, ...neutral } = event;
    return guard(async () => {
      try {
        await this.m.Inbox.collection.insertOne({
          _id: event.id as never,
          event: neutral,
          at: now,
          attempt: 0,
          claimedBy,
          leaseUntil,
          done: false,
        });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
  }

  pending(limit: number): Promise<PendingEvent[]> {
    return guard(async () => {
      const docs = await this.m.Inbox.collection.find({ done: false }).sort({ at: 1, _id: 1 }).limit(limit).toArray();
      return docs.map((doc) => {
        const parsed = InboxDocument.safeParse(doc);
        if (!parsed.success) {
          throw new ValidationError(`inbox ${String(doc._id)} is malformed: ${parsed.error.message}`);
        }
        const { event, at, attempt, claimedBy, leaseUntil } = parsed.data;
        return { event, acceptedAt: at, attempt, claimedBy, leaseUntil };
      });
    });
  }

  claim(id: string, attempt: number, claimedBy: string, leaseUntil: Date): Promise<boolean> {
    return guard(async () => {
      try {
        await this.m.InboxClaim.collection.insertOne({ _id: `${id}:${attempt}` as never, claimedBy, leaseUntil });
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
      await this.m.Inbox.collection.updateOne({ _id: id as never }, { $set: { attempt, claimedBy, leaseUntil } });
      return true;
    });
  }

  done(id: string, at: Date): Promise<void> {
    return guard(async () => {
      await this.m.Inbox.collection.updateOne({ _id: id as never }, { $set: { done: true, doneAt: at } });
    });
  }

  prune(before: Date): Promise<number> {
    return guard(async () => {
      const { deletedCount } = await this.m.Inbox.collection.deleteMany({ done: true, doneAt: { $lt: before } });
      await this.m.InboxClaim.collection.deleteMany({ leaseUntil: { $lt: before } });
      return deletedCount;
    });
  }
}
