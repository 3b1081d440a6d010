import { execFile, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../adapters/mongo/launcher.ts';
import { FakeTelegram } from '../fakes/telegram-bot-api.ts';
import { testDbUri } from '../support/database.ts';
import { L } from '../support/i18n.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** Runs `src/main.ts` as `npm start` would (or a compiled main.js with plain node), with the given environment. */
function start(env: Record<string, string>, main = resolve(ROOT, 'src/main.ts')) {
  const args = main.endsWith('.ts') ? ['--import', 'tsx', main] : [main];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exited, stderr: () => stderr };
}

describe('the process', () => {
  const fake = new FakeTelegram();
  let apiRoot: string;
  beforeAll(async () => {
    apiRoot = await fake.start();
  });
  afterAll(() => fake.stop());

  it('refuses to start on bad settings, one line per problem, without echoing secrets', async () => {
    const p = start({ TELEGRAM_BOT_TOKEN: 'not-a-token-secret', HTTP_PORT: 'eighty', LOG_LEVEL: 'silent' });
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/TELEGRAM_BOT_TOKEN: expected a token from BotFather/);
    expect(p.stderr()).toMatch(/HTTP_PORT: expected a port number/);
    expect(p.stderr()).not.toContain('not-a-token-secret');
  }, 30_000);

  it('starts, answers /healthz and /readyz, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const p = start({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: apiRoot,
      MONGODB_URI: testDbUri('process'),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    const deadline = Date.now() + 30_000;
    let ready = false;
    while (!ready && Date.now() < deadline) {
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((r) => setTimeout(r, 200));
    }
    expect(ready).toBe(true);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    while (!fake.calls.some((c) => c.method === 'getUpdates') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(fake.calls.some((c) => c.method === 'getUpdates')).toBe(true);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 60_000);

  it('builds to JavaScript that plain node starts: it finds its locales and answers', async () => {
    // Inside the project, so the compiled files resolve node_modules and package.json as dist/ does;
    // type checking is `tsc --noEmit`'s job, so this build skips it to stay quick.
    const outDir = resolve(ROOT, 'node_modules/.cache', `womento-build-${process.pid}`);
    try {
      const tsc = resolve(ROOT, 'node_modules/typescript/bin/tsc');
      const config = resolve(ROOT, 'tsconfig.build.json');
      await promisify(execFile)(process.execPath, [tsc, '-p', config, '--noCheck', '--outDir', outDir]);
      const port = await freePort();
      const env = {
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: apiRoot,
        MONGODB_URI: testDbUri('process_built'),
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        LOG_LEVEL: 'warn',
      };
      const p = start(env, resolve(outDir, 'src/main.js'));
      const deadline = Date.now() + 30_000;
      let healthy = false;
      while (!healthy && Date.now() < deadline && p.child.exitCode === null) {
        healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (!healthy) await new Promise((r) => setTimeout(r, 200));
      }
      expect(healthy, p.stderr()).toBe(true);
      const user = { id: 7001, first_name: 'Built', language_code: 'en' };
      await fake.reply(user, () => fake.sendText(user, '/start'), L('en', 'registration:consent.ask'));
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  }, 90_000);
});
