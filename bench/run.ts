/**
 * Benchmarks of the delivery path and matching. Each prints its figure as a ratio against a
 * baseline measured in the same run, so the numbers compare across machines:
 *   npm run bench            (all)
 *   npm run bench -- sweep|dispatch|dispatch3000|matching|evaluation|storm|queries|load|capacity|registrations
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchDatabase } from '../adapters/mongo/launcher.ts';
import { silentLogger } from '../test/support/logger.ts';
import { benchCapacity } from './capacity.bench.ts';
import { benchDispatch } from './dispatch.bench.ts';
import { benchEvaluation } from './evaluation.bench.ts';
import { benchLoad } from './load.bench.ts';
import { benchMatching } from './matching.bench.ts';
import { benchStorm } from './storm.bench.ts';
import { benchQueries } from './queries.bench.ts';
import { benchRegistrations } from './registrations.bench.ts';
import { benchSweep } from './sweep.bench.ts';

const only = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), 'womento-bench-'));
// FERRETDB_BIN: another FerretDB build to measure with (a patched one, say); default: scripts/build-ferretdb.sh's.
const db = await launchDatabase({
  ...(process.env.MONGODB_URI ? { uri: process.env.MONGODB_URI } : {}),
  ...(process.env.FERRETDB_BIN ? { ferretdbBin: process.env.FERRETDB_BIN } : {}),
  dataDir: dir,
  projectRoot: resolve(import.meta.dirname, '..'),
  logger: silentLogger,
});
console.log(`database: ${db.kind}${process.env.FERRETDB_BIN ? ` (${process.env.FERRETDB_BIN})` : ''}`);
try {
  if (!only || only === 'matching') await benchMatching();
  if (!only || only === 'sweep') await benchSweep(db.uriFor('bench_sweep'));
  if (!only || only === 'dispatch') await benchDispatch(db.uriFor('bench_dispatch'));
  if (!only || only === 'dispatch3000') await benchDispatch(db.uriFor('bench_dispatch3000'), 3000, 3_600_000);
  if (!only || only === 'evaluation') await benchEvaluation(db.uriFor('bench_evaluation'));
  // `npm run bench -- storm [senders] [updates per sender]`: 500 x 10 unless told.
  const storm = process.argv
    .slice(3)
    .map(Number)
    .filter((n) => n > 0);
  if (!only || only === 'storm') await benchStorm(db.uriFor('bench_storm'), ...(storm as [number?, number?]));
  if (!only || only === 'queries') await benchQueries((name) => db.uriFor(name));
  if (!only || only === 'load') await benchLoad((name) => db.uriFor(name));
  if (!only || only === 'capacity') await benchCapacity((name) => db.uriFor(name));
  // `registrations npm` runs the bot under `npm start` instead of compiled, to compare memory under load.
  const how = process.argv[3] === 'npm' ? 'npm' : 'node';
  if (!only || only === 'registrations') await benchRegistrations((name) => db.uriFor(name), how);
} finally {
  await db.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
