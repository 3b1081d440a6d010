import type { CohortRepository, HealthQueue, MeetingRepository, TimelineRepository } from '../../src/core/ports.ts';
import type { Cohort, Meeting, TimelineEvent } from '../../src/core/programme.ts';
import { guard } from './connection.ts';
import { newId, withId } from './ids.ts';
import type { Models } from './models.ts';

export class MongoMeetingRepository implements MeetingRepository {
  constructor(private readonly m: Models) {}

  create(meeting: Omit<Meeting, 'id'>): Promise<Meeting> {
    return guard(async () => {
      const id = newId();
      await this.m.Meeting.collection.insertOne({ ...meeting, _id: id as never });
      return { ...meeting, id };
    });
  }

  get(id: string): Promise<Meeting | null> {
    return guard(async () => withId<Meeting>(await this.m.Meeting.findById(id).lean()));
  }

  getMany(ids: readonly string[]): Promise<Map<string, Meeting>> {
    return guard(async () => {
      const docs = await this.m.Meeting.find({ _id: { $in: [...ids] } }).lean();
      return new Map(docs.map((d) => [String(d._id), withId<Meeting>(d)!]));
    });
  }

  save(meeting: Meeting): Promise<void> {
    return guard(async () => {
      const { id, ...rest } = meeting;
      await this.m.Meeting.collection.replaceOne({ _id: id as never }, rest);
    });
  }

  upcoming(filter: { pairId?: string; cohortId?: string }): Promise<Meeting[]> {
    return guard(async () => {
      const docs = await this.m.Meeting.find({ ...filter, state: { $in: ['proposed', 'accepted'] } }).sort({ at: 1 }).lean();
      return docs.map((d) => withId<Meeting>(d)!);
    });
  }
}

export class MongoCohortRepository implements CohortRepository {
  constructor(private readonly m: Models) {}

  create(cohort: Omit<Cohort, 'id'>): Promise<Cohort> {
    return guard(async () => {
      const id = newId();
      await this.m.Cohort.collection.insertOne({ ...cohort, _id: id as never });
      return { ...cohort, id };
    });
  }

  get(id: string): Promise<Cohort | null> {
    return guard(async () => withId<Cohort>(await this.m.Cohort.findById(id).lean()));
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

  /** Appends the fact and makes its pair due for a health evaluation. */
  append(event: TimelineEvent): Promise<void> {
    return guard(async () => {
      await this.m.Timeline.collection.insertOne({ ...event });
      await this.health?.noteEvent(event);
    });
  }

  forPair(pairId: string): Promise<TimelineEvent[]> {
    return guard(async () => (await this.m.Timeline.find({ pairId }, { _id: 0 }).sort({ at: 1 }).lean()) as TimelineEvent[]);
  }
}
