import type { CheckInRepository } from '../../src/core/ports.ts';
import type { CheckIn } from '../../src/core/programme.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { documents } from './documents.ts';
import { withId } from './ids.ts';
import type { Models } from './models.ts';

export class MongoCheckInRepository implements CheckInRepository {
  readonly get;
  readonly save;

  constructor(private readonly m: Models) {
    ({ get: this.get, save: this.save } = documents<CheckIn>(m.CheckIn as never));
  }

  create(c: CheckIn): Promise<boolean> {
    return guard(async () => {
      const { id, ...rest } = c;
      try {
        await this.m.CheckIn.collection.insertOne({ ...rest, _id: id as never });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
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
