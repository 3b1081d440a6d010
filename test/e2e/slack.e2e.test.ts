import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { FakeSlack, postToBot, type SlackMessage } from '../fakes/slack-web-api.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { ManualClock } from '../support/clock.ts';
import { testDbUri } from '../support/database.ts';
import { L } from '../support/i18n.ts';
import { recordingLogger } from '../support/logger.ts';
import { actorData, mentorData, seed } from '../support/seed.ts';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5'.replace(/[^a-f0-9]/g, 'a');
const DAY = 86_400_000;
const ALERTS = 'C0ALERTS';

describe('Slack: signed requests, and a pair with the mentor on Slack and the actor on Telegram', () => {
  const slack = new FakeSlack();
  const telegram = new FakeTelegram();
  const start = new Date('2027-03-01T09:00:00Z'); // Monday 11:00 in Helsinki
  const clock = new ManualClock(start);
  let app: App;
  let url: string;
  let pairId: string;
  const actor: FakeUser = { id: 9602, first_name: 'Olena', language_code: 'uk' };
  const MENTOR = 'U0MENTOR';
  const OFFICER = 'U0OFFICER';
  let eventSeq = 0;

  const dm = (user: string) => `D${user.replace(/^U/, '')}`;
  const press = (user: string, message: SlackMessage, label: string) => {
    const button = slack.buttons(message).find((b) => b.text.text.includes(label));
    if (!button)
      throw new Error(`no button ${label} in ${JSON.stringify(slack.buttons(message).map((b) => b.text.text))}`);
    return postToBot(url, SECRET, 'form', {
      payload: JSON.stringify({
        type: 'block_actions',
        team: { id: slack.team },
        user: { id: user, team_id: slack.team },
        channel: { id: message.channel },
        container: { type: 'message', message_ts: message.ts, channel_id: message.channel },
        message: { ts: message.ts, text: message.text },
        trigger_id: `trig${++eventSeq}`,
        actions: [
          { type: 'button', action_id: button.action_id, block_id: 'row0', value: button.value, action_ts: '1' },
        ],
      }),
    });
  };
  const say = (user: string, text: string, extra: { headers?: Record<string, string>; eventId?: string } = {}) =>
    postToBot(
      url,
      SECRET,
      'event',
      {
        type: 'event_callback',
        team_id: slack.team,
        api_app_id: 'A1',
        event_id: extra.eventId ?? `Ev${++eventSeq}`,
        event_time: 1,
        event: { type: 'message', channel_type: 'im', user, text, channel: dm(user), ts: `${eventSeq}.0` },
      },
      extra.headers ? { headers: extra.headers } : {},
    );
  const lastWithButtons = (channel: string) => [...slack.in(channel)].reverse().find((m) => slack.buttons(m).length)!;

  beforeAll(async () => {
    const slackApi = await slack.start();
    const tgApi = await telegram.start();
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: tgApi,
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slackApi,
      SLACK_ALERT_CHANNEL: ALERTS,
      OFFICER_SLACK_IDS: `${slack.team}:${OFFICER}`,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
    });
    app = await createApp({
      config,
      logger: recordingLogger(),
      mongoUri: testDbUri('e2e_slack'),
      clock,
      scheduler: false,
    });
    await app.start();
    url = `http://127.0.0.1:${(app.http!.address() as AddressInfo).port}/slack/events`;
    const a = await seed(
      app.repositories.participants,
      actorData(`telegram:${actor.id}`, { firstName: 'Olena' }, 'uk'),
    );
    const m = await app.repositories.participants.save(
      {
        ...mentorData(`slack:${slack.team}:${MENTOR}`, { firstName: 'Liisa' }, 'fi'),
        addresses: { slack: `slack:@${MENTOR}` },
      },
      start,
    );
    pairId = (
      await app.repositories.pairs.create({
        actorId: a.id,
        mentorId: m.id,
        state: 'active',
        proposedBy: 'seed',
        actorAccepted: true,
        mentorAccepted: true,
        history: [{ state: 'active', by: 'seed', at: start }],
        createdAt: start,
      })
    ).id;
    for (const [type, d] of [
      ['activated', 0],
      ['commitment_set', 1],
      ['meeting_held', 4],
    ] as const)
      await app.repositories.timeline.append({ pairId, type, at: new Date(start.getTime() + d * DAY) });
  });
  afterAll(async () => {
    await app?.stop();
    await slack.stop();
    await telegram.stop();
  });

  it('checks the signature on the raw body: a bad or stale signature is refused', async () => {
    expect((await say(MENTOR, '/help')).status).toBe(200);
    const body = {
      type: 'event_callback',
      team_id: slack.team,
      event_id: 'EvBad',
      event: { type: 'message', channel_type: 'im', user: MENTOR, text: 'hi', channel: dm(MENTOR) },
    };
    expect((await postToBot(url, SECRET, 'event', body, { badSignature: true })).status).toBe(401);
    expect(
      (await postToBot(url, SECRET, 'event', body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 })).status,
    ).toBe(401);
  });

  it('handles a retried event once', async () => {
    await new Promise((r) => setTimeout(r, 300));
    const since = slack.mark;
    await say(MENTOR, 'hello there', { eventId: 'EvRetry1' });
    await slack.waitFor(dm(MENTOR), (m) => m.text === L('fi', 'common:nothing_in_progress'), { since });
    await new Promise((r) => setTimeout(r, 300));
    const count = slack.in(dm(MENTOR)).length;
    await say(MENTOR, 'hello there', {
      eventId: 'EvRetry1',
      headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' },
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(slack.in(dm(MENTOR)).length).toBe(count);
  });

  it('check-ins reach the mentor on Slack and the actor on Telegram; both answers are stored', async () => {
    clock.set(new Date(start.getTime() + 14 * DAY));
    await app.services.checkins.tick(clock.now());
    await app.dispatcher.drain();
    const ask = await slack.waitFor(dm(MENTOR), (m) => m.text.includes(L('fi', 'checkins:met_ask')));
    let since = slack.mark;
    await press(MENTOR, ask, L('fi', 'checkins:met.yes'));
    const rating = await slack.waitFor(dm(MENTOR), (m) => m.text.includes(L('fi', 'checkins:rating_ask')), { since });
    since = slack.mark;
    await press(MENTOR, rating, '3');
    const topics = await slack.waitFor(dm(MENTOR), (m) => m.text.includes(L('fi', 'checkins:topics_ask')), { since });
    since = slack.mark;
    await press(MENTOR, topics, L('fi', 'common:done'));
    await slack.waitFor(dm(MENTOR), (m) => m.text.includes(L('fi', 'checkins:note_ask')), { since });
    since = slack.mark;
    await say(MENTOR, 'Kävimme CV:n läpi');
    const priv = await slack.waitFor(dm(MENTOR), (m) => m.text.includes(L('fi', 'checkins:private_ask')), { since });
    since = slack.mark;
    await press(MENTOR, priv, L('fi', 'common:skip'));
    await slack.waitFor(dm(MENTOR), (m) => m.text.includes(L('fi', 'checkins:thanks')), { since });

    await telegram.waitFor(actor.id, (m) => m.text.includes(L('uk', 'checkins:met_ask')));
    for (const [label, next] of [
      [L('uk', 'checkins:met.yes'), 'checkins:rating_ask'],
      ['4', 'checkins:topics_ask'],
      [L('uk', 'common:done'), 'checkins:note_ask'],
      [L('uk', 'common:skip'), 'checkins:private_ask'],
      [L('uk', 'common:skip'), 'checkins:thanks'],
    ] as const) {
      const before = telegram.mark;
      telegram.press(actor, label);
      await telegram.waitFor(actor.id, (m) => m.text.includes(L('uk', next)), { since: before });
    }
    const answers = (await app.repositories.timeline.forPair(pairId)).filter((e) => e.type === 'checkin_answered');
    expect(answers.map((e) => e.data?.rating)).toEqual([3, 4]);
  });

  it('when the pair goes silent the alert arrives in the Slack channel with its reasons', async () => {
    clock.set(new Date(start.getTime() + 30 * DAY));
    await app.services.alerts.evaluate(clock.now());
    await app.dispatcher.drain();
    const alert = await slack.waitFor(ALERTS, (m) =>
      m.text.includes(L('en', 'alerts:signal.no_meeting', { count: 26 })),
    );
    expect(alert.text).toContain('Olena & Liisa (Tampere)');
    expect(slack.buttons(alert).map((b) => b.text.text)).toEqual(
      ['nudge', 'snooze', 'resolve', 'timeline'].map((b) => L('en', `alerts:button.${b}`)),
    );
  });

  it("a non-officer's Resolve is refused; an officer's Nudge reaches both partners and updates the alert", async () => {
    const alert = lastWithButtons(ALERTS);
    let since = slack.mark;
    await press(MENTOR, alert, L('en', 'alerts:button.resolve'));
    // Answered in the language of the person who pressed.
    await slack.waitFor(ALERTS, (m) => m.text === L('fi', 'common:not_allowed'), { since });
    expect(await app.repositories.alerts.listOpen()).toHaveLength(1);

    since = slack.mark;
    const tgSince = telegram.mark;
    await press(OFFICER, alert, L('en', 'alerts:button.nudge'));
    const updated = await slack.waitFor(
      ALERTS,
      (m) => m.ts === alert.ts && m.updated === true && m.text.includes('Nudged by'),
      { since },
    );
    expect(slack.buttons(updated)).toHaveLength(4);
    await app.dispatcher.drain();
    await slack.waitFor(dm(MENTOR), (m) => m.text.includes(L('fi', 'alerts:nudge', { name: 'Olena' })), { since });
    await telegram.waitFor(actor.id, (m) => m.text.includes(L('uk', 'alerts:nudge', { name: 'Liisa' })), {
      since: tgSince,
    });
  });

  it('Resolve closes the alert at once and asks the officer, in her DM, for a note that the officers then see', async () => {
    const alert = lastWithButtons(ALERTS);
    const [open] = await app.repositories.alerts.listOpen();
    let since = slack.mark;
    await press(OFFICER, alert, L('en', 'alerts:button.resolve'));
    const updated = await slack.waitFor(
      ALERTS,
      (m) => m.ts === alert.ts && m.updated === true && m.text.includes('Resolved by'),
      { since },
    );
    expect(slack.buttons(updated)).toHaveLength(0);
    await slack.waitFor(
      dm(OFFICER),
      (m) => m.text.includes(L('en', 'alerts:note_ask', { actor: 'Olena', mentor: 'Liisa' })),
      { since },
    );
    expect(await app.repositories.alerts.listOpen()).toHaveLength(0);

    since = slack.mark;
    await say(OFFICER, 'Called Olena; they meet on Friday.');
    await slack.waitFor(dm(OFFICER), (m) => m.text === L('en', 'alerts:note_saved'), { since });
    await app.dispatcher.drain();
    const posted = await slack.waitFor(ALERTS, (m) => m.text.includes('Called Olena; they meet on Friday.'), { since });
    expect(posted.text).toContain('Olena & Liisa');
    const stored = await app.repositories.alerts.get(open!.id);
    expect(stored?.actions.at(-1)).toMatchObject({ what: 'resolved', note: 'Called Olena; they meet on Friday.' });
    // The partners never see the officers' note.
    expect(slack.in(dm(MENTOR)).some((m) => m.text.includes('Called Olena'))).toBe(false);
    expect(telegram.messagesTo(actor.id).some((m) => m.text.includes('Called Olena'))).toBe(false);
  });

  it('translates Slack errors at the boundary: a rate limit is waited out, a missing channel fails the message only', async () => {
    slack.rateLimitNext('chat.postMessage', 1);
    const channel = app.engine['deps'].channels.get('slack')!;
    await expect(
      channel.deliver({ conversationId: 'slack:C0RATE', message: { type: 'text', text: 'x' } }),
    ).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 1000 });
    slack.missing.add('C0GONE');
    await expect(
      channel.deliver({ conversationId: 'slack:C0GONE', message: { type: 'text', text: 'x' } }),
    ).rejects.toMatchObject({ code: 'channel_not_found' });
  });
});
