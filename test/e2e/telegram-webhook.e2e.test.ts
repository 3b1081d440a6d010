import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { FakeTelegram } from '../fakes/telegram-bot-api.ts';
import { testDbUri } from '../support/database.ts';
import { recordingLogger } from '../support/logger.ts';

const SECRET = 'webhook-secret-0123456789';

describe('Telegram webhook mode and health endpoints', () => {
  const fake = new FakeTelegram();
  let app: App;
  let base: string;

  beforeAll(async () => {
    const apiRoot = await fake.start();
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: apiRoot,
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram/webhook',
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    });
    app = await createApp({ config, logger: recordingLogger(), mongoUri: testDbUri('e2e_tg_webhook') });
    await app.start();
    base = `http://127.0.0.1:${(app.http!.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  const update = (id: number) => ({
    update_id: id,
    message: {
      message_id: id,
      date: 0,
      chat: { id: 6001, type: 'private' },
      from: { id: 6001, is_bot: false, first_name: 'Sara', language_code: 'fi' },
      text: '/start',
    },
  });
  const post = (body: unknown, secret?: string) =>
    fetch(`${base}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(secret ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
      body: JSON.stringify(body),
    });

  it('registers the webhook with its secret', () => {
    const call = fake.calls.find((c) => c.method === 'setWebhook');
    expect(call?.body).toMatchObject({ url: 'https://bot.example.org/telegram/webhook', secret_token: SECRET });
  });

  it('refuses an update without the right secret and acts on none', async () => {
    expect((await post(update(1), 'wrong-secret-000000')).status).toBe(403);
    expect((await post(update(2))).status).toBe(403);
    expect(fake.messagesTo(6001)).toEqual([]);
  });

  it('handles an update with the right secret', async () => {
    expect((await post(update(3), SECRET)).status).toBe(200);
    await fake.waitFor(6001, (m) => m.reply_markup !== undefined);
  });

  const postRaw = (body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    fetch(`${base}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET, ...headers },
      body,
      duplex: 'half',
    } as RequestInit);
  /** A valid update whose text pads the body to about `bytes`. */
  const padded = (id: number, bytes: number) => {
    const u = update(id);
    const from = { ...u.message.from, id: 6002 };
    const message = { ...u.message, chat: { id: 6002, type: 'private' }, from, text: `/start ${'x'.repeat(bytes)}` };
    return JSON.stringify({ ...u, message });
  };
  const webhookCalls = () => fake.calls.filter((c) => c.method === 'sendMessage' && c.body.chat_id === 6002).length;

  it('refuses a 5 MB body with the right secret by its Content-Length, with 413, and acts on nothing', async () => {
    const res = await postRaw(padded(10, 5 * 1024 * 1024));
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'request body too large' });
    await new Promise((r) => setTimeout(r, 300));
    expect(webhookCalls()).toBe(0);
  });

  it('refuses a body without Content-Length once more than 1 MB has streamed in', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Endless unless the server stops reading; the cap only ends a test that failed.
        if (sent > 64 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await postRaw(stream).catch((err: Error) => ({ status: `failed: ${err.message}` }));
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(8 * 1024 * 1024);
  });

  it('refuses a big body with a wrong secret with 403, before reading it', async () => {
    const wrong = { 'x-telegram-bot-api-secret-token': 'wrong-secret-000000' };
    const res = await postRaw(padded(11, 5 * 1024 * 1024), wrong);
    expect(res.status).toBe(403);
  });

  it('still handles an update just under the limit', async () => {
    const res = await postRaw(padded(12, 1000 * 1000));
    expect(res.status).toBe(200);
    await fake.waitFor(6002, () => true);
  });

  it('answers /healthz and /readyz', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
  });
});
