import { z } from 'zod';
import { ConflictError } from '../../src/core/errors.ts';
import { type ConversationState, FlowState, type IdentityKey, Locale } from '../../src/core/model.ts';
import type { ConversationRepository, ProcessedEventRepository } from '../../src/core/ports.ts';
import { escapeRegExp } from '../../src/core/text.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { DelayedDeletes } from './delayed-deletes.ts';
import { InsertBatcher, PatternFindBatcher } from './insert-batcher.ts';
import { RecentStates } from './recent-states.ts';
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

export interface ConversationFields {
  _id: string;
  /** Whose (also in `_id`): what erasure deletes by. Absent in documents of the layout before revisions. */
  identity?: string;
  locale?: Locale | undefined;
  flow: FlowState | null;
  /** JSON of the list (see eventIdList); a list in documents saved before. */
  recentEventIds: string | string[];
  updatedAt: Date;
  revision: number;
  /** Emptied by an erasure: nothing of hers, only what refuses a save from a copy (see erase). */
  erased?: true;
}

/** What a redaction or an erasure writes of a document: all but its `_id` and time. */
export type ConversationContent = Omit<ConversationFields, '_id' | 'updatedAt'>;

/** A revision's `_id`: her identity, `#`, the revision in ten digits. */
const revisionId = (identity: string, revision: number) => `${identity}#${String(revision).padStart(10, '0')}`;
/** Her revisions by their `_id` prefix (an index range on FerretDB too), and the one document of the older layout. */
const ofIdentity = (identity: string) => new RegExp(`^${escapeRegExp(identity)}(#\\d{10})?$`);

/**
 * A remembered state is kept as its JSON (dates marked): one flat string each, and every load gets a state of
 * its own to change. Kept as objects, the states that lived their half minute were old-generation garbage that
 * grew the bot's RSS peak from 231 to 372-392 MB in bench/ registrations.
 */
const DATE = '$date';
function frozen(state: ConversationState): string {
  return JSON.stringify(state, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { [DATE]: raw.toISOString() } : value;
  });
}
function thawed(json: string): ConversationState {
  return JSON.parse(json, (_key, value: unknown) => {
    const date = (value as Record<string, unknown> | null)?.[DATE];
    return typeof date === 'string' && Object.keys(value as object).length === 1 ? new Date(date) : value;
  }) as ConversationState;
}

/** What a conversation repository waits and keeps; the defaults suit production, tests shorten them. */
export interface ConversationTimings {
  /** How long a state this process saved or read is taken as hers without reading it again; 0: always read. */
  cacheMs?: number;
  now?: () => number;
}

const CACHE_MS = 30_000;
/**
 * How long a superseded revision stays: longer than any copy anywhere is used (CACHE_MS), with room for
 * instances whose clocks differ by a minute.
 */
const KEEP_MS = 120_000;
/** States remembered at most (people active within `cacheMs`); beyond, the oldest are read again. */
const CACHED = 1_000;
/** Tries of an erasure or a redaction while her events keep saving new revisions. */
const FENCE_TRIES = 5;

/**
 * Each save inserts the next revision (`<identity>#<revision>`), so two handlings that saw the same revision
 * cannot both save: the second insert is refused by the unique `_id`, which is atomic on FerretDB too (an
 * update's revision check is not: FerretDB 1.x reads, then writes). A load takes the highest revision it finds.
 * A document of the layout before (`_id` = her identity) is left: it is read with hers and loses to any newer one.
 *
 * What this process saved or read of her is used again for `cacheMs` without a read: a person answering a
 * question costs one command, not two. Safe because every save from a copy is checked by its insert: a revision
 * written since by anyone is above the copy's and is still there, since a superseded revision is deleted only
 * KEEP_MS after (the one before the latest and the first stay longer). Erasure and redaction, which changed
 * documents in place, write a revision above instead (see erase and redact), so no copy of what they removed
 * can be saved again.
 */
export class MongoConversationRepository implements ConversationRepository {
  /** Saves of the same moment (events handled side by side) go as one command. */
  private readonly revisions = new InsertBatcher<ConversationFields>(() => this.collection);
  /** Loads of the same moment go as one command: each reads the range of her revisions. */
  private readonly revisionsOf = new PatternFindBatcher<ConversationFields>(() => this.collection, {
    pattern: ofIdentity,
    // The older layout has no `identity`: its `_id` is hers.
    keyOf: (doc) => doc.identity ?? doc._id,
  });
  private readonly superseded: DelayedDeletes<ConversationFields>;
  private readonly recent: RecentStates<string>;
  private readonly now: () => number;

  constructor(
    private readonly m: Models,
    timings: ConversationTimings = {},
  ) {
    this.now = timings.now ?? Date.now;
    this.superseded = new DelayedDeletes(() => this.collection, { delayMs: KEEP_MS, now: this.now });
    // Never longer than a superseded revision stays, or a save from a copy could find no revision to refuse it.
    const maxAgeMs = Math.min(timings.cacheMs ?? CACHE_MS, CACHE_MS);
    this.recent = new RecentStates({ maxAgeMs, max: CACHED, now: this.now });
  }

  private get collection() {
    return this.m.Conversation.db.collection<ConversationFields>(this.m.Conversation.collection.collectionName);
  }

