import { readdirSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../adapters/mongo/launcher.ts';
import { ConsoleProcess } from '../support/console-process.ts';
import { testDbUri } from '../support/database.ts';

/** Holds a port as another program would; resolves once listening, or at once if someone else holds it. */
async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => {
    server.once('error', () => resolve());
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return server;
}

/** Processes whose command line mentions `text` (the embedded database started for one data folder). */
function processesWith(text: string): string[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    });
}

describe('the console needs no port, and a busy port is one clear line', () => {
  const held: Server[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'womento-port-'));
  let busy: number;
  beforeAll(async () => {
    held.push(await occupy(3000));
    busy = await freePort();
    held.push(await occupy(busy));
  });
  afterAll(() => {
    for (const s of held) s.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts the console with port 3000 busy: without HTTP_PORT it listens on nothing', async () => {
    const chat = new ConsoleProcess({ MONGODB_URI: testDbUri('console_port_free') });
    await chat.waitFor('→ officer:');
    expect(chat.stderr).not.toMatch(/EADDRINUSE|Health checks/);
    await chat.console('/people', '· officer: officer');
    expect(await chat.close()).toBe(0);
  }, 60_000);

  it('with HTTP_PORT=0 it takes a free port and says which on the banner', async () => {
    const chat = new ConsoleProcess({
      MONGODB_URI: testDbUri('console_port_any'),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    });
    await chat.waitFor('→ officer:');
    await chat.quiet(300);
    const port = /Health checks at http:\/\/127\.0\.0\.1:(\d+)\/healthz/.exec(chat.stderr)?.[1];
    expect(port).toBeDefined();
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await chat.close()).toBe(0);
  }, 60_000);

  it('fails on a busy HTTP_PORT with one line naming it, and leaves no database running', async () => {
    // The embedded database, so the test sees that its process is stopped too.
    const chat = new ConsoleProcess({ DATA_DIR: dataDir, HTTP_HOST: '0.0.0.0', HTTP_PORT: String(busy) });
    expect(await chat.exited).toBe(1);
    const lines = chat.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('womento-bot: a local chat') && !/^(Type a number|everyone|Starting)/.test(l));
    expect(lines).toEqual([
      `womento-bot failed to start: port ${busy} is in use; stop what uses it, or set HTTP_PORT to a free port`,
    ]);
    expect(chat.stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
    expect(processesWith(join(dataDir, 'ferretdb'))).toEqual([]);
  }, 120_000);

  it('fails the same way with a Telegram token (any mode)', async () => {
    const chat = new ConsoleProcess({
      MONGODB_URI: testDbUri('telegram_port_busy'),
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
      HTTP_PORT: String(busy),
    });
    expect(await chat.exited).toBe(1);
    expect(chat.stderr.trim()).toBe(
      `womento-bot failed to start: port ${busy} is in use; stop what uses it, or set HTTP_PORT to a free port`,
    );
  }, 60_000);
});
