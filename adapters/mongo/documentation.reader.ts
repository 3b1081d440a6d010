import type { DocumentationSource } from '../../src/core/documentation.ts';
import { Alert, CounsellingRequest, Meeting, Pair } from '../../src/core/programme.ts';
import { guard } from './connection.ts';
import { type CollectionSource, fromDocuments } from './documents.ts';
import { answeredOutcomes } from './survey.reader.ts';

/** What a pair's documentation reads: each by an indexed field (the pair, the cohort, the people). */
export class MongoDocumentationSource implements DocumentationSource {
  constructor(private readonly db: CollectionSource) {}

  async ensureIndexes(): Promise<void> {
    await guard(async () => {
      await this.db.collection('alerts').createIndex({ pairId: 1 });
      await this.db.collection('counselling_requests').createIndex({ participantId: 1 });
    });
  }

  pairsOf(participantId: string): Promise<Pair[]> {
    return guard(async () => {
      const docs = await this.db
        .collection('pairs')
        .find({ $or: [{ actorId: participantId }, { mentorId: participantId }] })
        .sort({ createdAt: -1 })
        .toArray();
      return fromDocuments(Pair, 'pairs', docs as { _id: unknown }[]);
    });
  }

  meetingsOf(filter: { pairId: string } | { cohortId: string }): Promise<Meeting[]> {
    return guard(async () => {
      const docs = await this.db.collection('meetings').find(filter).sort({ at: 1 }).toArray();
      return fromDocuments(Meeting, 'meetings', docs as { _id: unknown }[]);
    });
  }

  alertsOf(pairId: string): Promise<Alert[]> {
    return guard(async () => {
      const docs = await this.db.collection('alerts').find({ pairId }).sort({ openedAt: 1 }).toArray();
      return fromDocuments(Alert, 'alerts', docs as { _id: unknown }[]);
    });
  }

  surveysOf(pairId: string) {
    return answeredOutcomes(this.db, { pairId });
  }

  counsellingBy(participantIds: readonly string[]): Promise<CounsellingRequest[]> {
    return guard(async () => {
      const docs = await this.db
        .collection('counselling_requests')
        .find({ participantId: { $in: [...participantIds] } })
        .sort({ createdAt: 1 })
        .toArray();
      return fromDocuments(CounsellingRequest, 'counselling_requests', docs as { _id: unknown }[]);
    });
  }
}
