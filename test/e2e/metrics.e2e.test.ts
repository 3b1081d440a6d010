import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { L } from '../support/i18n.ts';
import { activePair, actorData, mentorData, seed } from '../support/seed.ts';
import { startTelegramApp } from '../support/telegram-app.ts';

const TOKEN = 'scrape-token-0123456789';

/** The value of one sample line, e.g. `womento_replies_sent_total{platform="telegram"}`; 0 when absent. */
function sample(body: string, series: string): number {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('GET /metrics on the app started against the fake Telegram', () => {
  const fake = new FakeTelegram();
  const amira: FakeUser = { id: 7301, first_name: 'Amira', language_code: 'en' };
  let app: App;
  let url: string;

  const scrape = async (token?: string) => {
    const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };

  beforeAll(async () => {
    app = await startTelegramApp(fake, 'e2e_metrics', { env: { METRICS_TOKEN: TOKEN } });
    url = `http://127.0.0.1:${(app.http!.address() as AddressInfo).port}/metrics`;
  });
  afterAll(async () => {
    await app?.stop();
    await fake.stop();
  });

  it('answers 401 without the bearer token or with a wrong one, and nothing of the metrics', async () => {
    for (const token of [undefined, 'wrong-token-0123456789']) {
      const r = await scrape(token);
      expect(r.status).toBe(401);
      expect(r.body).not.toContain('womento_');
    }
  });

  it('counts an update handled at once and timed, its reply sent, and a 429 on the way', async () => {
    const before = await scrape(TOKEN);
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(before.body).toContain('process_resident_memory_bytes');
    const tg = (name: string) => sample(before.body, `${name}{platform="telegram"}`);
    expect(tg('womento_updates_received_total')).toBe(0);

    // The first reply gets a 429 (retry_after 1 s) and goes after the pause.
    fake.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    const since = fake.mark;
    fake.sendText(amira, '/start');
    // While the platform makes it wait, the reply shows as waiting.
    const limited = 'womento_platform_rate_limited_total{platform="telegram",source="reply"}';
    let during = (await scrape(TOKEN)).body;
    for (const until = Date.now() + 5_000; sample(during, limited) === 0 && Date.now() < until; ) {
      await new Promise((r) => setTimeout(r, 20));
      during = (await scrape(TOKEN)).body;
    }
    expect(sample(during, 'womento_replies_waiting{platform="telegram"}')).toBe(1);
    await fake.waitFor(amira.id, (m) => m.text.includes(L('en', 'registration:consent.ask')), { since });
    await fake.settle();

    const { body } = await scrape(TOKEN);
    expect(sample(body, 'womento_updates_received_total{platform="telegram"}')).toBe(1);
    expect(sample(body, 'womento_updates_handled_total{platform="telegram",outcome="ok"}')).toBe(1);
    expect(sample(body, 'womento_update_handling_seconds_count{platform="telegram"}')).toBe(1);
    expect(sample(body, 'womento_replies_sent_total{platform="telegram"}')).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'womento_replies_failed_total{platform="telegram"}')).toBe(0);
    expect(sample(body, limited)).toBe(1);
    expect(sample(body, 'womento_inbox_events_total{platform="telegram",result="direct"}')).toBe(1);
    expect(sample(body, 'womento_inbox_in_flight')).toBe(0);
    expect(sample(body, 'womento_replies_waiting{platform="telegram"}')).toBe(0);
  });

  it('counts an outbox sweep, the message sent by its category and the due gauge', async () => {
    const now = new Date();
    await app.repositories.outbox.enqueue(
      {
        key: 'metrics-test:1',
        recipientId: `conv:telegram:${amira.id}`,
        due: now,
        text: [{ key: 'common:unsupported' }],
        category: 'announcement',
      },
      now,
    );
    const since = fake.mark;
    await app.dispatcher.drain();
    await fake.waitFor(amira.id, (m) => m.text.includes(L('en', 'common:unsupported')), { since });

    const { body } = await scrape(TOKEN);
    expect(sample(body, 'womento_outbox_sweeps_total')).toBeGreaterThanOrEqual(1);
    expect(sample(body, 'womento_outbox_results_total{outcome="sent"}')).toBe(1);
    expect(sample(body, 'womento_messages_sent_total{category="announcement"}')).toBe(1);
    // The last sweep found nothing more due.
    expect(sample(body, 'womento_outbox_due')).toBe(0);
  });

  it('counts a stall alert once when it is raised, by its signal', async () => {
    const now = new Date();
    const matched = new Date(now.getTime() - 15 * 86_400_000);
    const actor = await seed(app.repositories.participants, actorData('telegram:7302'));
    const mentor = await seed(app.repositories.participants, mentorData('telegram:7303'));
    const pair = await activePair(app.repositories.pairs, actor.id, mentor.id, matched);
    await app.repositories.timeline.append({ pairId: pair.id, type: 'activated', at: matched });

    const series = 'womento_stall_alerts_raised_total{signal="no_commitment"}';
    expect(sample((await scrape(TOKEN)).body, series)).toBe(0);
    expect((await app.services.alerts.evaluate(now)).opened).toBe(1);
    // Still open: evaluated again, it is not raised again.
    await app.repositories.timeline.append({ pairId: pair.id, type: 'nudged', at: now });
    expect(await app.services.alerts.evaluate(now)).toMatchObject({ evaluated: 1, opened: 0 });
    expect(sample((await scrape(TOKEN)).body, series)).toBe(1);
  });
});
