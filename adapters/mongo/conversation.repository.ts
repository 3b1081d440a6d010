import { z } from 'zod';
import { ConflictError } from '../../src/core/errors.ts';
import { type ConversationState, FlowState, type IdentityKey, Locale } from '../../src/core/model.ts';
import type { ConversationRepository, ProcessedEventRepository } from '../../src/core/ports.ts';
import { escapeRegExp } from '../../src/core/text.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { DeleteBatcher, InsertBatcher, PatternFindBatcher } from './insert-batcher.ts';
import { fromDocument } from './documents.ts';
import type { Models } from './models.ts';

/**
 * What a conversation document must hold. Its flow and locale are read leniently instead: a state
 * written by an older flow version, or damaged, is dropped rather than misread, and the person starts again.
 */
const ConversationDocument = z.object({
  locale: z.unknown().optional(),
  flow: z.unknown().optional(),
  recentEventIds: z.union([z.array(z.string()), z.string().transform(eventIdList)]).default([]),
  revision: z.number().int().min(1),
});

/**
 * Her last event ids are stored as one string, the JSON of the list: FerretDB decodes and encodes an array
 * element by element, and 30 ids made a load of her conversation twice as slow as one string (bench/, same run:
 * find 3.8 -> 1.9 ms, insert 3.3 -> 2.7 ms). Documents saved before hold the array, read as it is.
 */
function eventIdList(stored: string, ctx: z.RefinementCtx): string[] {
  try {
    const list: unknown = JSON.parse(stored);
    if (Array.isArray(list) && list.every((id) => typeof id === 'string')) return list;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'recentEventIds is not a JSON list of event ids' });
  return z.NEVER;
}

interface ConversationFields {
  _id: string;
  /** Whose (also in `_id`): what erasure deletes by. Absent in documents of the layout before revisions. */
  identity?: string;
  locale?: Locale | undefined;
  flow: FlowState | null;
  /** JSON of the list (see eventIdList); a list in documents saved before. */
  recentEventIds: string | string[];
  updatedAt: Date;
  revision: number;
}

/** A revision's `_id`: her identity, `#`, the revision in ten digits. */
const revisionId = (identity: string, revision: number) => `${identity}#${String(revision).padStart(10, '0')}`;
/** Her revisions by their `_id` prefix (an index range on FerretDB too), and the one document of the older layout. */
const ofIdentity = (identity: string) => new RegExp(`^${escapeRegExp(identity)}(#\\d{10})?$`);

/**
 * Each save inserts the next revision (`<identity>#<revision>`), so two handlings that loaded the same
 * revision cannot both save: the second insert is refused by the unique `_id`, which is atomic on FerretDB
 * too (an update's revision check is not: FerretDB 1.x reads, then writes). Older revisions are deleted
 * after, in one command with others of the moment; a load takes the highest revision it finds. A document
 * of the layout before (`_id` = her identity) is left: it is read with hers and loses to any newer revision.
 */
export class MongoConversationRepository implements ConversationRepository {
  /** Saves and deletes of the same moment (events handled side by side) go as one command each. */
  private readonly revisions = new InsertBatcher<ConversationFields>(() => this.collection);
  /** Nobody waits for these: they gather for a moment into fewer commands. */
  private readonly superseded = new DeleteBatcher<ConversationFields>(() => this.collection, { delayMs: 250 });
  /** Loads of the same moment go as one command: each reads the range of her revisions. */
  private readonly revisionsOf = new PatternFindBatcher<ConversationFields>(() => this.collection, {
    pattern: ofIdentity,
    // The older layout has no `identity`: its `_id` is hers.
    keyOf: (doc) => doc.identity ?? doc._id,
  });

  constructor(private readonly m: Models) {}

  private get collection() {
    return this.m.Conversation.db.collection<ConversationFields>(this.m.Conversation.collection.collectionName);
  }

  load(identity: IdentityKey): Promise<ConversationState | null> {
    return guard(async () => {
      const doc = this.highestOf(await this.revisionsOf.find(identity));
      if (!doc) return null;
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

  /** The revision with the highest number, parsed. */
  private highestOf(docs: ConversationFields[]) {
    const parsed = docs.map((d) => fromDocument(ConversationDocument, this.collection.collectionName, d));
    return parsed.sort((a, b) => b.revision - a.revision)[0];
  }

  /** Writes the deletes of old revisions not written yet. */
  flush(): Promise<void> {
    return guard(() => this.superseded.drain());
  }

  save(state: ConversationState): Promise<number> {
    return guard(async () => {
      const { identity, locale } = state;
      const revision = state.revision + 1;
      const recentEventIds = JSON.stringify(state.recentEventIds);
      const fields = { identity, locale, flow: state.flow ?? null, recentEventIds, updatedAt: new Date(), revision };
      if (!(await this.revisions.insert({ _id: revisionId(identity, revision), ...fields }))) {
        throw new ConflictError(`conversation ${identity} changed concurrently`);
      }
      // Kept: the revision before (a handling that loaded it is refused by this one) and the first (one that
      // found none is refused by it). Two and three back go, three in case a crash kept one.
      const older = [revision - 2, revision - 3].filter((r) => r > 1).map((r) => revisionId(identity, r));
      // Not waited for: one left behind only costs a read, and the next save deletes it.
      for (const id of older) this.superseded.delete(id).catch(() => undefined);
      return revision;
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
