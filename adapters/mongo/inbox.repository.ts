import { z } from 'zod';
import { InboundEvent } from '../../src/core/messages.ts';
import type { EventInbox, PendingEvent } from '../../src/core/ports.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { fromDocument } from './documents.ts';
import { DeleteBatcher, InsertBatcher } from './insert-batcher.ts';
import type { Models } from './models.ts';

const InboxDocument = z.object({
  event: InboundEvent.omit({ raw: true }),
  at: z.date(),
  attempt: z.number().int().min(0),
  claimedBy: z.string(),
  leaseUntil: z.date(),
});
/** How long handled marks gather before one delete writes them. */
const DONE_DELAY_MS = 250;

/** `inbox_open`: an event stored and not handled yet, `_id` = its id. */
type OpenFields = z.infer<typeof InboxDocument> & { _id: string };
/** `inbox`: the ids an earlier version kept of every event; only pruned now (and read once by `upgrade`). */
interface KeyFields {
  _id: string;
  at: Date;
}

/** `_id` = `<event id>:<attempt>`. */
interface InboxClaimFields {
  _id: string;
  claimedBy: string;
  leaseUntil: Date;
}

/**
 * Inbound events between their acceptance and their handling. `inbox_open` holds those not handled
 * yet, so recovery reads only them (FerretDB reads a whole collection for any filter but `_id`), and
 * its insert refuses a platform's retry of an event still open. A retry of one handled already is
 * stored again and recognised by the engine: her conversation keeps the ids of her last events (one
 * insert fewer per update than keeping every id here, on the path every message takes). Only inserts
 * decide anything: FerretDB's updates are read-modify-write, so the update here (lease) only follows an
 * insert that this caller won. Inserts, and the deletes that mark events handled, of the same moment go
 * as one command each.
 */
export class MongoEventInbox implements EventInbox {
  private readonly opened = new InsertBatcher<OpenFields>(() => this.open);
  /** See `done`. */
  private readonly closed = new DeleteBatcher<OpenFields>(() => this.open, { delayMs: DONE_DELAY_MS });

  constructor(private readonly m: Models) {}

  private get keys() {
    return this.m.Inbox.db.collection<KeyFields>(this.m.Inbox.collection.collectionName);
  }
  private get open() {
    return this.m.InboxOpen.db.collection<OpenFields>(this.m.InboxOpen.collection.collectionName);
  }
  private get claims() {
    return this.m.InboxClaim.db.collection<InboxClaimFields>(this.m.InboxClaim.collection.collectionName);
  }

  /** False when the event is open already (a retry while it waits or is being handled). */
  accept(event: InboundEvent, now: Date, claimedBy: string, leaseUntil: Date): Promise<boolean> {
    const { raw: _raw, ...neutral } = event;
    return guard(() =>
      this.opened.insert({ _id: event.id, event: neutral, at: now, attempt: 0, claimedBy, leaseUntil }),
    );
  }

  pending(limit: number): Promise<PendingEvent[]> {
    return guard(async () => {
      const docs = await this.open.find({}).sort({ at: 1, _id: 1 }).limit(limit).toArray();
      return docs.map((doc) => {
        const parsed = fromDocument(InboxDocument, this.open.collectionName, doc);
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
      await this.open.updateOne({ _id: id }, { $set: { attempt, claimedBy, leaseUntil } });
      return true;
    });
  }

  /**
   * Not waited for: the entries of events handled within DONE_DELAY_MS go in one delete. Until then an entry
   * is only still there (its lease keeps recovery away); one left by a crash is handled again, which finds
   * the event done (her conversation or the processed marks say so) and changes nothing.
   */
  done(id: string, _at: Date): Promise<void> {
    this.closed.delete(id).catch(() => undefined);
    return Promise.resolve();
  }

  /** Writes the handled marks not written yet (at shutdown). */
  flush(): Promise<void> {
    return guard(() => this.closed.drain());
  }

  /** Claims of attempts whose lease ended before `before`, and the ids an earlier version kept. */
  prune(before: Date): Promise<number> {
    return guard(async () => {
      const { deletedCount } = await this.keys.deleteMany({ at: { $lt: before } });
      const claims = await this.claims.deleteMany({ leaseUntil: { $lt: before } });
      return deletedCount + claims.deletedCount;
    });
  }

  /**
   * Once, from the layout before `inbox_open`: events stored then and not handled (`done: false` in
   * `inbox`) are copied to `inbox_open`, so an upgrade drops none.
   */
  async upgrade(): Promise<number> {
    return guard(async () => {
      const marks = this.m.Inbox.db.collection<{ _id: string; at: Date }>('migrations');
      if (await marks.findOne({ _id: UPGRADE })) return 0;
      const old = await this.m.Inbox.db.collection('inbox').find({ done: false }).toArray();
      let copied = 0;
      for (const doc of old) {
        const { event, at, attempt, claimedBy, leaseUntil } = fromDocument(InboxDocument, 'inbox', doc);
        if (await this.opened.insert({ _id: String(doc._id), event, at, attempt, claimedBy, leaseUntil })) copied++;
      }
      try {
        await marks.insertOne({ _id: UPGRADE, at: new Date() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      return copied;
    });
  }
}

const UPGRADE = 'inbox-open-events';
