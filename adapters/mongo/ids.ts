export { newId } from '../../src/core/ids.ts';

/** Lean documents carry `_id`; the domain calls it `id`. */
export function withId<T>(doc: Record<string, unknown> | null): T | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { ...rest, id: String(_id) } as T;
}
