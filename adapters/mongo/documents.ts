import type { mongo } from 'mongoose';
import type { z } from 'zod';
import { CorruptDocumentError } from '../../src/core/errors.ts';
import type { RecordStore } from '../../src/core/ports.ts';
import { guard, isDuplicateKey } from './connection.ts';
import { newId } from './ids.ts';

/** A domain record as stored: the domain's `id` is the document's `_id`. */
export type Stored<T extends { id: string }> = Omit<T, 'id'> & { _id: string };

/** Any document whose `_id` is a string: what the generic store needs of its collection's type. */
export interface KeyedDocument {
  _id: string;
}

/** A mongoose connection or a driver's database: collections typed by what their documents hold. */
export interface CollectionSource {
  collection<D extends mongo.Document>(name: string): mongo.Collection<D>;
}

/** What a collection's documents should hold; every read is checked against it. */
export type DocumentSchema<T> = z.ZodType<T, unknown>;

/** `field.path: problem; ...`, the first few problems only: the message goes into one log line. */
function summary(error: z.ZodError): string {
  const shown = error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join('.') : '(document)'}: ${i.message}`);
  const more = error.issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/**
 * The domain value of a document, its `_id` given as `id` (a schema without `id` drops it): a document
 * that does not fit is a CorruptDocumentError naming the collection and the id.
 */
export function fromDocument<T>(schema: DocumentSchema<T>, collection: string, doc: { _id: unknown }): T {
  const { _id, ...rest } = doc;
  const parsed = schema.safeParse({ ...rest, id: String(_id) });
  if (parsed.success) return parsed.data;
  throw new CorruptDocumentError(collection, String(_id), summary(parsed.error), { cause: parsed.error });
}

/** The same for many documents of one collection. */
export function fromDocuments<T>(
  schema: DocumentSchema<T>,
  collection: string,
  docs: readonly { _id: unknown }[],
): T[] {
  return docs.map((d) => fromDocument(schema, collection, d));
}

/**
 * Documents of one kind in their own collection, `_id` = the domain's `id`: the store behind the
 * repositories (pairs, meetings, cohorts, alerts, check-ins) and the plain record stores.
 */
export class MongoDocuments<T extends { id: string }> implements RecordStore<T> {
  protected readonly collection: mongo.Collection<KeyedDocument>;

  constructor(
    source: CollectionSource,
    name: string,
    protected readonly schema: DocumentSchema<T>,
  ) {
    this.collection = source.collection<KeyedDocument>(name);
  }

  protected parse(doc: { _id: unknown }): T {
    return fromDocument(this.schema, this.collection.collectionName, doc);
  }

  protected parseAll(docs: readonly { _id: unknown }[]): T[] {
    return fromDocuments(this.schema, this.collection.collectionName, docs);
  }

  /** Inside an event the id derives from it: the same event handled again finds its record made already. */
  create(doc: Omit<T, 'id'>): Promise<T> {
    return guard(async () => {
      const id = newId();
      try {
        await this.collection.insertOne({ ...doc, _id: id });
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
        await this.collection.insertOne({ ...rest, _id: id });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    });
  }

  get(id: string): Promise<T | null> {
    return guard(async () => {
      const doc = await this.collection.findOne({ _id: id });
      return doc && this.parse(doc);
    });
  }

  save(doc: T): Promise<void> {
    return guard(async () => {
      const { id, ...rest } = doc;
      await this.collection.replaceOne({ _id: id }, rest, { upsert: true });
    });
  }

  delete(id: string): Promise<void> {
    return guard(async () => {
      await this.collection.deleteOne({ _id: id });
    });
  }

  find(filter: Record<string, string | number | boolean>): Promise<T[]> {
    return guard(async () => this.parseAll(await this.collection.find(filter).toArray()));
  }
}
