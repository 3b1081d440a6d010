import mongoose from 'mongoose';
import { Telegraf } from 'telegraf';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { FakeTelegram, type FakeUser } from '../test/fakes/telegram-bot-api.ts';
import { ChatDriver, PAUSE, percentile, quietLogger, REGISTRATION, sleep } from './support.ts';

const USERS = 200;
const RATE = 25;
const ROUND_SECONDS = 15;
const ROUNDS = 3;

/** The baseline: bare telegraf with its own polling, one insertOne per update, then a reply. */
async function bareTelegraf(uri: string, fake: FakeTelegram, apiRoot: string) {
  const connection = await mongoose.createConnection(uri, { bufferCommands: false, maxPoolSize: 20 }).asPromise();
  await connection.dropDatabase();
  const updates = connection.db!.collection('updates');
  const bot = new Telegraf(fake.token, { telegram: { apiRoot, webhookReply: false } });
  bot.on(['message', 'callback_query'], async (ctx) => {
    const doc = { _id: ctx.update.update_id as never, chat: ctx.chat?.id, at: new Date(), update: ctx.update };
    await updates.insertOne(doc);
    await ctx.reply('ok');
    if (ctx.callbackQuery) await ctx.answerCbQuery();
  });
  // A reply refused (429 in a burst) is lost, as in a bare bot; telegraf's default would end the process.
  bot.catch(() => undefined);
  await new Promise<void>((ready) => void bot.launch({ dropPendingUpdates: false }, ready));
  return {
    stop: async () => {
      bot.stop('bench');
      await connection.close();
    },
  };
}

async function theApp(uri: string, apiRoot: string, token: string) {
  const env = { TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: apiRoot, HTTP_HOST: '127.0.0.1', HTTP_PORT: '0' };
  const config = loadConfig(env);
  const app = await createApp({ config, logger: quietLogger, mongoUri: uri });
  await app.connection.dropDatabase();
  await app.start();
  return { stop: () => app.stop() };
}

/** Offers `RATE` updates a second for `seconds`, each user in turn (every user once per USERS / RATE s). */
async function offer(driver: ChatDriver, users: FakeUser[], seconds: number, from: number): Promise<number> {
  const t0 = performance.now();
  const total = seconds * RATE;
  for (let i = 0; i < total; i++) {
    const wait = t0 + (i * 1000) / RATE - performance.now();
    if (wait > 0) await sleep(wait);
    void driver.next(users[(from + i) % users.length]!);
  }
  return from + total;
}

async function drain(driver: ChatDriver): Promise<void> {
  for (let t = 0; t < 100 && driver.unanswered; t++) await sleep(100);
}

export async function benchLoad(uri: (name: string) => string): Promise<void> {
  const variants = [
    { name: 'bare telegraf + insertOne', start: bareTelegraf, db: 'bench_load_base', expected: 'ok' },
    {
      name: 'the app',
      start: (u: string, f: FakeTelegram, root: string) => theApp(u, root, f.token),
      db: 'bench_load_app',
    },
  ].map((v) => {
    const fake = new FakeTelegram();
    const bot = undefined as { stop(): Promise<void> } | undefined;
    // One message answers each update, as the baseline's one 'ok' does: the offered 25/s stays below the 30/s
    // limit on sends (registration answers, a pause, then /help; see PAUSE).
    const driver = new ChatDriver(fake, v.expected, [...REGISTRATION, PAUSE]);
    return { ...v, fake, driver, next: 0, bot };
  });
  const user = (i: number) => ({ id: 700_000 + i, first_name: `U${i}`, language_code: 'en' });
  const users = Array.from({ length: USERS }, (_, i) => user(i));
  for (const v of variants) {
    const root = await v.fake.start();
    // Telegram's limit on sends: above it, 429 with retry_after.
    v.fake.globalLimitPerSecond = 30;
    v.bot = await v.start(uri(v.db), v.fake, root);
  }
  try {
    // A short warm-up of each (JIT, connection pools), not counted.
    for (const v of variants) {
      v.next = await offer(v.driver, users, 2, v.next);
      await drain(v.driver);
      v.driver.latencies.length = 0;
    }
    for (let r = 0; r < ROUNDS; r++) {
      for (const v of variants) {
        v.next = await offer(v.driver, users, ROUND_SECONDS, v.next);
        await drain(v.driver);
      }
    }
  } finally {
    for (const v of variants) {
      await v.bot?.stop();
      await v.fake.stop();
    }
  }
  const ms = (x: number) => x.toFixed(1);
  const offered = ROUNDS * ROUND_SECONDS * RATE;
  const [base, app] = variants.map((v) => {
    const l = v.driver.latencies;
    const figures = { p50: percentile(l, 50), p99: percentile(l, 99), n: l.length };
    console.log(
      `load: ${v.name}: ${figures.n} of ${offered} updates answered; reply latency p50 ${ms(figures.p50)} ms, ` +
        `p99 ${ms(figures.p99)} ms, max ${ms(Math.max(...l))} ms; ` +
        `sends ${v.fake.messages.length} (${(v.fake.messages.length / v.next).toFixed(2)} per update offered), ` +
        `429 answers ${v.fake.tooMany}`,
    );
    return figures;
  });
  // The bare bot has no send queue: a stall of this machine makes its replies burst past 30/s, and the ones
  // refused are lost, so its latencies no longer measure a bot keeping pace.
  const comparable = base!.n === offered;
  console.log(
    `load: ${USERS} users, ${RATE} updates/s, ${ROUNDS} interleaved rounds of ${ROUND_SECONDS} s each: ` +
      `p99 ratio app/baseline ${(app!.p99 / base!.p99).toFixed(2)} (target <= 1.5); ` +
      `p50 ratio ${(app!.p50 / base!.p50).toFixed(2)}` +
      (comparable ? '' : `; not comparable: the baseline lost ${offered - base!.n} replies to 429s, run again`),
  );
}