  load(identity: IdentityKey): Promise<ConversationState | null> {
    const known = this.recent.get(identity);
    if (known) return Promise.resolve(thawed(known));
    return guard(async () => {
      const at = this.now();
      const docs = await this.revisionsOf.find(identity);
      const doc = this.highestOf(docs);
      if (!doc) return null;
      this.deleteLeftovers(docs, doc.revision, at);
      const flow = FlowState.safeParse(doc.flow);
      const locale = Locale.safeParse(doc.locale);
      const state: ConversationState = {
        identity,
        ...(locale.success ? { locale: locale.data } : {}),
        ...(flow.success ? { flow: flow.data } : {}),
        recentEventIds: doc.recentEventIds,
        revision: doc.revision,
      };
      this.recent.set(identity, frozen(state), at);
      return state;
    });
  }

  /** The revision with the highest number, parsed. */
  private highestOf(docs: ConversationFields[]) {
    const parsed = docs.map((d) => fromDocument(ConversationDocument, this.collection.collectionName, d));
    return parsed.sort((a, b) => b.revision - a.revision)[0];
  }

  /** Superseded revisions whose delete was not written (a restart), once no copy of them can be in use. */
  private deleteLeftovers(docs: ConversationFields[], highest: number, now: number): void {
    const old = docs.filter(
      (d) =>
        d._id.includes('#') &&
        d.revision > 1 &&
        d.revision <= highest - 2 &&
        d.updatedAt instanceof Date &&
        d.updatedAt.getTime() < now - KEEP_MS,
    );
    const ids = old.map((d) => d._id);
    if (ids.length) void guard(() => this.collection.deleteMany({ _id: { $in: ids } })).catch(() => undefined);
  }

  /** Writes the deletes of superseded revisions that are due (a timer does too); returns how many. */
  deleteDue(): Promise<number> {
    return this.superseded.deleteDue();
  }

  /** At shutdown: the deletes not due yet are left to later loads. */
  flush(): Promise<void> {
    this.superseded.stop();
    return Promise.resolve();
  }

  save(state: ConversationState): Promise<number> {
    return guard(async () => {
      const { identity, locale } = state;
      const revision = state.revision + 1;
      const at = this.now();
      const recentEventIds = JSON.stringify(state.recentEventIds);
      const flow = state.flow ?? null;
      const fields = { identity, locale, flow, recentEventIds, updatedAt: new Date(at), revision };
      let saved = false;
      try {
        saved = await this.revisions.insert({ _id: revisionId(identity, revision), ...fields });
      } finally {
        if (!saved) this.recent.drop(identity);
      }
      if (!saved) throw new ConflictError(`conversation ${identity} changed concurrently`);
      this.recent.set(identity, frozen({ ...state, revision }), at);
      this.supersede(identity, revision);
      return revision;
    });
  }

  /**
   * After `revision` was written. Kept: the revision before and the first (a handling that found none is refused
   * by it); two back goes once no copy of it can be saved from. One a restart kept is deleted by her next load.
   */
  private supersede(identity: IdentityKey, revision: number): void {
    if (revision - 2 > 1) this.superseded.delete(revisionId(identity, revision - 2));
  }

  /**
   * Her conversation emptied for good (erasure): every revision is emptied in place and an empty one is written
   * above them, so a save from any copy of it, here or in another instance, is refused. The empty documents
   * go once no copy can be in use (KEEP_MS; after a restart, the daily `deleteErased`). Returns how many
   * documents held her conversation.
   */
  erase(identity: IdentityKey): Promise<number> {
    return this.fence(identity, (doc) => ({
      identity,
      flow: null,
      recentEventIds: '[]',
      revision: doc.revision,
      erased: true as const,
    }));
  }

  /**
   * Her conversation's documents changed by `change` (a redaction: null where nothing changes), in place and in
   * a revision written above them, so a copy of what they held cannot be saved again. Whether anything changed.
   */
  async redact(identity: IdentityKey, change: (doc: ConversationFields) => ConversationContent | null) {
    return (await this.fence(identity, change)) > 0;
  }

  /** Writes `change` of her highest revision one above it, then `change` of every revision in place. */
  private fence(identity: IdentityKey, change: (doc: ConversationFields) => ConversationContent | null) {
    return guard(async () => {
      for (let attempt = 1; ; attempt++) {
        this.recent.drop(identity);
        const docs = await this.collection.find({ _id: ofIdentity(identity) }).toArray();
        const now = new Date(this.now());
        const changes = docs.map((doc) => ({ doc, next: change(doc) }));
        const top = docs.reduce((a, d) => Math.max(a, typeof d.revision === 'number' ? d.revision : 0), 0);
        const highest = changes.find((c) => c.doc.revision === top);
        if (!highest || !changes.some((c) => c.next)) return 0;
        const { _id, updatedAt, ...unchanged } = highest.doc;
        const above = highest.next ?? unchanged;
        const revision = top + 1;
        const fence = { ...above, _id: revisionId(identity, revision), identity, revision, updatedAt: now };
        if (!(await this.revisions.insert(fence))) {
          if (attempt >= FENCE_TRIES) throw new ConflictError(`conversation ${identity} kept changing`);
          continue;
        }
        let changed = 0;
        for (const { doc, next } of changes) {
          if (!next) continue;
          await this.collection.replaceOne({ _id: doc._id }, { ...next, updatedAt: now });
          changed++;
        }
        if (fence.erased) for (const doc of [...docs, fence]) this.superseded.delete(doc._id);
        else this.supersede(identity, revision);
        this.recent.drop(identity);
        return changed;
      }
    });
  }

  /** Erased conversations emptied before `before` whose delete a restart lost (a daily job). */
  deleteErased(before: Date): Promise<number> {
    return guard(async () => {
      const filter = { erased: true as const, updatedAt: { $lt: before } };
      return (await this.collection.deleteMany(filter)).deletedCount;
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
