import type { mongo } from 'mongoose';
import { z } from 'zod';
import { isDuplicateKey } from './connection.ts';
import { fromDocument, fromDocuments } from './documents.ts';

/** `2026120315`: a UTC hour, the name suffix of an hour's collection. */
export const hourOf = (d: Date): string => d.toISOString().slice(0, 13).replace(/[-T]/g, '');

export const hourAfter = (hour: string): string => {
  const d = new Date(`${hour.slice(0, 4)}-${hour.slice(4, 6)}-${hour.slice(6, 8)}T${hour.slice(8, 10)}:00:00Z`);
  return hourOf(new Date(d.getTime() + 3_600_000));
};

export async function ignoreDuplicate(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

const Hour = z.string().regex(/^\d{10}$/);
/** `{_id: 'cursor', hour}`: the oldest hour that may hold pending work. */
const CursorDocument = z.object({ hour: Hour });
type CursorFields = z.infer<typeof CursorDocument> & { _id: string };
/** `{_id: <hour>}`: an hour before the cursor that was given work late. */
const LateDocument = z.object({ id: Hour });
interface LateFields {
  _id: string;
}

/**
 * Which hours of an hour-partitioned store a sweep must read. FerretDB scans a whole collection
 * for any query, so work is filed in one collection per hour it falls due, and a sweep reads only
 * the hours from a cursor (the oldest hour that may hold pending work) up to now.
 *
 * Hours before the cursor receive work only when a writer's clock is behind or an hour just turned:
 * such an hour is marked "late" (an insert) and read too. The sweeper moves the cursor first and
 * checks the passed hours again after, so work stored meanwhile is found either by that check or
 * by its writer, who then sees the new cursor.
 */
export class HourCursor {
  private readonly meta: mongo.Collection<CursorFields>;
  private readonly late: mongo.Collection<LateFields>;

  constructor(
    private readonly db: mongo.Db,
    private readonly name: string,
    private readonly hasPending: (hour: string) => Promise<boolean>,
  ) {
    this.meta = db.collection<CursorFields>(`${name}_meta`);
    this.late = db.collection<LateFields>(`${name}_late`);
  }

  private async cursor(): Promise<string | null> {
    const doc = await this.meta.findOne({ _id: 'cursor' });
    return doc && fromDocument(CursorDocument, this.meta.collectionName, doc).hour;
  }

  /** Call after storing work in `hour`. */
  async noted(hour: string): Promise<void> {
    let cursor = await this.cursor();
    if (cursor === null) {
      await ignoreDuplicate(this.meta.insertOne({ _id: 'cursor', hour }));
      cursor = await this.cursor();
    }
    if (cursor !== null && hour < cursor) await ignoreDuplicate(this.late.insertOne({ _id: hour }));
  }

  /**
   * Visits the hours to read, oldest first, until `visit` says enough; hours found finished are
   * passed by the cursor (or lose their "late" mark).
   */
  async sweep(now: Date, visit: (hour: string) => Promise<{ found: number; enough: boolean }>): Promise<void> {
    const current = hourOf(now);
    const cursor = (await this.cursor()) ?? current;
    const late = (await this.lateHours()).filter((h) => h < cursor).sort();
    const hours = [...late];
    for (let h = cursor; h <= current; h = hourAfter(h)) hours.push(h);
    let advanceTo = cursor;
    let advancing = true;
    // An hour that never got a collection holds no work: passed without a read. After a long pause (or a
    // clock moved forward by days) a sweep then costs what the hours with work cost, not three reads an hour.
    const existing = hours.length > 2 ? await this.hoursWithCollections() : undefined;
    for (const hour of hours) {
      if (existing && !existing.has(hour) && hour >= cursor && hour < current) {
        if (advancing) advanceTo = hourAfter(hour);
        continue;
      }
      const { found, enough } = await visit(hour);
      const done = hour < current && !found && !(await this.hasPending(hour));
      if (hour < cursor) {
        if (done) await this.settleLate(hour);
      } else if (advancing && done) {
        advanceTo = hourAfter(hour);
      } else {
        advancing = false;
      }
      if (enough) break;
    }
    if (advanceTo > cursor) await this.advance(cursor, advanceTo);
  }

  /**
   * Drops the hour collections that are empty and at least `keepHours` behind both `now` and the
   * cursor. Every read on FerretDB costs more the more collections its database has, so finished
   * hours must not pile up (8,760 a year). Writers never write that far back, so no write is lost.
   */
  async dropEmpty(now: Date, keepHours = 48): Promise<number> {
    const cursor = await this.cursor();
    const before = hourOf(new Date(now.getTime() - keepHours * 3_600_000));
    const late = new Set(await this.lateHours());
    const prefix = `${this.name}_`;
    let dropped = 0;
    for (const { name } of await this.db.listCollections({}, { nameOnly: true }).toArray()) {
      const hour = name.startsWith(prefix) ? name.slice(prefix.length) : '';
      if (!/^\d{10}$/.test(hour) || hour >= before || (cursor !== null && hour >= cursor) || late.has(hour)) continue;
      if ((await this.db.collection(name).countDocuments({}, { limit: 1 })) > 0) continue;
      await this.db
        .collection(name)
        .drop()
        .catch(() => undefined);
      dropped++;
    }
    return dropped;
  }

  private async lateHours(): Promise<string[]> {
    return fromDocuments(LateDocument, this.late.collectionName, await this.late.find().toArray()).map((d) => d.id);
  }

  private async advance(from: string, to: string): Promise<void> {
    await this.meta.updateOne({ _id: 'cursor' }, { $set: { hour: to } });
    // Listed after the cursor moved: a writer who made an hour's collection before this list is seen here,
    // one who made it after reads the new cursor and marks the hour late itself.
    const existing = await this.hoursWithCollections();
    for (let h = from; h < to; h = hourAfter(h)) {
      if (existing.has(h) && (await this.hasPending(h))) await ignoreDuplicate(this.late.insertOne({ _id: h }));
    }
  }

  private async hoursWithCollections(): Promise<Set<string>> {
    const prefix = `${this.name}_`;
    const names = await this.db.listCollections({}, { nameOnly: true }).toArray();
    return new Set(
      names
        .map((c) => c.name)
        .filter((n) => n.startsWith(prefix) && /^\d{10}$/.test(n.slice(prefix.length)))
        .map((n) => n.slice(prefix.length)),
    );
  }

  private async settleLate(hour: string): Promise<void> {
    await this.late.deleteOne({ _id: hour });
    if (await this.hasPending(hour)) await ignoreDuplicate(this.late.insertOne({ _id: hour }));
  }
}
