import { z } from 'zod';
import { ConflictError } from '../../src/core/errors.ts';
import { type ConversationState, FlowState, type IdentityKey, Locale } from '../../src/core/model.ts';
import type { ConversationRepository, ProcessedEventRepository } from '../../src/core/ports.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { fromDocument } from './documents.ts';
import type { Models } from './models.ts';

/**
 * What a conversation document must hold. Its flow and locale are read leniently instead: a state
 * written by an older flow version, or damaged, is dropped rather than misread, and the person starts again.
 */
const ConversationDocument = z.object({
  locale: z.unknown().optional(),
  flow: z.unknown().optional(),
  recentEventIds: z.array(z.string()).default([]),
  revision: z.number().int().min(1),
});

interface ConversationFields {
  _id: string;
  locale?: Locale | undefined;
  flow: FlowState | null;
  recentEventIds: string[];
  updatedAt: Date;
  revision: number;
}

export class MongoConversationRepository implements ConversationRepository {
  constructor(private readonly m: Models) {}

  private get collection() {
    return this.m.Conversation.db.collection<ConversationFields>(this.m.Conversation.collection.collectionName);
  }

  load(identity: IdentityKey): Promise<ConversationState | null> {
    return guard(async () => {
      const found = await this.collection.findOne({ _id: identity });
      if (!found) return null;
      const doc = fromDocument(ConversationDocument, this.collection.collectionName, found);
      const flow = FlowState.safeParse(doc.flow);
      const locale = Locale.safeParse(doc.locale);
      return {
        identity,
        ...(locale.success ? { locale: locale.data } : {}),
        ...(flow.success ? { flow: flow.data } : {}),
        recentEventIds: doc.recentEventIds,
        revision: doc.revision,
      };
    });
  }

  save(state: ConversationState): Promise<void> {
    return guard(async () => {
      const { locale, recentEventIds } = state;
      const fields = { locale, flow: state.flow ?? null, recentEventIds, updatedAt: new Date() };
      if (state.revision === 0) {
        try {
          await this.collection.insertOne({ _id: state.identity, ...fields, revision: 1 });
          return;
        } catch (err) {
          if (isDuplicateKey(err)) throw new ConflictError(`conversation ${state.identity} was created concurrently`);
          throw err;
        }
      }
      const result = await this.collection.updateOne(
        { _id: state.identity, revision: state.revision },
        { $set: { ...fields, revision: state.revision + 1 } },
      );
      if (result.matchedCount === 0) throw new ConflictError(`conversation ${state.identity} changed concurrently`);
    });
  }
}

/** Suffix of the claim taken when an event is first handled; the event id alone marks it done. */
const STARTED = '#started';

/** `_id` = the event id (done), or it with STARTED (begun). */
const ProcessedEventDocument = z.object({ at: z.date() });
type ProcessedEventFields = z.infer<typeof ProcessedEventDocument> & { _id: string };

export class MongoProcessedEventRepository implements ProcessedEventRepository {
  constructor(private readonly m: Models) {}

  private get collection() {
    return this.m.ProcessedEvent.db.collection<ProcessedEventFields>(this.m.ProcessedEvent.collection.collectionName);
  }

  /** One insert for a new event: no read that an insert can answer. */
  begin(eventId: string, now: Date): Promise<{ at: Date; done: boolean }> {
    return guard(async () => {
      if (await this.insert(`${eventId}${STARTED}`, now)) return { at: now, done: false };
      const done = (await this.collection.findOne({ _id: eventId })) !== null;
      const started = await this.collection.findOne({ _id: `${eventId}${STARTED}` });
      const at = started ? fromDocument(ProcessedEventDocument, this.collection.collectionName, started).at : now;
      return { at, done };
    });
  }

  markProcessed(eventId: string, at: Date): Promise<void> {
    return guard(async () => void (await this.insert(eventId, at)));
  }

  private async insert(id: string, at: Date): Promise<boolean> {
    try {
      await this.collection.insertOne({ _id: id, at });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Redeliveries come within hours; older records only take space. */
  prune(before: Date): Promise<number> {
    return guard(async () => (await this.m.ProcessedEvent.deleteMany({ at: { $lt: before } })).deletedCount);
  }
}
