import type { PairRepository } from '../../src/core/ports.ts';
import type { Pair, PairState } from '../../src/core/programme.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { MongoDocuments } from './documents.ts';
import { withId } from './ids.ts';
import type { Models } from './models.ts';

export class MongoPairRepository extends MongoDocuments<Pair> implements PairRepository {
  constructor(private readonly m: Models) {
    super(m.Pair.collection);
  }

  openFor(participantId: string): Promise<Pair[]> {
    return guard(async () => {
      const open = { state: { $in: ['proposed', 'active'] } };
      const docs = await this.m.Pair.find({ $or: [{ actorId: participantId, ...open }, { mentorId: participantId, ...open }] }).sort({ createdAt: 1 }).lean();
      return docs.map((d) => withId<Pair>(d)!);
    });
  }

  list(states: PairState[]): Promise<Pair[]> {
    return guard(async () => (await this.m.Pair.find({ state: { $in: states } }).sort({ createdAt: 1 }).lean()).map((d) => withId<Pair>(d)!));
  }

  claimMentorPlace(mentorId: string, capacity: number, pairId: string): Promise<boolean> {
    return guard(async () => {
      for (let place = 1; place <= capacity; place++) {
        try {
          await this.m.MentorPlace.collection.insertOne({ _id: `${mentorId}:${place}` as never, mentorId, pairId });
          return true;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          // Taken for this very pair already (its proposal handled a second time).
          const held = await this.m.MentorPlace.collection.findOne({ _id: `${mentorId}:${place}` as never });
          if (held?.pairId === pairId) return true;
        }
      }
      return false;
    });
  }

  releaseMentorPlace(pairId: string): Promise<void> {
    return guard(async () => void (await this.m.MentorPlace.deleteMany({ pairId })));
  }

  placesTaken(mentorIds: string[]): Promise<Map<string, number>> {
    return guard(async () => {
      const rows = await this.m.MentorPlace.aggregate<{ _id: string; n: number }>([{ $match: { mentorId: { $in: mentorIds } } }, { $group: { _id: '$mentorId', n: { $sum: 1 } } }]);
      return new Map(rows.map((r) => [r._id, r.n]));
    });
  }
}
