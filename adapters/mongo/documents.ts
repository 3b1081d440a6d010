import type { Model } from 'mongoose';
import { guard } from './connection.ts';
import { newId, withId } from './ids.ts';

/** Create, read and replace documents whose string `_id` is the domain's `id`. */
export function documents<T extends { id: string }>(model: Model<never>) {
  return {
    create: (doc: Omit<T, 'id'>): Promise<T> =>
      guard(async () => {
        const id = newId();
        await model.collection.insertOne({ ...doc, _id: id as never });
        return { ...doc, id } as T;
      }),
    get: (id: string): Promise<T | null> => guard(async () => withId<T>((await model.findById(id).lean()) as Record<string, unknown> | null)),
    save: (doc: T): Promise<void> =>
      guard(async () => {
        const { id, ...rest } = doc;
        await model.collection.replaceOne({ _id: id as never }, rest);
      }),
  };
}
