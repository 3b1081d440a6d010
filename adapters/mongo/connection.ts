import mongoose, { type Connection } from 'mongoose';
import { StorageUnavailableError } from '../../src/core/errors.ts';

/**
 * Commands are not buffered while the database is away: a call fails at once, so an event
 * is not acknowledged as handled and the platform delivers it again.
 */
export async function connect(uri: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    bufferCommands: false,
    autoIndex: false,
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    maxPoolSize: 20,
  });
  await connection.asPromise();
  return connection;
}

const UNAVAILABLE =
  /^(Mongo(ose)?(Network|NetworkTimeout|ServerSelection|NotConnected|TopologyClosed|PoolCleared|ServerClosed)Error)$/;

export function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (UNAVAILABLE.test(err.name)) return true;
  // mongoose with bufferCommands off: "Cannot call `x.find()` before initial connection is complete" or after close
  return /before initial connection|Connection was force closed|client was closed|connection .* closed/i.test(
    err.message,
  );
}

/** Runs a database call; a lost connection becomes StorageUnavailableError, which callers treat as "try again". */
export async function guard<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isUnavailable(err)) throw new StorageUnavailableError({ cause: err });
    throw err;
  }
}

export const isDuplicateKey = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 11000;
