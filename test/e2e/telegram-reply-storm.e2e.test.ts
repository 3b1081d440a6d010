import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { testDbUri } from '../support/database.ts';
import { L } from '../support/i18n.ts';
import { recordingLogger } from '../support/logger.ts';

const HELP = L('en', 'help:guest');

/** Replies above Telegram's 30 messages a second, through the real telegraf against a fake that enforces it. */
describe('a burst of replies above the platform limit', () => {
  const fake = new FakeTelegram();
  const logger = recordingLogger();
  let app: App;

  beforeAll(async () => {
    const apiRoot = await fake.start();
    fake.globalLimitPerSecond = 30;
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: apiRoot,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    });
    app = await createApp({ config, logger, mongoUri: testDbUri('e2e_tg_reply_storm'), scheduler: false });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await fake.stop();
  });

  it('loses no reply, and answers someone asking once ahead of those with a backlog', async () => {
    const senders: FakeUser[] = Array.from({ length: 60 }, (_, i) => ({ id: 8100 + i, first_name: 'F' }));
    const ordinary: FakeUser = { id: 8099, first_name: 'Sara', language_code: 'en' };
    let last = 0;
    for (let round = 0; round < 3; round++) for (const s of senders) last = fake.sendText(s, '/help');
    // She asks once the storm is stored (polling asked past it), so what is measured is the replies' order.
    const stored = () => fake.calls.some((c) => c.method === 'getUpdates' && Number(c.body.offset) > last);
    while (!stored()) await new Promise((r) => setTimeout(r, 20));
    const flood = () => fake.messages.filter((m) => m.chat_id !== ordinary.id && m.text === HELP);
    const backlog = 180 - flood().length;
    const asked = Date.now();
    fake.sendText(ordinary, '/help');
    const hers = await fake.waitFor(ordinary.id, (m) => m.text === HELP, { timeoutMs: 15_000 });
    const latency = Date.now() - asked;

    const deadline = Date.now() + 20_000;
    const helpsTo = (s: FakeUser) => fake.messagesTo(s.id).filter((m) => m.text === HELP).length;
    const answered = () => senders.filter((s) => helpsTo(s) === 3).length;
    while (answered() < senders.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(answered()).toBe(senders.length);
    expect(app.replies.lost).toBe(0);
    // 180 replies take six seconds at 30 a second; hers did not wait behind those still queued.
    expect(latency).toBeLessThan(1_500);
    expect(backlog).toBeGreaterThan(0);
    expect(flood().filter((m) => m.seq > hers.seq).length).toBeGreaterThanOrEqual(backlog - 45);
    // Every send the limiter let through went out; a 429 (a window edge) would have been retried, not dropped.
    expect(fake.messages.filter((m) => m.text === HELP)).toHaveLength(181);
  }, 45_000);
});
