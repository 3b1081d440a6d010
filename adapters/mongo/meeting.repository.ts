import type { CohortRepository, HealthQueue, MeetingRepository, TimelineRepository } from '../../src/core/ports.ts';
import { Cohort, Meeting, TimelineEvent } from '../../src/core/programme.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { fromDocuments, MongoDocuments } from './documents.ts';
import { newId } from './ids.ts';
import type { Models } from './models.ts';

export class MongoMeetingRepository extends MongoDocuments<Meeting> implements MeetingRepository {
  constructor(private readonly m: Models) {
    super(m.Meeting.db, m.Meeting.collection.collectionName, Meeting);
  }

  getMany(ids: readonly string[]): Promise<Map<string, Meeting>> {
    return guard(async () => {
      const docs = await this.m.Meeting.find({ _id: { $in: [...ids] } }).lean();
      return new Map(this.parseAll(docs).map((meeting) => [meeting.id, meeting]));
    });
  }

  upcoming(filter: { pairId?: string; cohortId?: string }): Promise<Meeting[]> {
    return guard(async () => {
      const open = { ...filter, state: { $in: ['proposed', 'accepted'] } };
      return this.parseAll(await this.m.Meeting.find(open).sort({ at: 1 }).lean());
    });
  }
}

export class MongoCohortRepository extends MongoDocuments<Cohort> implements CohortRepository {
  constructor(private readonly m: Models) {
    super(m.Cohort.db, m.Cohort.collection.collectionName, Cohort);
  }

  list(): Promise<Cohort[]> {
    return guard(async () => this.parseAll(await this.m.Cohort.find().sort({ createdAt: 1 }).lean()));
  }
}

type TimelineDocument = TimelineEvent & { _id: string };

export class MongoTimelineRepository implements TimelineRepository {
  constructor(
    private readonly m: Models,
    private readonly health?: HealthQueue,
  ) {}

  private get name(): string {
    return this.m.Timeline.collection.collectionName;
  }

  /**
   * Appends the fact and makes its pair due for a health evaluation. Its id derives from the inbound
   * event that caused it, so that event handled again appends nothing twice.
   */
  append(event: TimelineEvent): Promise<void> {
    return guard(async () => {
      try {
        await this.m.Timeline.db.collection<TimelineDocument>(this.name).insertOne({ ...event, _id: newId() });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return;
      }
      await this.health?.noteEvent(event);
    });
  }

  /** The `_id` is read too: it names a document that does not parse. */
  forPair(pairId: string): Promise<TimelineEvent[]> {
    return guard(async () => {
      const docs = await this.m.Timeline.find({ pairId }).sort({ at: 1 }).lean();
      return fromDocuments(TimelineEvent, this.name, docs);
    });
  }
}
