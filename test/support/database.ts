import { inject } from 'vitest';
import { connect } from '../../adapters/mongo/connection.ts';
import { ensureIndexes, models } from '../../adapters/mongo/models.ts';

/** A database of its own for one test file (name: letters, digits, _ and -, at most 63). */
export function testDbUri(name: string): string {
  const db = `t_${name.replace(/[^A-Za-z0-9_-]/g, '_')}_${process.pid}_${Date.now().toString(36)}`.slice(0, 63);
  return inject('mongoUriTemplate').replace('__DB__', db);
}

/** `uri`: an existing test database (two instances of the app on one database), else a new one. */
export async function testModels(name: string, uri = testDbUri(name)) {
  const connection = await connect(uri);
  const m = models(connection);
  await ensureIndexes(m);
  return { connection, m };
}
