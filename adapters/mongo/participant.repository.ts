import { Types } from 'mongoose';
import { z } from 'zod';
import {
  type Consent,
  type IdentityKey,
  type Locale,
  Participant,
  type ParticipantStatus,
  type Role,
} from '../../src/core/model.ts';
import type { NewParticipant, ParticipantRepository } from '../../src/core/ports.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { fromDocument, fromDocuments } from './documents.ts';
import { FindBatcher } from './insert-batcher.ts';
import type { Models } from './models.ts';

/** `identities`: `_id` = the identity, claimed for one participant. */
const IdentityDocument = z.object({ participantId: z.string() });

/**
 * Identities remembered per process, to save a read per event: a claim never changes its participant;
 * one whose participant is gone is forgotten.
 */
const OWNERS_CACHED = 50_000;

/**
 * When each identity's participant was last saved here, as a count of saves: what tells a caller that she was
 * still nobody at its mark. Bounded: an identity forgotten raises `floor`, below which no mark holds.
 */
class SavesSince {
  private count = 0;
  private floor = 0;
  private readonly last = new Map<string, number>();

  mark(): number {
    return this.count;
  }

  saved(identity: string): void {
    this.last.delete(identity);
    this.last.set(identity, ++this.count);
    if (this.last.size <= OWNERS_CACHED) return;
    const [oldest, at] = this.last.entries().next().value!;
    this.last.delete(oldest);
    this.floor = Math.max(this.floor, at);
  }

  /** Whether no participant holding the identity was saved since `mark`. */
  noneSince(identity: string, mark: number): boolean {
    return mark >= this.floor && (this.last.get(identity) ?? 0) <= mark;
  }
}

export class MongoParticipantRepository implements ParticipantRepository {
  private readonly owners = new Map<string, string>();
  private readonly saves = new SavesSince();
  /** Lookups of the same moment (events handled side by side) share one read. */
  private readonly claims = new FindBatcher(() => this.m.Identity.collection);
  private readonly byId = new FindBatcher(() => this.m.Participant.collection);

  constructor(private readonly m: Models) {}

  private toDomain(doc: { _id: unknown } | null): Participant | null {
    return doc && fromDocument(Participant, this.m.Participant.collection.collectionName, doc);
  }

  /** The participant id claimed for the identity, as the database holds it. */
  private async claimOf(identity: string): Promise<string | undefined> {
    const doc = await this.claims.find(identity);
    if (!doc) return undefined;
    return fromDocument(IdentityDocument, this.m.Identity.collection.collectionName, doc).participantId;
  }

  /** The participant id an identity belongs to: from memory, else one read by `_id`. */
  private async ownerOf(identity: IdentityKey): Promise<string | undefined> {
    const known = this.owners.get(identity);
    if (known) return known;
    const claim = await this.claimOf(identity);
    if (claim) this.remember(identity, claim);
    return claim;
  }

  private remember(identity: string, participantId: string): void {
    if (this.owners.size >= OWNERS_CACHED) this.owners.delete(this.owners.keys().next().value!);
    this.owners.set(identity, participantId);
  }

  findById(id: string): Promise<Participant | null> {
    if (!Types.ObjectId.isValid(id)) return Promise.resolve(null);
    return guard(async () => this.toDomain(await this.byId.find(new Types.ObjectId(id))));
  }

  findByIds(ids: readonly string[]): Promise<Map<string, Participant>> {
    return guard(async () => {
      const valid = ids.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
      const docs = await this.m.Participant.find({ _id: { $in: valid } }).lean();
      const found = fromDocuments(Participant, this.m.Participant.collection.collectionName, docs);
      return new Map(found.map((p) => [p.id, p]));
    });
  }

  savesMark(): number {
    return this.saves.mark();
  }

