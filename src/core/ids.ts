import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';

/**
 * Ids of the records an inbound event creates. While an event is handled they derive from its id
 * and their order, so handling the same event again (its outcome could not be stored, or a platform
 * redelivered it) creates the same ids, and an insert of an id that exists changes nothing.
 * Outside an event (scheduled jobs) they are random. Never for secrets: codes stay random.
 */
const scope = new AsyncLocalStorage<{ eventId: string; next: number }>();

/** Short ids: URL- and button-safe, 16 characters (96 bits). */
export function newId(): string {
  const event = scope.getStore();
  if (!event) return randomBytes(12).toString('base64url');
  const n = event.next++;
  return createHash('sha256').update(`${event.eventId}#${n}`).digest('base64url').slice(0, 16);
}

/** Runs one handling of an event; ids created inside start again from the first for each handling. */
export function withEventIds<T>(eventId: string, run: () => Promise<T>): Promise<T> {
  return scope.run({ eventId, next: 0 }, run);
}

/** The event being handled, if any: recorded with once-only uses so that a repeat by it still counts as its own. */
export function currentEventId(): string | undefined {
  return scope.getStore()?.eventId;
}
