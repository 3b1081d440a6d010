import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from '../adapters/mongo/launcher.ts';
import { FakeTelegram } from '../test/fakes/telegram-bot-api.ts';
import { ChatDriver, memoryOf, REGISTRATION, sleep, treeMemory, treeOf } from './support.ts';

const ROOT = resolve(import.meta.dirname, '..');
const PEOPLE = 10_000;
/** The bench stops by itself here, finished or not, and says how far it got. */
const LIMIT_SECONDS = 330;

/** Production's command, `start:prod` in package.json (`node <flags> dist/src/main.js`), run without npm. */
const PRODUCTION = (
  JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts['start:prod']!.split(' ').slice(1);

/** The bot as a process of its own: production's command, or `npm start` (npm, tsx and node) as when developing. */
function startBot(how: 'node' | 'npm', env: Record<string, string>) {
  const [cmd, args] = how === 'node' ? [process.execPath, PRODUCTION] : ['npm', ['start']];
  const fullEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env };
  const child = spawn(cmd, args as string[], { cwd: ROOT, env: fullEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    pid: child.pid!,
    stderr: () => stderr,
    /** The bot itself: the node process that runs main (for npm start, the deepest one of the tree). */
    botPid: () => (how === 'node' ? child.pid! : treeOf(child.pid!).at(-1)!),
    async stop() {
      for (const pid of treeOf(child.pid!).reverse()) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await Promise.race([exited, sleep(10_000)]);
    },
  };
}

async function waitHealthy(port: number, bot: ReturnType<typeof startBot>): Promise<void> {
  for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(200)) {
    if (
      await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
  }
  throw new Error(`the bot did not start: ${bot.stderr()}`);
}

/** RSS right after start, idle, for both ways of running; MB. */
async function idleRss(how: 'node' | 'npm', env: Record<string, string>, port: number) {
  const bot = startBot(how, { ...env, HTTP_PORT: String(port) });
  try {
    await waitHealthy(port, bot);
    await sleep(2_000);
    return { bot: memoryOf(bot.botPid())?.rss ?? Number.NaN, tree: treeMemory(bot.pid) };
  } finally {
    await bot.stop();
  }
}

/**
 * PEOPLE people each start a registration and answer its first questions (REGISTRATION), all at once, against
 * a fake Telegram with no send limit; the bot is a separate process whose memory is read from /proc.
 */
export async function benchRegistrations(uri: (name: string) => string, how: 'node' | 'npm' = 'node'): Promise<void> {
  const t0 = performance.now();
  const tsc = resolve(ROOT, 'node_modules/typescript/bin/tsc');
  if (how === 'node') execFileSync(process.execPath, [tsc, '-p', resolve(ROOT, 'tsconfig.build.json'), '--noCheck']);
  const fake = new FakeTelegram();
  const apiRoot = await fake.start();
  const env = {
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: apiRoot,
    MONGODB_URI: uri('bench_registrations'),
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    // The bot's handling is measured, not Telegram's 30 messages/s (50,000 replies would take 28 minutes).
    TELEGRAM_SENDS_PER_SECOND: '1000',
  };
  for (const way of ['node', 'npm'] as const) {
    const idle = await idleRss(way, env, await freePort());
    const label = way === 'node' ? `node ${PRODUCTION.join(' ')}` : 'npm start';
    console.log(
      `registrations: idle after start, ${label}: bot ${idle.bot.toFixed(0)} MB; ` +
        `process tree ${idle.tree.rss.toFixed(0)} MB in ${idle.tree.processes} processes`,
    );
  }
  const port = await freePort();
  const bot = startBot(how, { ...env, HTTP_PORT: String(port) });
  let peak = { bot: 0, tree: 0 };
  const sampler = setInterval(() => {
    const rss = memoryOf(bot.botPid())?.rss ?? 0;
    peak = { bot: Math.max(peak.bot, rss), tree: Math.max(peak.tree, treeMemory(bot.pid).rss) };
  }, 1_000);
  try {
    await waitHealthy(port, bot);
    const driver = new ChatDriver(fake);
    const deadline = performance.now() + LIMIT_SECONDS * 1000 - (performance.now() - t0);
    let finished = 0;
    const person = (i: number) => ({ id: 800_000 + i, first_name: `R${i}`, language_code: 'en' });
    const people = Array.from({ length: PEOPLE }, (_, i) => person(i));
    const all = Promise.all(
      people.map(async (user) => {
        for (let step = 0; step < REGISTRATION.length; step++) await driver.next(user);
        finished++;
      }),
    );
    const done = await Promise.race([
      all.then(() => true),
      (async () => {
        while (performance.now() < deadline) await sleep(500);
        return false;
      })(),
    ]);
    const seconds = (performance.now() - t0) / 1000;
    const answered = driver.latencies.length;
    const final = memoryOf(bot.botPid());
    const projected = ((seconds * PEOPLE * REGISTRATION.length) / Math.max(answered, 1)).toFixed(0);
    const stopped = done ? '' : ` (stopped at the ${LIMIT_SECONDS} s limit; all at this pace: ${projected} s)`;
    console.log(
      `registrations: ${finished.toLocaleString('en')} of ${PEOPLE.toLocaleString('en')} people through ` +
        `${REGISTRATION.length} steps (${answered.toLocaleString('en')} updates answered) in ${seconds.toFixed(0)} s ` +
        `from the bench's start${stopped} (target < 300 s); ${(answered / seconds).toFixed(0)} updates/s; ` +
        `messages that answered no step ${driver.extras}`,
    );
    console.log(
      `registrations: RSS of the bot (${how === 'node' ? `node ${PRODUCTION.join(' ')}` : 'npm start'}) ` +
        `${final?.rss.toFixed(0)} MB at the end, peak ${final?.peak.toFixed(0)} MB (target <= 250 MB); ` +
        `the whole process tree peaked at ${peak.tree.toFixed(0)} MB`,
    );
  } finally {
    clearInterval(sampler);
    await bot.stop();
    await fake.stop();
  }
}
