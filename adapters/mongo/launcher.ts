import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../../src/core/ports.ts';

const run = promisify(execFile);

export interface DatabaseServer {
  /** Without a database name; add `/<db>` and the options from `uriFor`. */
  readonly kind: 'external' | 'mongod' | 'ferretdb' | 'mongodb-memory-server';
  uriFor(dbName: string): string;
  stop(): Promise<void>;
}

export interface LaunchOptions {
  /** A MongoDB connection string; when set nothing is started. */
  uri?: string;
  /** Where an embedded server keeps its files. */
  dataDir: string;
  /** The project root, to find scripts/build-ferretdb.sh. */
  projectRoot: string;
  logger: Logger;
  /** Where a missing FerretDB binary is built; overrides the user's cache folder. */
  ferretdbBin?: string;
  /** A fixed port for the embedded server (to restart it where clients expect it); default: a free one. */
  port?: number;
  /** FerretDB's garbage collection ratio (Go's GOGC); default 300 (see startFerretDb). */
  gogc?: number;
  /** Called when the embedded server has to be built first (minutes), not when a built one is found. */
  onBuild?: () => void;
}

/** Uses MONGODB_URI if given; else starts mongod, FerretDB or mongodb-memory-server, in that order. */
export async function launchDatabase(opts: LaunchOptions): Promise<DatabaseServer> {
  if (opts.uri) return external(opts.uri);
  const mongod = await which('mongod');
  if (mongod) return startMongod(mongod, opts);
  return startEmbedded(opts);
}

/** FerretDB, or mongodb-memory-server where FerretDB cannot be built. */
export async function startEmbedded(opts: LaunchOptions): Promise<DatabaseServer> {
  try {
    return await startFerretDb(opts);
  } catch (err) {
    opts.logger.warn({ err: (err as Error).message }, 'FerretDB could not start; trying mongodb-memory-server');
  }
  return startMemoryServer(opts);
}

function external(uri: string): DatabaseServer {
  const url = new URL(uri);
  return {
    kind: 'external',
    uriFor(dbName) {
      const copy = new URL(url);
      copy.pathname = `/${dbName}`;
      return copy.toString();
    },
    stop: async () => {},
  };
}

async function which(cmd: string): Promise<string | null> {
  try {
    const { stdout } = await run('sh', ['-c', `command -v ${cmd}`]);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const localUri = (port: number) => (dbName: string) => `mongodb://127.0.0.1:${port}/${dbName}?directConnection=true`;

async function startMongod(bin: string, opts: LaunchOptions): Promise<DatabaseServer> {
  const dir = resolve(opts.dataDir, 'mongod');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const child = spawn(bin, ['--dbpath', dir, '--port', String(port), '--bind_ip', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitForOutput(child, /Waiting for connections|waiting for connections/, 60_000);
  opts.logger.info({ kind: 'mongod', uri: localUri(port)('<db>') }, 'database started');
  return { kind: 'mongod', uriFor: localUri(port), stop: () => stopChild(child) };
}

async function ferretDbBinary(opts: LaunchOptions): Promise<string> {
  const script = join(opts.projectRoot, 'scripts', 'build-ferretdb.sh');
  const env = { ...process.env, ...(opts.ferretdbBin ? { FERRETDB_BIN: opts.ferretdbBin } : {}) };
  // The script prints only the binary's path when it is cached, and its progress on stderr when it builds.
  const child = spawn('bash', [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    opts.logger.info({ line: String(d).trim() }, 'building FerretDB');
    if (/downloading|compiling/.test(String(d))) opts.onBuild?.();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
  const code = await new Promise<number | null>((done) => child.once('close', done)).finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`build-ferretdb.sh failed (${code}): ${stderr.trim().slice(-500)}`);
  const bin = stdout.trim().split('\n').at(-1);
  if (!bin) throw new Error('build-ferretdb.sh printed no binary path');
  return bin;
}

/** FerretDB's garbage collection ratio (see startFerretDb); FERRETDB_GOGC's default in src/config.ts too. */
const FERRETDB_GOGC = 300;

async function startFerretDb(opts: LaunchOptions): Promise<DatabaseServer> {
  const bin = await ferretDbBinary(opts);
  const dir = resolve(opts.dataDir, 'ferretdb');
  mkdirSync(dir, { recursive: true });
  const [port, debugPort] = [opts.port ?? (await freePort()), await freePort()];
  const child = spawn(
    bin,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      '--state-dir=-',
      '--telemetry=disable',
      `--debug-addr=127.0.0.1:${debugPort}`,
      '--log-level=error',
    ],
    // Go collects garbage when its heap doubles (GOGC=100): FerretDB decodes every document it reads into
    // short-lived values, and spent ~14% of its CPU collecting them under load. A larger ratio trades some
    // of its memory for that.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GOGC: String(opts.gogc ?? FERRETDB_GOGC) } },
  );
  await waitForLive(child, `http://127.0.0.1:${debugPort}/debug/livez`, 60_000);
  opts.logger.info({ kind: 'ferretdb', uri: localUri(port)('<db>') }, 'database started');
  return { kind: 'ferretdb', uriFor: localUri(port), stop: () => stopChild(child) };
}

async function startMemoryServer(opts: LaunchOptions): Promise<DatabaseServer> {
  const { MongoMemoryServer } = await import('mongodb-memory-server-core');
  const dir = resolve(opts.dataDir, 'memory-server');
  mkdirSync(dir, { recursive: true });
  const server = await MongoMemoryServer.create({ instance: { dbPath: dir, storageEngine: 'wiredTiger' } });
  const port = Number(new URL(server.getUri()).port);
  opts.logger.info({ kind: 'mongodb-memory-server', uri: localUri(port)('<db>') }, 'database started');
  return {
    kind: 'mongodb-memory-server',
    uriFor: localUri(port),
    stop: async () => void (await server.stop({ doCleanup: false })),
  };
}

/** Rejects if the server exits; silenced afterwards so a later, deliberate stop is no unhandled rejection. */
function exitError(child: ChildProcess, output: () => string): Promise<never> {
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`database exited with ${code}: ${output().slice(-500)}`))),
  );
  exited.catch(() => {});
  return exited;
}

async function waitForLive(child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const deadline = Date.now() + timeoutMs;
  const poll = (async () => {
    while (Date.now() < deadline) {
      try {
        if ((await fetch(url)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`database did not start within ${timeoutMs} ms`);
  })();
  await Promise.race([poll, exitError(child, () => output)]);
}

async function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  let output = '';
  await Promise.race([
    new Promise<void>((ok) => {
      const onData = (d: Buffer) => {
        output += d;
        if (pattern.test(output)) ok();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
    }),
    exitError(child, () => output),
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('database did not start in time')), timeoutMs).unref(),
    ),
  ]);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}
