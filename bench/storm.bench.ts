import { t } from '../src/core/flow.ts';
import { createApp, PROJECT_ROOT } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { createTranslator, loadResources } from '../src/engine/i18n.ts';
import { FakeTelegram, type FakeUser } from '../test/fakes/telegram-bot-api.ts';
import { silentLogger } from '../test/support/logger.ts';
import { join } from 'node:path';

const PROBES = 20;
const LIMIT = 30;
/** The bench stops by itself: the storm's replies take 170 s at 30 a second, more where the database is slow. */
const STORM_DEADLINE_MS = 300_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

/**
 * An ordinary person's /help while 500 others send 5,000 updates at once, through the real app
 * and telegraf against a fake Telegram that allows 30 messages a second and answers 429 above it.
 */
export async function benchStorm(uri: string, SENDERS = 500, PER_SENDER = 10): Promise<void> {
  const fake = new FakeTelegram();
  const apiRoot = await fake.start();
  fake.globalLimitPerSecond = LIMIT;
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: apiRoot,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
  });
  const app = await createApp({ config, logger: silentLogger, mongoUri: uri, scheduler: false });
  await app.connection.dropDatabase();
  await app.start();
  const help = createTranslator(loadResources(join(PROJECT_ROOT, 'locales'))).render(t('help:guest'), 'en');
  const ordinary: FakeUser = { id: 7_000_001, first_name: 'Sara', language_code: 'en' };

  const helpsTo = (chatId: number) => fake.messagesTo(chatId).filter((m) => m.text === help);
  /**
   * Her /help every `gapMs` (over a second: her chat's own window), without waiting for answers;
   * her answers come in order, so the k-th after `since` answers the k-th probe.
   */
  const probes = async (n: number, gapMs: number) => {
    const since = fake.mark;
    const sentAt: number[] = [];
    for (let i = 0; i < n; i++) {
      sentAt.push(performance.now());
      fake.sendText(ordinary, '/help');
      await sleep(gapMs);
    }
    return { sentAt, since };
  };
  const arrivals = new Map<number, number>();
  const watch = setInterval(() => {
    for (const m of helpsTo(ordinary.id)) if (!arrivals.has(m.seq)) arrivals.set(m.seq, performance.now());
  }, 5);
  const latencies = ({ sentAt, since }: { sentAt: number[]; since: number }) => {
    const answers = [...arrivals].filter(([seq]) => seq > since).sort((a, b) => a[0] - b[0]);
    return sentAt.flatMap((t0, k) => (answers[k] ? [answers[k][1] - t0] : []));
  };

  const beforeRun = await probes(PROBES, 1_100);
  await sleep(1_000);
  const before = latencies(beforeRun);

  const senders: FakeUser[] = Array.from({ length: SENDERS }, (_, i) => ({ id: 7_100_000 + i, first_name: 'F' }));
  const stormStart = performance.now();
  let lastStorm = 0;
  const updatesOf = new Map<number, number[]>(senders.map((s) => [s.id, []]));
  for (let round = 0; round < PER_SENDER; round++) {
    for (const s of senders) {
      lastStorm = fake.sendText(s, '/help');
      updatesOf.get(s.id)!.push(lastStorm);
    }
  }
  // When polling asked past the storm's last update, every one of them was stored (ingestion, not sending).
  let acked: number | undefined;
  const ackWatch = setInterval(() => {
    const past = fake.calls.some((c) => c.method === 'getUpdates' && Number(c.body.offset) > lastStorm);
    if (past && acked === undefined) acked = (performance.now() - stormStart) / 1000;
  }, 100);
  const floodAnswered = () => fake.messages.filter((m) => m.chat_id !== ordinary.id && m.text === help).length;
  const expected = SENDERS * PER_SENDER;
  const duringRun = await probes(PROBES, 2_000);
  const done = () => floodAnswered() >= expected && latencies(duringRun).length === PROBES;
  while (!done() && performance.now() - stormStart < STORM_DEADLINE_MS) await sleep(250);
  const stormSeconds = (performance.now() - stormStart) / 1000;
  clearInterval(watch);
  clearInterval(ackWatch);
  const answered = latencies(duringRun);
  // Stopping waits for the events in hand and their queued replies; what polling acknowledged was stored,
  // so each of those updates must have its reply. Updates never fetched are still Telegram's, not lost.
  await app.stop();
  const polls = fake.calls.filter((c) => c.method === 'getUpdates');
  const offset = Math.max(0, ...polls.map((c) => Number(c.body.offset ?? 0)));
  let lost = 0;
  let unfetched = 0;
  for (const s of senders) {
    const stored = updatesOf.get(s.id)!.filter((id) => id < offset).length;
    unfetched += PER_SENDER - stored;
    lost += Math.max(0, stored - helpsTo(s.id).length);
  }
  const f = (ms: number) => (Number.isNaN(ms) ? 'n/a' : `${ms.toFixed(0)} ms`);
  console.log(`storm: ${SENDERS} senders x ${PER_SENDER} /help + one ordinary person; Telegram allows ${LIMIT}/s`);
  const beforeLine = `p50 ${f(quantile(before, 0.5))}  p99 ${f(quantile(before, 0.99))}`;
  console.log(`storm: before  ${beforeLine}  (${before.length} of ${PROBES} answered)`);
  const duringLine = `p50 ${f(quantile(answered, 0.5))}  p99 ${f(quantile(answered, 0.99))}`;
  console.log(`storm: during  ${duringLine}  (${answered.length} of ${PROBES} answered)`);
  const ratio = (q: number) => (quantile(answered, q) / quantile(before, q)).toFixed(1);
  console.log(`storm: latency during/before  p50 x${ratio(0.5)}  p99 x${ratio(0.99)}`);
  const rate = (floodAnswered() / stormSeconds).toFixed(1);
  console.log(`storm: ${floodAnswered()} of ${expected} storm replies in ${stormSeconds.toFixed(1)} s = ${rate} msg/s`);
  console.log(`storm: storm updates acknowledged after ${acked === undefined ? '-' : `${acked.toFixed(1)} s`}`);
  console.log(`storm: replies refused (429 from the fake) ${fake.tooMany}; replies lost ${lost} (target 0)`);
  console.log(`storm: updates not yet fetched at the deadline ${unfetched} (unacknowledged: Telegram keeps them)`);
  console.log(`storm: replies the sender gave up ${app.replies.lost}`);
  await fake.stop();
}
