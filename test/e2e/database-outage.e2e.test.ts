import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseServer, freePort, startEmbedded } from '../../adapters/mongo/launcher.ts';
import { type App, createApp, PROJECT_ROOT } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { t } from '../../src/core/flow.ts';
import { createTranslator, loadResources } from '../../src/engine/i18n.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { recordingLogger, silentLogger } from '../support/logger.ts';

const i18n = createTranslator(loadResources(join(PROJECT_ROOT, 'locales')));
const L = (key: string) => i18n.render(t(key), 'en');

/** Its own database server, so the test can stop and restart it while the bot runs. */
describe('an answer sent while the database is down', () => {
  const fake = new FakeTelegram();
  const dir = mkdtempSync(join(tmpdir(), 'womento-outage-'));
  let port: number;
  let db: DatabaseServer;
  let app: App;
  const user: FakeUser = { id: 9501, first_name: 'Maria', language_code: 'en' };
  const launch = () => startEmbedded({ dataDir: dir, projectRoot: PROJECT_ROOT, logger: silentLogger, port });

  beforeAll(async () => {
    port = await freePort();
    db = await launch();
    if (db.kind !== 'ferretdb') return;
    const apiRoot = await fake.start();
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: apiRoot,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    });
    app = await createApp({ config, logger: recordingLogger(), mongoUri: db.uriFor('outage'), scheduler: false });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
    await fake.stop();
    await db?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is not acknowledged until it is stored, and is stored once the database is back', async (ctx) => {
    if (db.kind !== 'ferretdb') ctx.skip(); // needs a server this test can stop and start on one port
    let since = fake.mark;
    fake.sendText(user, '/start');
    await fake.waitFor(user.id, (m) => m.text.includes(L('registration:consent.ask')), { since });
    since = fake.mark;
    fake.press(user, L('registration:consent.accept'));
    await fake.waitFor(user.id, (m) => m.text.includes(L('registration:name.ask')), { since });
    await fake.settle();

    await db.stop();
    since = fake.mark;
    fake.sendText(user, 'Maria');
    await new Promise((r) => setTimeout(r, 2_000));
    // Nothing answered, nothing acknowledged: the bot has not asked for the next batch of updates.
    expect(fake.messagesTo(user.id).filter((m) => m.seq > since)).toEqual([]);
    const polls = fake.calls.filter((c) => c.method === 'getUpdates');
    expect(polls.at(-1)!.at).toBeLessThan(Date.now() - 1_500);

    db = await launch();
    await fake.waitFor(user.id, (m) => m.text.includes(L('registration:city.ask')), { since, timeoutMs: 30_000 });
    const state = await app.repositories.conversations.load(`telegram:${user.id}`);
    expect(state?.flow).toMatchObject({ step: 'city', data: { firstName: 'Maria' } });
  }, 60_000);
});
