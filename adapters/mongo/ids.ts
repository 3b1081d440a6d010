import { randomBytes } from 'node:crypto';

/** Short random ids: URL- and button-safe, 16 characters (96 bits). */
export const newId = (): string => randomBytes(12).toString('base64url');

/** Lean documents carry `_id`; the domain calls it `id`. */
export function withId<T>(doc: Record<string, unknown> | null): T | null {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { ...rest, id: String(_id) } as T;
}
