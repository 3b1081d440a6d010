import type { ActionRepository, OutboxRepository } from '../../src/core/ports.ts';
import type { OutboxMessage, PendingAction, StoredOutboxMessage } from '../../src/core/programme.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { newId, withId } from './ids.ts';
import type { Models } from './models.ts';

export class MongoOutboxRepository implements OutboxRepository {
  constructor(private readonly m: Models) {}

  enqueue(message: OutboxMessage, now: Date): Promise<boolean> {
    return guard(async () => {
      try {
        await this.m.Outbox.collection.insertOne({ ...message, _id: newId() as never, state: 'pending', attempts: 0, nextAttemptAt: message.due, createdAt: now });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
  }

  due(now: Date, limit: number): Promise<StoredOutboxMessage[]> {
    return guard(async () => {
      const docs = await this.m.Outbox.find({ state: 'pending', nextAttemptAt: { $lte: now } }).sort({ nextAttemptAt: 1 }).limit(limit).lean();
      return docs.map((d) => withId<StoredOutboxMessage>(d)!);
    });
  }

  get(id: string): Promise<StoredOutboxMessage | null> {
    return guard(async () => withId<StoredOutboxMessage>(await this.m.Outbox.findById(id).lean()));
  }

  claim(id: string, attempt: number, claimedBy: string, leaseUntil: Date): Promise<boolean> {
    return guard(async () => {
      try {
        await this.m.DeliveryClaim.collection.insertOne({ _id: `${id}:${attempt}` as never, messageId: id, claimedBy, leaseUntil });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
  }

  leaseOf(id: string, attempt: number): Promise<Date | null> {
    return guard(async () => ((await this.m.DeliveryClaim.findById(`${id}:${attempt}`).lean())?.leaseUntil as Date | undefined) ?? null);
  }

  hold(id: string, until: Date): Promise<void> {
    return guard(async () => void (await this.m.Outbox.collection.updateOne({ _id: id as never, state: 'pending' }, { $set: { nextAttemptAt: until } })));
  }

  markSent(id: string, at: Date): Promise<void> {
    return guard(async () => void (await this.m.Outbox.collection.updateOne({ _id: id as never }, { $set: { state: 'sent', sentAt: at } })));
  }

  retryLater(id: string, attempts: number, nextAttemptAt: Date, error: string): Promise<void> {
    return guard(async () => {
      await this.m.Outbox.collection.updateOne({ _id: id as never }, { $set: { attempts, nextAttemptAt, lastError: error } });
    });
  }

  markFailed(id: string, attempts: number, error: string): Promise<void> {
    return guard(async () => void (await this.m.Outbox.collection.updateOne({ _id: id as never }, { $set: { state: 'failed', attempts, lastError: error } })));
  }

  cancelByKeyPrefix(prefix: string): Promise<number> {
    return guard(async () => {
      const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return (await this.m.Outbox.updateMany({ state: 'pending', key: { $regex: `^${escaped}` } }, { $set: { state: 'cancelled' } })).modifiedCount;
    });
  }

  cancelForRecipient(recipientId: string): Promise<number> {
    return guard(async () => (await this.m.Outbox.updateMany({ state: 'pending', recipientId }, { $set: { state: 'cancelled' } })).modifiedCount);
  }

  countByState(): Promise<Record<string, number>> {
    return guard(async () => {
      const rows = await this.m.Outbox.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$state', n: { $sum: 1 } } }]);
      return Object.fromEntries(rows.map((r) => [r._id, r.n]));
    });
  }
}

export class MongoActionRepository implements ActionRepository {
  constructor(private readonly m: Models) {}

  create(action: PendingAction): Promise<void> {
    return guard(async () => {
      const { id, ...rest } = action;
      await this.m.Action.collection.insertOne({ ...rest, _id: id as never });
    });
  }

  get(id: string): Promise<PendingAction | null> {
    return guard(async () => withId<PendingAction>(await this.m.Action.findById(id).lean()));
  }

  use(id: string, at: Date): Promise<boolean> {
    return guard(async () => {
      try {
        await this.m.ActionUse.collection.insertOne({ _id: id as never, at });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
  }
}
