import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { ManualClock } from '../support/clock.ts';
import { L } from '../support/i18n.ts';
import { actorData, mentorData, seed } from '../support/seed.ts';
import { startTelegramApp } from '../support/telegram-app.ts';

const DAY = 86_400_000;
const OFFICERS_CHAT = -1009999;

describe('check-ins, stall detection and officer alerts over Telegram', () => {
  const fake = new FakeTelegram();
  const start = new Date('2027-02-01T09:00:00Z'); // a Monday, 11:00 in Helsinki
  const clock = new ManualClock(start);
  let app: App;
  let pairId: string;
  const officer: FakeUser = { id: 9001, first_name: 'Officer', language_code: 'en' };
  const actor: FakeUser = { id: 9002, first_name: 'Amira', language_code: 'ar' };
  const mentor: FakeUser = { id: 9003, first_name: 'Liisa', language_code: 'fi' };
  const stranger: FakeUser = { id: 9004, first_name: 'Mallory', language_code: 'en' };

  beforeAll(async () => {
    app = await startTelegramApp(fake, 'e2e_checkins', {
      clock,
      env: { OFFICER_TELEGRAM_IDS: String(officer.id), TELEGRAM_OFFICERS_CHAT: String(OFFICERS_CHAT) },
    });
    const a = await seed(
      app.repositories.participants,
      actorData(`telegram:${actor.id}`, { firstName: 'Amira' }, 'ar'),
    );
    const m = await seed(
      app.repositories.participants,
      mentorData(`telegram:${mentor.id}`, { firstName: 'Liisa' }, 'fi'),
    );
    const pair = await app.repositories.pairs.create({
      actorId: a.id,
      mentorId: m.id,
      state: 'active',
      proposedBy: 'seed',
      actorAccepted: true,
      mentorAccepted: true,
      history: [{ state: 'active', by: 'seed', at: start }],
      createdAt: start,
    });
    pairId = pair.id;
    await app.repositories.timeline.append({ pairId, type: 'activated', at: start });
    await app.repositories.timeline.append({ pairId, type: 'commitment_set', at: new Date(start.getTime() + DAY) });
    await app.repositories.timeline.append({ pairId, type: 'meeting_held', at: new Date(start.getTime() + 5 * DAY) });
  });
  afterAll(async () => {
    await app?.stop();
    await fake.stop();
  });

  const reply = (user: FakeUser, act: () => void, text: string) => fake.reply(user, act, text);

  it('sends a check-in to each side after 14 days, in her language; answers go on the timeline', async () => {
    clock.set(new Date(start.getTime() + 14 * DAY));
    expect(await app.services.checkins.tick(clock.now())).toEqual({ sent: 2, missed: 0 });
    expect(await app.services.checkins.tick(clock.now())).toEqual({ sent: 0, missed: 0 });
    await app.dispatcher.drain();
    await fake.waitFor(actor.id, (m) => m.text.includes(L('ar', 'checkins:met_ask')));
    await fake.waitFor(mentor.id, (m) => m.text.includes(L('fi', 'checkins:met_ask')));

    await reply(actor, () => fake.press(actor, L('ar', 'checkins:met.yes')), L('ar', 'checkins:rating_ask'));
    await reply(actor, () => fake.press(actor, '4'), L('ar', 'checkins:topics_ask'));
    await reply(actor, () => fake.press(actor, L('ar', 'meetings:topics.vocabulary')), L('ar', 'checkins:topics_ask'));
    await reply(actor, () => fake.press(actor, L('ar', 'common:done')), L('ar', 'checkins:note_ask'));
    await reply(actor, () => fake.press(actor, L('ar', 'common:skip')), L('ar', 'checkins:private_ask'));
    await reply(actor, () => fake.sendText(actor, 'I would like help with my CV'), L('ar', 'checkins:thanks_private'));

    await reply(mentor, () => fake.press(mentor, L('fi', 'checkins:met.yes')), L('fi', 'checkins:rating_ask'));
    await reply(mentor, () => fake.press(mentor, '5'), L('fi', 'checkins:topics_ask'));
    await reply(mentor, () => fake.press(mentor, L('fi', 'common:done')), L('fi', 'checkins:note_ask'));
    await reply(mentor, () => fake.sendText(mentor, 'Hyvä tapaaminen'), L('fi', 'checkins:private_ask'));
    await reply(mentor, () => fake.press(mentor, L('fi', 'common:skip')), L('fi', 'checkins:thanks'));

    const answers = (await app.repositories.timeline.forPair(pairId)).filter((e) => e.type === 'checkin_answered');
    expect(answers.map((e) => e.data)).toEqual([
      expect.objectContaining({ rating: 4, met: 'yes', topics: ['vocabulary'], helpRequested: true }),
      expect.objectContaining({ rating: 5, met: 'yes', topics: [], helpRequested: false }),
    ]);
    // The private note is kept for officers only: not on the timeline the partner can read.
    expect(JSON.stringify(await app.repositories.timeline.forPair(pairId))).not.toContain('help with my CV');
    const [stored] = (await app.repositories.checkins.forPair(pairId)).filter((c) => c.privateNote);
    expect(stored?.privateNote).toBe('I would like help with my CV');
    // Answered: the "asked again" message two days later is not sent.
    const since = fake.mark;
    clock.advance(3 * DAY);
    await app.dispatcher.drain();
    expect(fake.messagesTo(actor.id).filter((m) => m.seq > since)).toEqual([]);
  });

  it("the private note raises an alert in the officers' chat with its reason", async () => {
    expect((await app.services.alerts.evaluate(clock.now())).opened).toBe(1);
    await app.dispatcher.drain();
    const alert = await fake.waitFor(OFFICERS_CHAT, (m) =>
      m.text.includes(L('en', 'alerts:signal.help_requested', { who: 'Amira' })),
    );
    expect(alert.text).toContain('Amira & Liisa (Tampere)');
    // No repeat while it is open.
    expect((await app.services.alerts.evaluate(clock.now())).opened).toBe(0);
  });

  it('a silent pair stalls: missed check-ins and no meeting; officers are alerted once per signal', async () => {
    clock.set(new Date(start.getTime() + 28 * DAY));
    await app.services.checkins.tick(clock.now());
    clock.set(new Date(start.getTime() + 36 * DAY));
    await app.services.checkins.tick(clock.now()); // round 2 missed by both after 7 days
    const r = await app.services.alerts.evaluate(clock.now());
    expect(r.opened).toBe(1); // no meeting for 31 days; one missed round is not yet "two in a row"
    await app.dispatcher.drain();
    await fake.waitFor(OFFICERS_CHAT, (m) => m.text.includes(L('en', 'alerts:signal.no_meeting', { count: 31 })));
  });

  it('an officer nudges from the chat: both partners get a kind message, the alert shows who did it', async () => {
    const alert = fake.messagesTo(OFFICERS_CHAT).at(-1)!;
    // A non-officer pressing the same button (or forging it) is refused and nothing changes.
    const resolve = alert
      .reply_markup!.inline_keyboard.flat()
      .find((b) => b.text === L('en', 'alerts:button.resolve'))!;
    const before = fake.mark;
    fake.pressData(stranger, resolve.callback_data, alert.message_id);
    await fake.waitFor(OFFICERS_CHAT, (m) => m.text === L('en', 'common:not_allowed'), { since: before });
    expect((await app.repositories.alerts.listOpen()).length).toBe(2);

    const since = fake.mark;
    fake.pressInChat(officer, OFFICERS_CHAT, L('en', 'alerts:button.nudge'));
    const updated = await fake.waitFor(
      OFFICERS_CHAT,
      (m) => m.message_id === alert.message_id && m.text.includes('Nudged by'),
      { since },
    );
    expect(updated.reply_markup?.inline_keyboard.flat().length).toBe(4);
    await app.dispatcher.drain();
    await fake.waitFor(actor.id, (m) => m.text.includes(L('ar', 'alerts:nudge', { name: 'Liisa' })), { since });
    await fake.waitFor(mentor.id, (m) => m.text.includes(L('fi', 'alerts:nudge', { name: 'Amira' })), { since });
    expect((await app.repositories.timeline.forPair(pairId)).at(-1)?.type).toBe('nudged');
  });

  it('reminds officers of an alert still open after the reminder days, and a resolved signal may alert again', async () => {
    clock.advance(4 * DAY);
    const r = await app.services.alerts.evaluate(clock.now());
    expect(r.reminded).toBeGreaterThanOrEqual(1);
    const [open] = await app.repositories.alerts.listOpen();
    const resolved = await app.services.alerts.act(
      open!.id,
      'resolve',
      (await app.repositories.participants.findByIdentity(`telegram:${officer.id}`))!,
      clock.now(),
    );
    expect(resolved).toMatchObject({ outcome: 'resolved', alert: { id: open!.id, state: 'resolved' } });
    expect((await app.services.alerts.evaluate(clock.now())).opened).toBe(1);
  });
});
