import { createHash } from 'node:crypto';
import type { mongo } from 'mongoose';
import type { DueEvaluation, HealthQueue } from '../../src/core/ports.ts';
import type { TimelineEvent } from '../../src/core/programme.ts';
import { guard } from './connection.ts';
import { HourCursor, hourOf } from './hour-cursor.ts';
import { isDuplicateKey } from './connection.ts';

/** Partitions of the health documents; a lookup by pair reads one of them. */
const PARTITIONS = 4096;
export const partitionOf = (pairId: string) => (createHash('sha1').update(pairId).digest().readUInt16BE(0) % PARTITIONS).toString(16).padStart(3, '0');

/** What stall detection reads: the first activation and commitment, the last meeting, each side's last two check-ins. */
export function compact(events: readonly TimelineEvent[]): TimelineEvent[] {
  const keep = new Set<TimelineEvent>();
  const first = (type: string) => events.find((e) => e.type === type);
  const last = (type: string) => events.filter((e) => e.type === type).at(-1);
  for (const e of [first('activated'), first('commitment_set'), last('meeting_held'), last('ended')]) if (e) keep.add(e);
  const checkins = new Map<string, TimelineEvent[]>();
  for (const e of events) {
    if (e.type === 'checkin_answered' || e.type === 'checkin_missed') {
      const who = String(e.data?.participantId ?? e.by);
      checkins.set(who, [...(checkins.get(who) ?? []), e].slice(-2));
    }
    if (e.type === 'member_unreachable') keep.add(e);
  }
  for (const list of checkins.values()) for (const e of list) keep.add(e);
  return events.filter((e) => keep.has(e));
}

/**
 * The health queue on MongoDB/FerretDB: `evalq_<hour>` holds one marker per pair, in the hour its
 * evaluation is due, with the pair's compact history; `health_<partition>` keeps each pair's version
 * and where its marker is (partitioned by a hash of the pair id, so a lookup reads ~1/1024 of the
 * pairs). The job reads only the due hours (HourCursor) and one small partition per due pair, so its
 * cost follows the pairs that are due. A marker whose version is older than the pair's is dropped.
 */
export class MongoHealthQueue implements HealthQueue {
  private readonly cursor: HourCursor;

  constructor(private readonly db: mongo.Db) {
    this.cursor = new HourCursor(db, 'evalq', async (hour) => (await this.markers(hour).countDocuments({}, { limit: 1 })) > 0);
  }

  private health(pairId: string) {
    return this.db.collection(`health_${partitionOf(pairId)}`);
  }
  private markers(hour: string) {
    return this.db.collection(`evalq_${hour}`);
  }

  private async mark(pairId: string, version: number, at: Date, events: TimelineEvent[]): Promise<string> {
    const hour = hourOf(at);
    await this.markers(hour).replaceOne({ _id: pairId as never }, { v: version, at, events }, { upsert: true });
    await this.cursor.noted(hour);
    return hour;
  }

  noteEvent(event: TimelineEvent): Promise<void> {
    return guard(async () => {
      const health = this.health(event.pairId);
      const doc = await health.findOne({ _id: event.pairId as never });
      const version = ((doc?.v as number | undefined) ?? 0) + 1;
      // The compact history travels with the pair's current marker; health documents stay tiny, so the
      // evaluation's version checks read little.
      const previous = doc?.hour ? await this.markers(String(doc.hour)).findOne({ _id: event.pairId as never }) : null;
      const events = compact([...((previous?.events ?? doc?.events ?? []) as TimelineEvent[]), event]);
      if (doc?.hour) await this.markers(String(doc.hour)).deleteOne({ _id: event.pairId as never });
      const hour = await this.mark(event.pairId, version, new Date(event.at), events);
      await health.replaceOne({ _id: event.pairId as never }, { v: version, hour }, { upsert: true });
    });
  }

  due(now: Date, limit: number): Promise<DueEvaluation[]> {
    return guard(async () => {
      const found: DueEvaluation[] = [];
      await this.cursor.sweep(now, async (hour) => {
        const markers = await this.markers(hour).find({ at: { $lte: now } }).limit(limit - found.length).toArray();
        const byPartition = new Map<string, { id: string; v: number; events: TimelineEvent[] }[]>();
        for (const m of markers) {
          const p = partitionOf(String(m._id));
          byPartition.set(p, [...(byPartition.get(p) ?? []), { id: String(m._id), v: m.v as number, events: m.events as TimelineEvent[] }]);
        }
        for (const [partition, list] of byPartition) {
          const docs = await this.db.collection(`health_${partition}`).find({ _id: { $in: list.map((x) => x.id) as never[] } }).toArray();
          const current = new Map(docs.map((d) => [String(d._id), d.v as number]));
          for (const x of list) {
            // A marker left behind by a newer event is dropped; the newer marker stands.
            if (current.get(x.id) !== x.v) await this.markers(hour).deleteOne({ _id: x.id as never, v: x.v });
            else found.push({ pairId: x.id, version: x.v, events: x.events, hour });
          }
        }
        return { found: markers.length, enough: found.length >= limit };
      });
      return found;
    });
  }

  /** Moves each evaluated pair's marker to the hour of its next look: one delete and one insert per hour. */
  rescheduleMany(items: readonly { pairId: string; version: number; at: Date | null; hour?: string; events?: TimelineEvent[] }[]): Promise<void> {
    return guard(async () => {
      const oldHours = new Map<string, string[]>();
      const newHours = new Map<string, { _id: string; v: number; at: Date; events: TimelineEvent[] }[]>();
      for (const x of items) {
        if (x.hour) oldHours.set(x.hour, [...(oldHours.get(x.hour) ?? []), x.pairId]);
        if (x.at) newHours.set(hourOf(x.at), [...(newHours.get(hourOf(x.at)) ?? []), { _id: x.pairId, v: x.version, at: x.at, events: x.events ?? [] }]);
      }
      for (const [hour, ids] of oldHours) await this.markers(hour).deleteMany({ _id: { $in: ids as never[] } });
      for (const [hour, markers] of newHours) {
        const taken = await insertNew(this.markers(hour), markers);
        // The pair already has a marker in that hour: keep whichever is newer.
        for (const m of taken) await this.markers(hour).replaceOne({ _id: m._id as never, v: { $lt: m.v } }, { v: m.v, at: m.at, events: m.events });
        await this.cursor.noted(hour);
      }
      // The pointer to the current marker, for the next event's history; only if no newer event came.
      for (const x of items) await this.health(x.pairId).updateOne({ _id: x.pairId as never, v: x.version }, { $set: { hour: x.at ? hourOf(x.at) : null } });
    });
  }
}

/** Inserts the markers; returns those whose pair already had one there. */
async function insertNew<T extends { _id: string }>(collection: mongo.Collection<mongo.Document>, docs: T[]): Promise<T[]> {
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return [];
  } catch (err) {
    const errors = (err as { writeErrors?: { index: number; code: number }[] }).writeErrors;
    if (!errors || errors.some((e) => !isDuplicateKey(e))) throw err;
    return errors.map((e) => docs[e.index]!);
  }
}
