import type { mongo } from 'mongoose';
import { z } from 'zod';
import type { PairEnding, ReportPair, ReportPerson, ReportSource } from '../../src/core/report.ts';
import { guard } from './connection.ts';
import { type CollectionSource, fromDocuments } from './documents.ts';
import { answeredOutcomes } from './survey.reader.ts';

/**
 * The report's read model: one query per kind of record, each by its indexed fields (role and status,
 * a time range) and with a projection, so a report costs a handful of reads whatever the number of pairs.
 */
const Person = z.object({
  id: z.string(),
  role: z.enum(['actor', 'mentor']),
  status: z.string(),
  createdAt: z.date(),
  actor: z.object({ city: z.string() }).optional(),
  mentor: z.object({ city: z.string(), capacity: z.number() }).optional(),
});

const PairDoc = z.object({
  id: z.string(),
  actorId: z.string(),
  mentorId: z.string(),
  state: z.string(),
  createdAt: z.date(),
  history: z.array(z.object({ state: z.string(), at: z.date() })),
  endedReason: z.string().optional(),
  // Written by the completion work when it lands; read when present.
  endedAt: z.date().optional(),
  endReason: z.string().optional(),
  cohortId: z.string().optional(),
});
type PairDoc = z.infer<typeof PairDoc>;

const PairRef = z.object({ id: z.string(), pairId: z.string() });
const GroupHeld = z.object({ id: z.string(), cohortId: z.string(), attended: z.array(z.string()) });
const CheckinRow = z.object({ id: z.string(), participantId: z.string(), state: z.string() });
const RequestRow = z.object({ id: z.string(), participantId: z.string(), topic: z.string() });
const CohortRow = z.object({ id: z.string(), name: z.string(), pairIds: z.array(z.string()) });
const TriageRow = z.object({
  id: z.string(),
  participantId: z.string(),
  source: z.enum(['ai', 'keywords']),
  markedWrong: z.object({ by: z.string() }).optional(),
});
const CityCount = z.object({ id: z.string(), n: z.number() });

const REGISTERED = { $nin: ['registering', 'declined'] };

/** When and how a pair finished: `endedAt`/`endReason` if stored, else its last state change. */
export function endingOf(doc: PairDoc): PairEnding | undefined {
  if (doc.state !== 'completed' && doc.state !== 'ended') return undefined;
  const change = doc.history.findLast((h) => h.state === doc.state);
  const at = doc.endedAt ?? change?.at ?? doc.createdAt;
  const reason = doc.endReason ?? doc.endedReason;
  return { outcome: doc.state, at, ...(reason ? { reason } : {}) };
}

export class MongoReportSource implements ReportSource {
  constructor(private readonly db: CollectionSource) {}

  private read<T>(
    schema: z.ZodType<T, unknown>,
    name: string,
    filter: mongo.Filter<mongo.Document>,
    projection: mongo.Document,
  ): Promise<T[]> {
    return guard(async () => {
      const docs = await this.db.collection(name).find(filter, { projection }).toArray();
      return fromDocuments(schema, name, docs as { _id: unknown }[]);
    });
  }

  /** The indexes these reads use on MongoDB (FerretDB 1.x filters in Go whatever the index). */
  async ensureIndexes(): Promise<void> {
    await guard(async () => {
      await this.db.collection('meetings').createIndex({ kind: 1, state: 1, at: 1 });
      await this.db.collection('checkins').createIndex({ sentAt: 1 });
      await this.db.collection('counselling_requests').createIndex({ createdAt: 1 });
      await this.db.collection('triages').createIndex({ at: 1 });
    });
  }