  findByIdentity(identity: IdentityKey, nobodySince?: number): Promise<Participant | null> {
    if (nobodySince !== undefined && this.saves.noneSince(identity, nobodySince)) return Promise.resolve(null);
    return guard(async () => {
      const owner = await this.ownerOf(identity);
      const found = owner ? await this.findById(owner) : null;
      // Gone, or erased (an erased participant keeps no identity): she is nobody known here any more.
      if (owner && !found?.identities.includes(identity)) {
        this.owners.delete(identity);
        return null;
      }
      return found;
    });
  }

  /**
   * Claims the identity first (an insert, atomic everywhere), then writes the participant under
   * the claimed id. A crash between the two leaves a claim that the next save completes.
   */
  save(p: NewParticipant, now: Date): Promise<Participant> {
    // Counted before the write and after it: a caller whose mark fell while it was under way reads again.
    const counted = () => {
      for (const identity of p.identities) this.saves.saved(identity);
    };
    counted();
    return this.write(p, now).finally(counted);
  }

  private write(p: NewParticipant, now: Date): Promise<Participant> {
    return guard(async () => {
      const identity = p.identities[0]!;
      const id = await this.claim(identity);
      const existing = await this.m.Participant.findById(id).lean();
      // The AI consent is asked on its own, after registration: a profile saved again keeps it.
      const kept = existing?.aiConsent && !p.aiConsent ? { aiConsent: existing.aiConsent } : {};
      const doc = { ...kept, ...p, _id: new Types.ObjectId(id), createdAt: existing?.createdAt ?? now, updatedAt: now };
      await this.upsert(doc);
      for (const other of p.identities.slice(1)) await this.claim(other, id);
      return Participant.parse({ ...kept, ...p, id, createdAt: doc.createdAt, updatedAt: now });
    });
  }

  setLocale(id: string, locale: Locale, now: Date): Promise<void> {
    return this.set(id, { locale }, now);
  }

  setDisplayName(id: string, displayName: string, now: Date): Promise<void> {
    return this.set(id, { displayName }, now);
  }

  setStatus(id: string, status: ParticipantStatus, now: Date): Promise<void> {
    return this.set(id, { status }, now);
  }

  setAiConsent(id: string, aiConsent: Consent, now: Date): Promise<void> {
    return this.set(id, { aiConsent }, now);
  }

  setRole(id: string, role: Role, now: Date): Promise<void> {
    return this.set(id, { role }, now);
  }

  private set(id: string, fields: Record<string, unknown>, now: Date): Promise<void> {
    return guard(async () => {
      await this.m.Participant.collection.updateOne(
        { _id: new Types.ObjectId(id) },
        { $set: { ...fields, updatedAt: now } },
      );
    });
  }

  list(role: Role, statuses: ParticipantStatus[]): Promise<Participant[]> {
    return guard(async () => {
      const docs = await this.m.Participant.find({ role, status: { $in: statuses } })
        .sort({ createdAt: 1 })
        .lean();
      return fromDocuments(Participant, this.m.Participant.collection.collectionName, docs);
    });
  }

  /** Two upserts of a new _id can both try to insert; the loser finds the document and replaces it. */
  private async upsert(doc: { _id: Types.ObjectId } & Record<string, unknown>): Promise<void> {
    try {
      await this.m.Participant.collection.replaceOne({ _id: doc._id }, doc, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await this.m.Participant.collection.replaceOne({ _id: doc._id }, doc);
    }
  }

  /** Returns the participant id the identity belongs to, creating the claim if there is none. */
  private async claim(identity: string, wanted = new Types.ObjectId().toHexString()): Promise<string> {
    // Read from the database, not memory: saving is rare, and it must see an identity erased elsewhere.
    const found = await this.claimOf(identity);
    if (found) return found;
    try {
      await this.m.Identity.create({ _id: identity, participantId: wanted });
      this.remember(identity, wanted);
      return wanted;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const winner = await this.claimOf(identity);
      if (!winner) throw err;
      return winner;
    }
  }
}
