import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type DatabaseServer, launchDatabase } from '../../adapters/mongo/launcher.ts';
import { silentLogger } from './logger.ts';

let server: DatabaseServer | undefined;
let dir: string | undefined;

/** Starts one database server for the whole run (MONGODB_URI, mongod or FerretDB, as in production). */
export async function setup(project: TestProject): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'womento-test-'));
  server = await launchDatabase({
    ...(process.env.MONGODB_URI ? { uri: process.env.MONGODB_URI } : {}),
    dataDir: dir,
    projectRoot: resolve(import.meta.dirname, '../..'),
    logger: silentLogger,
  });
  project.provide('mongoUriTemplate', server.uriFor('__DB__'));
  project.provide('databaseKind', server.kind);
  process.stderr.write(`tests run on database: ${server.kind}\n`);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUriTemplate: string;
    databaseKind: string;
  }
}
