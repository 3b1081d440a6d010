import type { PairRepository } from '../../src/core/ports.ts';
import { Pair, type PairState } from '../../src/core/programme.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { MongoDocuments } from './documents.ts';
import type { Models } from './models.ts';

/** `_id` = `<mentorId>:<place>`. Inserting one is taking a place; the unique _id keeps her within capacity. */
interface MentorPlaceDocument {
  _id: string;
  mentorId: string;
  pairId: string;
}

export class MongoPairRepository extends MongoDocuments<Pair> implements PairRepository {
  constructor(private readonly m: Models) {
    super(m.Pair.db, m.Pair.collection.collectionName, Pair);
  }

  openFor(participantId: string): Promise<Pair[]> {
    return guard(async () => {
      const open = { state: { $in: ['proposed', 'active'] } };
      const either = {
        $or: [
          { actorId: participantId, ...open },
          { mentorId: participantId, ...open },
        ],
      };
      return this.parseAll(await this.m.Pair.find(either).sort({ createdAt: 1 }).lean());
    });
  }

  list(states: PairState[]): Promise<Pair[]> {
    return guard(async () => {
      const docs = await this.m.Pair.find({ state: { $in: states } })
        .sort({ createdAt: 1 })
        .lean();
      return this.parseAll(docs);
    });
  }

  claimMentorPlace(mentorId: string, capacity: number, pairId: string): Promise<boolean> {
    return guard(async () => {
      const { db, collection } = this.m.MentorPlace;
      const places = db.collection<MentorPlaceDocument>(collection.collectionName);
      for (let place = 1; place <= capacity; place++) {
        try {
          await places.insertOne({ _id: `${mentorId}:${place}`, mentorId, pairId });
          return true;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          // Taken for this very pair already (its proposal handled a second time).
          const held = await places.findOne({ _id: `${mentorId}:${place}` });
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
      const rows = await this.m.MentorPlace.aggregate<{ _id: string; n: number }>([
        { $match: { mentorId: { $in: mentorIds } } },
        { $group: { _id: '$mentorId', n: { $sum: 1 } } },
      ]);
      return new Map(rows.map((r) => [r._id, r.n]));
    });
  }
}
