import { createHash } from 'node:crypto';
import type { mongo } from 'mongoose';
import { z } from 'zod';
import type { DueEvaluation, HealthQueue } from '../../src/core/ports.ts';
import { TimelineEvent } from '../../src/core/programme.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { fromDocument, fromDocuments } from './documents.ts';
import { HourCursor, hourOf } from './hour-cursor.ts';

/**
 * Partitions of the health documents. FerretDB finds a document by `_id` through its index but scans
 * the whole collection for an update, and every read costs more the more collections a database
 * has: 256 partitions keep both small (about 400 pairs each at 100,000 pairs).
 */
const PARTITIONS = 256;
export const partitionOf = (pairId: string) =>
  (createHash('sha1').update(pairId).digest()[0]! % PARTITIONS).toString(16).padStart(2, '0');

/** `health_<partition>`: `_id` = pairId; `v` goes up with each timeline event. */
const HealthDocument = z.object({ v: z.number().int().min(1), events: z.array(TimelineEvent) });
type HealthFields = z.infer<typeof HealthDocument> & { _id: string };

/** Keeps of a pair's timeline only what stall detection reads; given by the composition root. */
export type Compaction = (events: readonly TimelineEvent[]) => TimelineEvent[];

/**
 * The health queue on MongoDB/FerretDB. `health_<partition>` holds each pair's version and compact
 * history, written only when its timeline changes; `evalq_<hour>` holds markers `{v, at}` in the hour
 * an evaluation is due. The job reads only the due hours (HourCursor) and each due pair's health by
 * `_id`, so its cost follows the pairs that are due. A timeline change adds a marker for now and
 * leaves the old one, which is dropped when it comes due with an older version than the pair's.
 */
export class MongoHealthQueue implements HealthQueue {
  private readonly cursor: HourCursor;

  constructor(
    private readonly db: mongo.Db,
    private readonly compact: Compaction,
  ) {
    this.cursor = new HourCursor(
      db,
      'evalq',
      async (hour) => (await this.markers(hour).countDocuments({}, { limit: 1 })) > 0,
    );
  }

  private health(pairId: string) {
    return this.db.collection<HealthFields>(`health_${partitionOf(pairId)}`);
  }
  private markers(hour: string) {
    return this.db.collection<Marker>(`evalq_${hour}`);
  }

  private async healthOf(pairId: string): Promise<z.infer<typeof HealthDocument> | null> {
    const health = this.health(pairId);
    const doc = await health.findOne({ _id: pairId });
    return doc && fromDocument(HealthDocument, health.collectionName, doc);
  }

  noteEvent(event: TimelineEvent): Promise<void> {
    return guard(async () => {
      const doc = await this.healthOf(event.pairId);
      const version = (doc?.v ?? 0) + 1;
      const events = this.compact([...(doc?.events ?? []), event]);
      await this.health(event.pairId).replaceOne({ _id: event.pairId }, { v: version, events }, { upsert: true });
      await this.place(new Map([[hourOf(new Date(event.at)), [marker(event.pairId, version, new Date(event.at))]]]));
    });
  }

  due(now: Date, limit: number): Promise<DueEvaluation[]> {
    return guard(async () => {
      const found: DueEvaluation[] = [];
      await this.cursor.sweep(now, async (hour) => {
        const collection = this.markers(hour);
        const read = await collection
          .find({ at: { $lte: now } })
          .limit(limit - found.length)
          .toArray();
        const markers = fromDocuments(MarkerDocument, collection.collectionName, read);
        const stale: string[] = [];
        for (const m of markers) {
          const doc = await this.healthOf(m.p);
          if (doc && doc.v === m.v) found.push({ pairId: m.p, version: m.v, events: doc.events, hour });
          else stale.push(m.id);
        }
        // Left behind by a newer event, whose own marker stands.
        if (stale.length) await collection.deleteMany({ _id: { $in: stale } });
        return { found: markers.length, enough: found.length >= limit };
      });
      return found;
    });
  }

  /** Drops hours of markers long past and empty, so they do not slow every read down. */
  prune(now: Date): Promise<number> {
    return guard(() => this.cursor.dropEmpty(now));
  }

  /** Moves each evaluated pair's marker to the hour of its next look: one delete and one insert per hour. */
  rescheduleMany(items: readonly { pairId: string; version: number; at: Date | null; hour?: string }[]): Promise<void> {
    return guard(async () => {
      const oldHours = new Map<string, string[]>();
      const newHours = new Map<string, Marker[]>();
      for (const x of items) {
        const next = x.at && marker(x.pairId, x.version, x.at);
        if (x.hour)
          oldHours.set(x.hour, [...(oldHours.get(x.hour) ?? []), marker(x.pairId, x.version, new Date(0))._id]);
        if (next) newHours.set(hourOf(next.at), [...(newHours.get(hourOf(next.at)) ?? []), next]);
      }
      for (const [hour, ids] of oldHours) await this.markers(hour).deleteMany({ _id: { $in: ids } });
      await this.place(newHours);
    });
  }

  /** Inserts markers by hour; one that is already there (same pair and version) stays as it is. */
  private async place(byHour: Map<string, Marker[]>): Promise<void> {
    for (const [hour, markers] of byHour) {
      await insertMissing(this.markers(hour), markers);
      await this.cursor.noted(hour);
    }
  }
}

/** A due evaluation of one version of a pair; the version in `_id` lets a deletion miss a newer marker. */
const MarkerDocument = z.object({ id: z.string(), p: z.string(), v: z.number().int(), at: z.date() });
type Marker = Omit<z.infer<typeof MarkerDocument>, 'id'> & { _id: string };
const marker = (pairId: string, v: number, at: Date): Marker => ({ _id: `${pairId}|${v}`, p: pairId, v, at });

async function insertMissing(collection: mongo.Collection<Marker>, docs: Marker[]): Promise<void> {
  try {
    await collection.insertMany(docs, { ordered: false });
  } catch (err) {
    const errors = (err as { writeErrors?: { code: number }[] }).writeErrors;
    if (!errors || errors.some((e) => !isDuplicateKey(e))) throw err;
  }
}
