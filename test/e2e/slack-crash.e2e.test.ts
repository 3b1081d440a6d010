import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../adapters/mongo/connection.ts';
import { MongoConversationRepository } from '../../adapters/mongo/conversation.repository.ts';
import { freePort } from '../../adapters/mongo/launcher.ts';
import { models } from '../../adapters/mongo/models.ts';
import { commandOn, DatabaseProxy, insertCommandInto } from '../fakes/database-proxy.ts';
import { FakeSlack, postToBot } from '../fakes/slack-web-api.ts';
import { testDbUri } from '../support/database.ts';
import { L } from '../support/i18n.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SECRET = 'a'.repeat(32);
const USER = 'U0NEWCOMER';
const DM = 'D0NEWCOMER';

/** Runs `src/main.ts` as `npm start` would, with the given environment. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return { child, exited, stderr: () => stderr };
}

async function ready(port: number, p: ReturnType<typeof start>): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the bot did not become ready: ${p.stderr()}`);
}

/** The same database through another port (the proxy's). */
const viaPort = (uri: string, port: number) => uri.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${port}`);

describe('Slack events survive the process dying after Slack was answered', () => {
  const slack = new FakeSlack();
  const uri = testDbUri('slack_crash');
  const { port: dbPort } = new URL(uri);
  const proxies: DatabaseProxy[] = [];
  const running: ReturnType<typeof start>[] = [];
  let env: Record<string, string>;
  let httpPort: number;

  const say = (text: string, eventId: string, headers?: Record<string, string>) =>
    sayAs(USER, DM, text, eventId, headers);
  const sayAs = (user: string, channel: string, text: string, eventId: string, headers?: Record<string, string>) =>
    postToBot(
      `http://127.0.0.1:${httpPort}/slack/events`,
      SECRET,
      'event',
      {
        type: 'event_callback',
        team_id: slack.team,
        api_app_id: 'A1',
        event_id: eventId,
        event_time: 1,
        event: { type: 'message', channel_type: 'im', user, text, channel, ts: '1.0' },
      },
      headers ? { headers } : {},
    );
  const proxy = async () => {
    const p = new DatabaseProxy({ host: '127.0.0.1', port: Number(dbPort) });
    proxies.push(p);
    return { proxy: p, uri: viaPort(uri, await p.start()) };
  };
  const bot = (mongoUri: string, extra: Record<string, string> = {}) => {
    const p = start({ ...env, MONGODB_URI: mongoUri, ...extra });
    running.push(p);
    return p;
  };

  beforeAll(async () => {
    httpPort = await freePort();
    env = {
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: await slack.start(),
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      // A restarted instance keeps its id (a StatefulSet's pod name), so it resumes what it held at once.
      INSTANCE_ID: 'slack-crash-1',
      LOG_LEVEL: 'warn',
      // The process names its database itself; MONGODB_URI gives the server.
      MONGODB_DB: new URL(uri).pathname.slice(1),
    };
  });
  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    for (const p of proxies) await p.stop();
    await slack.stop();
  });

  it('handles after a restart, once, an event stored and answered 200 just before a SIGKILL', async () => {
    const connection = await connect(uri);
    const conversations = new MongoConversationRepository(models(connection));
    try {
      const { proxy: db, uri: proxied } = await proxy();
      // Every event stored before it is handled, as a slow handling or one under load is.
      const first = bot(proxied, { INBOX_DIRECT_MS: '0' });
      await ready(httpPort, first);
      // After the event is stored, the bot's database traffic stops, so nothing of its effect can be stored;
      // and a reply already under way would hang. The kill then lands between the answer and the effect.
      db.freezeAfterCommand(insertCommandInto('inbox_open'));
      slack.hold('chat.postMessage');
      const answer = await say('/start', 'EvCrash1');
      expect(answer.status).toBe(200);
      first.child.kill('SIGKILL');
      await first.exited;
      slack.release();
      expect(await conversations.load(`slack:${slack.team}:${USER}`)).toBeNull();
      expect(slack.in(DM)).toEqual([]);

      const second = bot(uri);
      await ready(httpPort, second);
      const reply = await slack.waitFor(DM, (m) => m.text.includes(L('en', 'registration:language.ask')));
      const stored = await conversations.load(`slack:${slack.team}:${USER}`);
      expect(stored?.recentEventIds).toEqual(['slack:EvCrash1']);
      expect(stored?.flow).toBeDefined();

      // Slack retries the same event id; it is answered 200 and changes nothing.
      const retry = await say('/start', 'EvCrash1', { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'timeout' });
      expect(retry.status).toBe(200);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(slack.in(DM)).toEqual([reply]);
      expect((await conversations.load(`slack:${slack.team}:${USER}`))?.revision).toBe(stored?.revision);
      second.child.kill('SIGTERM');
      await second.exited;
    } finally {
      await connection.close();
    }
  }, 90_000);

  it('an event handled at once is answered 200 only once saved: killed before, Slack retries, handled once', async () => {
    const connection = await connect(uri);
    const conversations = new MongoConversationRepository(models(connection));
    const identity = `slack:${slack.team}:${USER}2`;
    try {
      const { proxy: db, uri: proxied } = await proxy();
      const first = bot(proxied);
      await ready(httpPort, first);
      // Her conversation is read, and then the database answers nothing: neither the handling nor storing it ends.
      db.freezeAfterCommand(commandOn('find', 'conversations'));
      const sent = Date.now();
      const answer = await sayAs(`${USER}2`, `${DM}2`, '/start', 'EvDirect1');
      expect(answer.status).toBe(503);
      expect(Date.now() - sent).toBeLessThan(3_000);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(await conversations.load(identity)).toBeNull();

      const second = bot(uri);
      await ready(httpPort, second);
      const retry = await sayAs(`${USER}2`, `${DM}2`, '/start', 'EvDirect1', {
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_error',
      });
      expect(retry.status).toBe(200);
      const reply = await slack.waitFor(`${DM}2`, (m) => m.text.includes(L('en', 'registration:language.ask')));
      expect((await conversations.load(identity))?.recentEventIds).toEqual(['slack:EvDirect1']);
      // Slack's next retry is a duplicate: answered 200, nothing sent again.
      const again = await sayAs(`${USER}2`, `${DM}2`, '/start', 'EvDirect1', { 'x-slack-retry-num': '2' });
      expect(again.status).toBe(200);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(slack.in(`${DM}2`)).toEqual([reply]);
      second.child.kill('SIGTERM');
      await second.exited;
    } finally {
      await connection.close();
    }
  }, 90_000);

  it('does not answer Slack 200 while the database is unreachable, and answers within 3 s', async () => {
    const { proxy: db, uri: proxied } = await proxy();
    const p = bot(proxied);
    await ready(httpPort, p);
    db.cutOff();
    const sent = Date.now();
    const answer = await say('hello', 'EvOutage1');
    expect(answer.status).toBe(503);
    expect(Date.now() - sent).toBeLessThan(3_000);
    p.child.kill('SIGTERM');
    await p.exited;
  }, 60_000);
});
