import type { CheckInRepository } from '../../src/core/ports.ts';
import type { CheckIn } from '../../src/core/programme.ts';
import { guard } from './connection.ts';
import { MongoDocuments } from './documents.ts';
import { withId } from './ids.ts';
import type { Models } from './models.ts';

export class MongoCheckInRepository implements CheckInRepository {
  private readonly docs: MongoDocuments<CheckIn>;

  constructor(private readonly m: Models) {
    this.docs = new MongoDocuments<CheckIn>(m.CheckIn.collection);
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
      return new Map(docs.map((d) => [String(d._id), withId<CheckIn>(d)!]));
    });
  }

  unansweredSince(cutoff: Date): Promise<CheckIn[]> {
    return guard(async () => (await this.m.CheckIn.find({ state: 'sent', sentAt: { $lt: cutoff } }).lean()).map((d) => withId<CheckIn>(d)!));
  }

  forPair(pairId: string): Promise<CheckIn[]> {
    return guard(async () => (await this.m.CheckIn.find({ pairId }).sort({ round: 1 }).lean()).map((d) => withId<CheckIn>(d)!));
  }
}
