import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TelegramAdapter } from '../../adapters/telegram/telegram.adapter.ts';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { InboundEvent } from '../../src/core/messages.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { testDbUri } from '../support/database.ts';
import { L } from '../support/i18n.ts';
import { recordingLogger } from '../support/logger.ts';

const SECRET_WORDS = 'my private words';
const from = (id: number) => ({ id, is_bot: false, first_name: 'Noor' });
const chat = (id: number) => ({ id, type: 'private' });

/** Shapes the Bot API does not send, but a broken or hostile relay could. */
const MALFORMED: [string, Record<string, unknown>][] = [
  ['a null message', { message: null }],
  ['a message without from', { message: { message_id: 1, date: 0, chat: chat(7101), text: SECRET_WORDS } }],
  ['a message without chat', { message: { message_id: 2, date: 0, from: from(7101), text: SECRET_WORDS } }],
  [
    'a message with a numeric text',
    { message: { message_id: 3, date: 0, chat: chat(7101), from: from(7101), text: 42 } },
  ],
  [
    'a press without from',
    { callback_query: { id: 'q1', data: 'a|b', message: { message_id: 1, date: 0, chat: chat(7101) } } },
  ],
  [
    'a press without chat',
    { callback_query: { id: 'q2', from: from(7101), data: 'a|b', message: { message_id: 1, date: 0 } } },
  ],
];

describe('a malformed update through the real telegraf polling', () => {
  const fake = new FakeTelegram();
  const logger = recordingLogger();
  let app: App;
  const user: FakeUser = { id: 7102, first_name: 'Sara', language_code: 'en' };

  beforeAll(async () => {
    const apiRoot = await fake.start();
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: apiRoot,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    });
    app = await createApp({ config, logger, mongoUri: testDbUri('e2e_tg_malformed'), scheduler: false });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await fake.stop();
  });

  it.each(MALFORMED)('%s is logged once by id and kind, acknowledged, and polling goes on', async (_, shape) => {
    const pollsBefore = fake.calls.filter((c) => c.method === 'getUpdates').length;
    const updateId = fake.pushRaw(shape);
    const since = fake.mark;
    fake.sendText(user, '/help');
    await fake.waitFor(user.id, (m) => m.text === L('en', 'help:guest'), { since });
    await fake.settle();

    const logged = logger.records.filter((r) => r.msg === 'update not understood; acknowledged');
    const mine = logged.filter((r) => (r.obj as { update?: number }).update === updateId);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.obj).toMatchObject({ update: updateId, kind: Object.keys(shape)[0] });
    expect(JSON.stringify(logger.records)).not.toContain(SECRET_WORDS);
    // Not fetched again and again: a handful of long polls, not hundreds.
    expect(fake.calls.filter((c) => c.method === 'getUpdates').length - pollsBefore).toBeLessThan(6);
    expect(logger.records.filter((r) => r.msg?.startsWith('batch not stored'))).toEqual([]);
  });
});

describe('a batch that cannot be stored', () => {
  const fake = new FakeTelegram();
  const logger = recordingLogger();
  let adapter: TelegramAdapter;
  const handled: InboundEvent[] = [];
  let failures = 3;

  beforeAll(async () => {
    const apiRoot = await fake.start();
    adapter = new TelegramAdapter({
      token: fake.token,
      apiRoot,
      logger,
      retryMs: 200,
      maxRetryMs: 400,
      onEvent: async (event) => {
        if (failures-- > 0) throw new Error('write concern timed out');
        handled.push(event);
      },
    });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter.stop();
    await fake.stop();
  });

  it('is fetched again after a wait that doubles up to its cap, then handled once', async () => {
    const polls = () => fake.calls.filter((c) => c.method === 'getUpdates');
    const before = polls().length;
    const t0 = Date.now();
    fake.sendText({ id: 7201, first_name: 'Leila' }, 'hello');
    while (!handled.length && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 20));
    expect(handled.map((e) => e.payload)).toEqual([{ type: 'text', text: 'hello' }]);
    // The delivering poll, then one per failure, each after its wait: 200, 400, 400 (the cap) ms.
    const fetches = polls()
      .slice(before)
      .filter((c) => c.status === 200)
      .map((c) => c.at);
    const gaps = fetches.slice(1, 4).map((at, i) => at - fetches[i]!);
    expect(gaps).toHaveLength(3);
    expect(gaps[0]).toBeGreaterThanOrEqual(190);
    expect(gaps[1]).toBeGreaterThanOrEqual(390);
    expect(gaps[2]).toBeGreaterThanOrEqual(390);
    expect(gaps[2]).toBeLessThan(1_000);
    const errors = logger.records.filter((r) => r.msg === 'batch not stored; it will be fetched again');
    expect(errors.map((r) => (r.obj as { retryInMs: number }).retryInMs)).toEqual([200, 400, 400]);
  });
});

describe('a backlog of stored events not handled yet', () => {
  const fake = new FakeTelegram();
  let adapter: TelegramAdapter;
  let backlog = 1_000;
  const handled: InboundEvent[] = [];

  beforeAll(async () => {
    const apiRoot = await fake.start();
    adapter = new TelegramAdapter({
      token: fake.token,
      apiRoot,
      logger: recordingLogger(),
      backlog: () => backlog,
      onEvent: async (event) => void handled.push(event),
    });
    await adapter.start();
  });
  afterAll(async () => {
    await adapter.stop();
    await fake.stop();
  });

  it('fetches nothing while a thousand wait, and fetches what Telegram kept once they are handled', async () => {
    fake.sendText({ id: 7301, first_name: 'Nadia' }, 'hello');
    await new Promise((r) => setTimeout(r, 400));
    expect(fake.calls.filter((c) => c.method === 'getUpdates')).toEqual([]);
    expect(handled).toEqual([]);
    backlog = 999;
    const t0 = Date.now();
    while (!handled.length && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 20));
    expect(handled.map((e) => e.payload)).toEqual([{ type: 'text', text: 'hello' }]);
  });
});
