import { inject } from 'vitest';
import { connect } from '../../adapters/mongo/connection.ts';
import { ensureIndexes, models } from '../../adapters/mongo/models.ts';

/** A database of its own for one test file (name: letters, digits, _ and -, at most 63). */
export function testDbUri(name: string): string {
  const db = `t_${name.replace(/[^A-Za-z0-9_-]/g, '_')}_${process.pid}_${Date.now().toString(36)}`.slice(0, 63);
  return inject('mongoUriTemplate').replace('__DB__', db);
}

export async function testModels(name: string) {
  const connection = await connect(testDbUri(name));
  const m = models(connection);
  await ensureIndexes(m);
  return { connection, m };
}
