import { z } from 'zod';
import type { AuditEntry, AuditPort, DocumentationSource } from '../../src/core/documentation.ts';
import { Alert, CounsellingRequest, Meeting, Pair } from '../../src/core/programme.ts';
import { guard } from './connection.ts';
import { type CollectionSource, fromDocuments, MongoDocuments } from './documents.ts';
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

const AuditRecord = z.object({
  id: z.string(),
  actorId: z.string(),
  subjectId: z.string(),
  what: z.string(),
  at: z.date(),
  ref: z.string().optional(),
});
export type AuditRecord = z.infer<typeof AuditRecord>;

/**
 * The audit log in its own collection. An entry made while an event is handled takes an id derived
 * from it, so the same event handled again records the read once.
 */
export class MongoAuditLog implements AuditPort {
  readonly entries: MongoDocuments<AuditRecord>;

  constructor(db: CollectionSource) {
    this.entries = new MongoDocuments(db, 'audit', AuditRecord);
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.entries.create(entry);
  }
}
