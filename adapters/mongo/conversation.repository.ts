import { ConflictError } from '../../src/core/errors.ts';
import { type ConversationState, FlowState, type IdentityKey, Locale } from '../../src/core/model.ts';
import type { ConversationRepository, ProcessedEventRepository } from '../../src/core/ports.ts';
import { guard, isDuplicateKey } from './connection.ts';
import type { Models } from './models.ts';

export class MongoConversationRepository implements ConversationRepository {
  constructor(private readonly m: Models) {}

  load(identity: IdentityKey): Promise<ConversationState | null> {
    return guard(async () => {
      const doc = await this.m.Conversation.findById(identity).lean();
      if (!doc) return null;
      // A state written by an older flow version, or damaged, is dropped rather than misread.
      const flow = FlowState.safeParse(doc.flow);
      const locale = Locale.safeParse(doc.locale);
      return {
        identity,
        ...(locale.success ? { locale: locale.data } : {}),
        ...(flow.success ? { flow: flow.data } : {}),
        recentEventIds: doc.recentEventIds ?? [],
        revision: doc.revision,
      };
    });
  }

  save(state: ConversationState): Promise<void> {
    return guard(async () => {
      const fields = { locale: state.locale, flow: state.flow ?? null, recentEventIds: state.recentEventIds, updatedAt: new Date() };
      if (state.revision === 0) {
        try {
          await this.m.Conversation.collection.insertOne({ _id: state.identity as never, ...fields, revision: 1 });
          return;
        } catch (err) {
          if (isDuplicateKey(err)) throw new ConflictError(`conversation ${state.identity} was created concurrently`);
          throw err;
        }
      }
      const result = await this.m.Conversation.collection.updateOne(
        { _id: state.identity as never, revision: state.revision },
        { $set: { ...fields, revision: state.revision + 1 } },
      );
      if (result.matchedCount === 0) throw new ConflictError(`conversation ${state.identity} changed concurrently`);
    });
  }
}

/** Suffix of the claim taken when an event is first handled; the event id alone marks it done. */
const STARTED = '#started';

export class MongoProcessedEventRepository implements ProcessedEventRepository {
  constructor(private readonly m: Models) {}

  /** One insert for a new event: no read that an insert can answer. */
  begin(eventId: string, now: Date): Promise<{ at: Date; done: boolean }> {
    return guard(async () => {
      if (await this.insert(`${eventId}${STARTED}`, now)) return { at: now, done: false };
      const done = (await this.m.ProcessedEvent.collection.findOne({ _id: eventId as never })) !== null;
      const started = await this.m.ProcessedEvent.collection.findOne({ _id: `${eventId}${STARTED}` as never });
      return { at: started?.at instanceof Date ? started.at : now, done };
    });
  }

  markProcessed(eventId: string, at: Date): Promise<void> {
    return guard(async () => void (await this.insert(eventId, at)));
  }

  private async insert(id: string, at: Date): Promise<boolean> {
    try {
      await this.m.ProcessedEvent.collection.insertOne({ _id: id as never, at });
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
