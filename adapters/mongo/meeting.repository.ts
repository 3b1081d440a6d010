import type { CohortRepository, HealthQueue, MeetingRepository, TimelineRepository } from '../../src/core/ports.ts';
import type { Cohort, Meeting, TimelineEvent } from '../../src/core/programme.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { MongoDocuments } from './documents.ts';
import { newId, withId } from './ids.ts';
import type { Models } from './models.ts';

export class MongoMeetingRepository extends MongoDocuments<Meeting> implements MeetingRepository {
  constructor(private readonly m: Models) {
    super(m.Meeting.collection);
  }

  getMany(ids: readonly string[]): Promise<Map<string, Meeting>> {
    return guard(async () => {
      const docs = await this.m.Meeting.find({ _id: { $in: [...ids] } }).lean();
      return new Map(docs.map((d) => [String(d._id), withId<Meeting>(d)!]));
    });
  }

  upcoming(filter: { pairId?: string; cohortId?: string }): Promise<Meeting[]> {
    return guard(async () => {
      const docs = await this.m.Meeting.find({ ...filter, state: { $in: ['proposed', 'accepted'] } }).sort({ at: 1 }).lean();
      return docs.map((d) => withId<Meeting>(d)!);
    });
  }
}

export class MongoCohortRepository extends MongoDocuments<Cohort> implements CohortRepository {
  constructor(private readonly m: Models) {
    super(m.Cohort.collection);
  }

  list(): Promise<Cohort[]> {
    return guard(async () => (await this.m.Cohort.find().sort({ createdAt: 1 }).lean()).map((d) => withId<Cohort>(d)!));
  }
}

export class MongoTimelineRepository implements TimelineRepository {
  constructor(
    private readonly m: Models,
    private readonly health?: HealthQueue,
  ) {}

  /**
   * Appends the fact and makes its pair due for a health evaluation. Its id derives from the inbound
   * event that caused it, so that event handled again appends nothing twice.
   */
  append(event: TimelineEvent): Promise<void> {
    return guard(async () => {
      try {
        await this.m.Timeline.collection.insertOne({ ...event, _id: newId() as never });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return;
      }
      await this.health?.noteEvent(event);
    });
  }

  forPair(pairId: string): Promise<TimelineEvent[]> {
    return guard(async () => (await this.m.Timeline.find({ pairId }, { _id: 0 }).sort({ at: 1 }).lean()) as TimelineEvent[]);
  }
}
