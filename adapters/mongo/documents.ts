import type { mongo } from 'mongoose';
import type { RecordStore } from '../../src/core/ports.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { newId, withId } from './ids.ts';

/**
 * Documents of one kind in their own collection, `_id` = the domain's `id`: the store behind the
 * repositories (pairs, meetings, cohorts, alerts, check-ins) and the plain record stores.
 */
export class MongoDocuments<T extends { id: string }> implements RecordStore<T> {
  constructor(private readonly collection: mongo.Collection<mongo.Document>) {}

  /** Inside an event the id derives from it: the same event handled again finds its record made already. */
  create(doc: Omit<T, 'id'>): Promise<T> {
    return guard(async () => {
      const id = newId();
      try {
        await this.collection.insertOne({ ...doc, _id: id as never });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      return { ...doc, id } as T;
    });
  }

  insert(doc: T): Promise<boolean> {
    return guard(async () => {
      const { id, ...rest } = doc;
      try {
        await this.collection.insertOne({ ...rest, _id: id as never });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
  }

  get(id: string): Promise<T | null> {
    return guard(async () => withId<T>(await this.collection.findOne({ _id: id as never })));
  }

  save(doc: T): Promise<void> {
    return guard(async () => {
      const { id, ...rest } = doc;
      await this.collection.replaceOne({ _id: id as never }, rest, { upsert: true });
    });
  }

  delete(id: string): Promise<void> {
    return guard(async () => {
      await this.collection.deleteOne({ _id: id as never });
    });
  }

  find(filter: Record<string, string | number | boolean>): Promise<T[]> {
    return guard(async () => (await this.collection.find(filter).toArray()).map((d) => withId<T>(d)!));
  }
}
