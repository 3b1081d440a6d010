import type { CheckInRepository } from '../../src/core/ports.ts';
import { CheckIn } from '../../src/core/programme.ts';
import { guard } from './connection.ts';
import { fromDocuments, MongoDocuments } from './documents.ts';
import type { Models } from './models.ts';

export class MongoCheckInRepository implements CheckInRepository {
  private readonly docs: MongoDocuments<CheckIn>;
  private readonly name: string;

  constructor(private readonly m: Models) {
    this.name = m.CheckIn.collection.collectionName;
    this.docs = new MongoDocuments(m.CheckIn.db, this.name, CheckIn);
  }

  /** The round's check-in has a deterministic id, so creating it twice inserts once. */
  create(c: CheckIn): Promise<boolean> {
    return this.docs.insert(c);
  }

  get(id: string): Promise<CheckIn | null> {
    return this.docs.get(id);
  }

  save(c: CheckIn): Promise<void> {
    return this.docs.save(c);
  }

  getMany(ids: readonly string[]): Promise<Map<string, CheckIn>> {
    return guard(async () => {
      if (!ids.length) return new Map();
      const docs = await this.m.CheckIn.find({ _id: { $in: [...ids] } }).lean();
      return new Map(this.parse(docs).map((c) => [c.id, c]));
    });
  }

  unansweredSince(cutoff: Date): Promise<CheckIn[]> {
    return guard(async () => this.parse(await this.m.CheckIn.find({ state: 'sent', sentAt: { $lt: cutoff } }).lean()));
  }

  answeredSince(cutoff: Date): Promise<CheckIn[]> {
    return guard(async () =>
      this.parse(await this.m.CheckIn.find({ state: 'answered', answeredAt: { $gte: cutoff } }).lean()),
    );
  }

  forPair(pairId: string): Promise<CheckIn[]> {
    return guard(async () => this.parse(await this.m.CheckIn.find({ pairId }).sort({ round: 1 }).lean()));
  }

  private parse(docs: readonly { _id: unknown }[]): CheckIn[] {
    return fromDocuments(CheckIn, this.name, docs);
  }
}
