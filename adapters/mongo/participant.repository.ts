import { Types } from 'mongoose';
import { type IdentityKey, type Locale, Participant, type ParticipantStatus, type Role } from '../../src/core/model.ts';
import type { NewParticipant, ParticipantRepository } from '../../src/core/ports.ts';
import { guard, isDuplicateKey } from './connection.ts';
import type { Models } from './models.ts';

function toDomain(doc: Record<string, unknown> | null): Participant | null {
  if (!doc) return null;
  const { _id, __v: _v, ...rest } = doc;
  return Participant.parse({ ...rest, id: String(_id) });
}

export class MongoParticipantRepository implements ParticipantRepository {
  constructor(private readonly m: Models) {}

  findById(id: string): Promise<Participant | null> {
    if (!Types.ObjectId.isValid(id)) return Promise.resolve(null);
    return guard(async () => toDomain(await this.m.Participant.findById(id).lean()));
  }

  findByIds(ids: readonly string[]): Promise<Map<string, Participant>> {
    return guard(async () => {
      const valid = ids.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
      const docs = await this.m.Participant.find({ _id: { $in: valid } }).lean();
      return new Map(docs.map((d) => [String(d._id), toDomain(d)!]));
    });
  }

  findByIdentity(identity: IdentityKey): Promise<Participant | null> {
    return guard(async () => {
      const claim = await this.m.Identity.findById(identity).lean();
      return claim ? this.findById(claim.participantId) : null;
    });
  }

  /**
   * Claims the identity first (an insert, atomic everywhere), then writes the participant under
   * the claimed id. A crash between the two leaves a claim that the next save completes.
   */
  save(p: NewParticipant, now: Date): Promise<Participant> {
    return guard(async () => {
      const identity = p.identities[0]!;
      const id = await this.claim(identity);
      const existing = await this.m.Participant.findById(id).lean();
      const doc = { ...p, _id: new Types.ObjectId(id), createdAt: existing?.createdAt ?? now, updatedAt: now };
      await this.upsert(doc);
      for (const other of p.identities.slice(1)) await this.claim(other, id);
      return Participant.parse({ ...p, id, createdAt: doc.createdAt, updatedAt: now });
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

  setRole(id: string, role: Role, now: Date): Promise<void> {
    return this.set(id, { role }, now);
  }

  private set(id: string, fields: Record<string, unknown>, now: Date): Promise<void> {
    return guard(async () => {
      await this.m.Participant.collection.updateOne({ _id: new Types.ObjectId(id) }, { $set: { ...fields, updatedAt: now } });
    });
  }

  list(role: Role, statuses: ParticipantStatus[]): Promise<Participant[]> {
    return guard(async () => {
      const docs = await this.m.Participant.find({ role, status: { $in: statuses } }).sort({ createdAt: 1 }).lean();
      return docs.map((d) => toDomain(d)!);
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
    const found = await this.m.Identity.findById(identity).lean();
    if (found) return found.participantId;
    try {
      await this.m.Identity.create({ _id: identity, participantId: wanted });
      return wanted;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const winner = await this.m.Identity.findById(identity).lean();
      if (!winner) throw err;
      return winner.participantId;
    }
  }
}