  async people(before: Date): Promise<ReportPerson[]> {
    const filter = { role: { $in: ['actor', 'mentor'] }, status: REGISTERED, createdAt: { $lt: before } };
    const projection = { role: 1, status: 1, createdAt: 1, 'actor.city': 1, 'mentor.city': 1, 'mentor.capacity': 1 };
    const rows = await this.read(Person, 'participants', filter, projection);
    return rows.flatMap((p) => {
      const city = (p.actor?.city ?? p.mentor?.city)?.trim();
      if (!city) return [];
      return [
        {
          id: p.id,
          role: p.role,
          city,
          status: p.status,
          registeredAt: p.createdAt,
          ...(p.mentor ? { capacity: p.mentor.capacity } : {}),
        },
      ];
    });
  }

  async pairs(before: Date): Promise<ReportPair[]> {
    const projection = {
      actorId: 1,
      mentorId: 1,
      state: 1,
      createdAt: 1,
      history: 1,
      endedReason: 1,
      endedAt: 1,
      endReason: 1,
      cohortId: 1,
    };
    const rows = await this.read(PairDoc, 'pairs', { createdAt: { $lt: before } }, projection);
    return rows.map((p) => {
      const startedAt = p.history.find((h) => h.state === 'active')?.at;
      const ending = endingOf(p);
      return {
        id: p.id,
        actorId: p.actorId,
        mentorId: p.mentorId,
        state: p.state,
        proposedAt: p.createdAt,
        ...(startedAt ? { startedAt } : {}),
        ...(ending ? { ending } : {}),
        ...(p.cohortId ? { cohortId: p.cohortId } : {}),
      };
    });
  }

  meetingsHeld(from: Date, to: Date) {
    return this.read(PairRef, 'meetings', { kind: 'pair', state: 'held', at: { $gte: from, $lt: to } }, { pairId: 1 });
  }

  groupMeetingsHeld(from: Date, to: Date) {
    return this.read(
      GroupHeld,
      'meetings',
      { kind: 'group', state: 'held', at: { $gte: from, $lt: to } },
      { cohortId: 1, attended: 1 },
    );
  }

  async checkinsSent(from: Date, to: Date) {
    const rows = await this.read(
      CheckinRow,
      'checkins',
      { sentAt: { $gte: from, $lt: to } },
      { participantId: 1, state: 1 },
    );
    return rows.map((c) => ({ participantId: c.participantId, answered: c.state === 'answered' }));
  }

  counsellingMade(from: Date, to: Date) {
    return this.read(
      RequestRow,
      'counselling_requests',
      { createdAt: { $gte: from, $lt: to } },
      { participantId: 1, topic: 1 },
    );
  }

  async pairsWithOpenAlerts(): Promise<string[]> {
    return [...new Set((await this.read(PairRef, 'alerts', { state: 'open' }, { pairId: 1 })).map((a) => a.pairId))];
  }

  cohorts() {
    return this.read(CohortRow, 'cohorts', {}, { name: 1, pairIds: 1 });
  }

  surveysAnswered(from: Date, to: Date) {
    return answeredOutcomes(this.db, { answeredAt: { $gte: from, $lt: to } });
  }

  async triagesRaised(from: Date, to: Date) {
    const rows = await this.read(
      TriageRow,
      'triages',
      { risk: { $in: ['low', 'high'] }, at: { $gte: from, $lt: to } },
      { participantId: 1, source: 1, 'markedWrong.by': 1 },
    );
    return rows.map((x) => ({ participantId: x.participantId, source: x.source, markedWrong: Boolean(x.markedWrong) }));
  }

  async cities(): Promise<string[]> {
    const counts = new Map<string, number>();
    for (const role of ['actor', 'mentor'] as const) {
      const rows = await guard(() =>
        this.db
          .collection('participants')
          .aggregate([{ $match: { role, status: REGISTERED } }, { $group: { _id: `$${role}.city`, n: { $sum: 1 } } }])
          .toArray(),
      );
      for (const r of fromDocuments(
        CityCount,
        'participants',
        rows.filter((r) => typeof r._id === 'string') as { _id: unknown }[],
      )) {
        const city = r.id.trim();
        if (city) counts.set(city, (counts.get(city) ?? 0) + r.n);
      }
    }
    return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
  }
}
