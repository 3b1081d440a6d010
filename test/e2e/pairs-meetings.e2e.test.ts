import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { ManualClock } from '../support/clock.ts';
import { L } from '../support/i18n.ts';
import { actorData, mentorData, seed } from '../support/seed.ts';
import { startTelegramApp } from '../support/telegram-app.ts';

describe('pairs, commitment, meetings and reminders over Telegram, with a controllable clock', () => {
  const fake = new FakeTelegram();
  const clock = new ManualClock(new Date('2026-12-01T08:00:00Z'));
  let app: App;
  const officer: FakeUser = { id: 7001, first_name: 'Officer', language_code: 'en' };
  const amira: FakeUser = { id: 7002, first_name: 'Amira', language_code: 'en' };
  const liisa: FakeUser = { id: 7003, first_name: 'Liisa', language_code: 'fi' };
  const stranger: FakeUser = { id: 7004, first_name: 'Mallory', language_code: 'en' };

  beforeAll(async () => {
    app = await startTelegramApp(fake, 'e2e_pairs', { clock, env: { OFFICER_TELEGRAM_IDS: String(officer.id) } });
    await seed(app.repositories.participants, actorData(`telegram:${amira.id}`));
    await seed(app.repositories.participants, mentorData(`telegram:${liisa.id}`));
    await seed(
      app.repositories.participants,
      mentorData(`telegram:7005`, { firstName: 'Kaisa', field: 'Nursing', city: 'Oulu' }),
    );
  });
  afterAll(async () => {
    await app?.stop();
    await fake.stop();
  });

  const reply = (user: FakeUser, act: () => void, text: string) => fake.reply(user, act, text);
  /** Sends what is due in the outbox now, then waits for it to reach the fake. */
  async function deliverDue(user: FakeUser, text: string) {
    const since = fake.mark;
    await app.dispatcher.drain();
    return fake.waitFor(user.id, (m) => m.text.includes(text), { since, timeoutMs: 3000 });
  }
  const sentSince = (user: FakeUser, since: number) => fake.messagesTo(user.id).filter((m) => m.seq > since);

  it('refuses officer commands to a non-officer and changes nothing', async () => {
    await reply(stranger, () => fake.sendText(stranger, '/waiting'), L('en', 'common:not_allowed'));
    expect(await app.repositories.pairs.list(['proposed', 'active'])).toEqual([]);
  });

  it('an officer matches; both accept in their languages; both get an introduction', async () => {
    const list = await reply(officer, () => fake.sendText(officer, '/waiting'), L('en', 'officer:waiting.pick'));
    expect(fake.messagesTo(officer.id).some((m) => m.text.includes('Amira') && m.text.includes('Tampere'))).toBe(true);
    // A stranger replaying the officer's button is refused.
    await reply(
      stranger,
      () => fake.pressData(stranger, list.reply_markup!.inline_keyboard[0]![0]!.callback_data, list.message_id),
      L('en', 'common:button_gone'),
    );

    const ranked = await reply(
      officer,
      () => fake.press(officer, '1. Amira'),
      L('en', 'officer:rank.pick', { name: 'Amira' }),
    );
    const reasons = fake
      .messagesTo(officer.id)
      .find((m) => m.text.includes(L('en', 'officer:rank.title', { name: 'Amira' })))!.text;
    expect(reasons.split('\n\n')[1]).toMatch(/1\. Liisa.*same city \(Tampere\)/);
    expect(ranked.reply_markup!.inline_keyboard.flat()[0]!.text).toBe('1. Liisa');
    await reply(
      officer,
      () => fake.press(officer, '1. Liisa'),
      L('en', 'officer:propose.done', { actor: 'Amira', mentor: 'Liisa' }),
    );

    await deliverDue(amira, 'Liisa');
    await deliverDue(liisa, 'Amira').catch(() => fake.waitFor(liisa.id, (m) => m.text.includes('Amira')));
    await reply(
      amira,
      () => fake.press(amira, L('en', 'pairs:proposal.accept')),
      L('en', 'pairs:proposal.accepted_wait'),
    );
    // The same button twice: answered once.
    await reply(
      amira,
      () => fake.pressData(amira, fake.lastWithKeyboard(amira.id)!.reply_markup!.inline_keyboard[0]![0]!.callback_data),
      L('en', 'common:already_answered'),
    );
    const since = fake.mark;
    fake.press(liisa, L('fi', 'pairs:proposal.accept'));
    // The introductions are queued when the pair becomes active; a quiet moment alone may come before that.
    const deadline = Date.now() + 15_000;
    while (!(await app.repositories.pairs.list(['active'])).length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await fake.settle();
    await app.dispatcher.drain();
    await fake.waitFor(
      amira.id,
      (m) =>
        m.text.includes(
          L('en', 'pairs:intro.to_actor', {
            name: 'Liisa',
            field: 'Civil engineering',
            city: 'Tampere',
            languages: 'x',
          }).split('Languages')[0]!,
        ),
      { since },
    );
    await fake.waitFor(
      liisa.id,
      (m) => m.text.includes('Amira') && m.text.includes(L('fi', 'pairs:intro.next').slice(0, 20)),
      { since },
    );
    const [pair] = await app.repositories.pairs.list(['active']);
    expect(pair).toMatchObject({ state: 'active', actorAccepted: true, mentorAccepted: true });
    expect(pair!.history.map((h) => h.state)).toEqual([
      'proposed',
      'accepted_by_actor',
      'accepted_by_mentor',
      'active',
    ]);
    expect((await app.repositories.participants.findByIdentity(`telegram:${amira.id}`))?.status).toBe('paired');
  });

  it('the mentor drafts the commitment and the actor confirms it', async () => {
    await reply(
      liisa,
      () => fake.press(liisa, L('fi', 'pairs:intro.write_commitment')),
      L('fi', 'pairs:commitment.aims_ask'),
    );
    await reply(liisa, () => fake.press(liisa, L('fi', 'common:done')), L('fi', 'pairs:commitment.frequency_ask'));
    await reply(
      liisa,
      () => fake.press(liisa, L('fi', 'pairs:commitment.frequency.biweekly')),
      L('fi', 'pairs:commitment.start_ask'),
    );
    await reply(liisa, () => fake.sendText(liisa, 'maybe soon'), L('fi', 'pairs:commitment.start_invalid'));
    await reply(
      liisa,
      () => fake.press(liisa, L('fi', 'pairs:commitment.today')),
      L('fi', 'pairs:commitment.months_ask'),
    );
    await reply(
      liisa,
      () => fake.press(liisa, L('fi', 'pairs:commitment.months', { count: 7 })),
      L('fi', 'pairs:commitment.sent', { name: 'Amira' }),
    );
    const toConfirm = await deliverDue(amira, L('en', 'pairs:commitment.to_confirm', { name: 'Liisa' }));
    expect(toConfirm.text).toContain(L('en', 'pairs:commitment.frequency.biweekly'));
    await reply(
      amira,
      () => fake.press(amira, L('en', 'pairs:commitment.confirm')),
      L('en', 'pairs:commitment.confirmed'),
    );
    const [pair] = await app.repositories.pairs.list(['active']);
    expect(pair!.commitment).toMatchObject({
      aims: ['goal:vocabulary', 'goal:cv_applications'],
      frequency: 'biweekly',
    });
    const months =
      (new Date(pair!.commitment!.plannedEnd).getTime() - new Date(pair!.commitment!.start).getTime()) /
      (30.4 * 86_400_000);
    expect(Math.round(months)).toBe(7);
  });

  it('a meeting is proposed and accepted; reminders come 24 h and 1 h before; "did you meet?" logs it', async () => {
    await reply(amira, () => fake.sendText(amira, '/meet'), L('en', 'meetings:when_ask'));
    await reply(amira, () => fake.sendText(amira, '3.12. 25.99'), L('en', 'meetings:when_invalid'));
    await reply(amira, () => fake.sendText(amira, '3.12. 17.30'), L('en', 'meetings:place_ask'));
    await reply(
      amira,
      () => fake.sendText(amira, 'Tampere library'),
      L('en', 'meetings:proposal_sent', { name: 'Liisa', when: 'x' }).split('x')[0]!,
    );
    await deliverDue(liisa, 'Tampere library');
    await reply(
      liisa,
      () => fake.press(liisa, L('fi', 'meetings:accept')),
      L('fi', 'meetings:accepted', { when: 'x' }).split('x')[0]!,
    );
    await deliverDue(amira, L('en', 'meetings:accepted_by_partner', { name: 'Liisa', when: 'x' }).split('x')[0]!);

    // 17:30 Helsinki on 3.12. is 15:30 UTC; the 24 h reminder is due 2.12. 15:30 UTC.
    clock.set('2026-12-02T15:29:00Z');
    let since = fake.mark;
    await app.dispatcher.drain();
    expect(sentSince(amira, since)).toEqual([]);
    clock.set('2026-12-02T15:30:00Z');
    await deliverDue(amira, 'Tampere library');
    await fake.waitFor(liisa.id, (m) => m.text.includes('Tampere library'), { since });
    since = fake.mark;
    clock.set('2026-12-03T14:29:00Z');
    await app.dispatcher.drain();
    expect(sentSince(amira, since)).toEqual([]);
    clock.set('2026-12-03T14:30:00Z');
    await deliverDue(amira, 'Tampere library');

    clock.set('2026-12-03T17:30:00Z');
    await deliverDue(amira, L('en', 'meetings:followup.ask', { when: 'x' }).split('x')[0]!);
    await reply(
      amira,
      () => fake.press(amira, L('en', 'meetings:followup.yes')),
      L('en', 'meetings:followup.topics_ask'),
    );
    await reply(
      amira,
      () => fake.press(amira, L('en', 'meetings:topics.vocabulary')),
      L('en', 'meetings:followup.topics_ask'),
    );
    await reply(amira, () => fake.press(amira, L('en', 'common:done')), L('en', 'meetings:followup.thanks_yes'));
    const [pair] = await app.repositories.pairs.list(['active']);
    const timeline = await app.repositories.timeline.forPair(pair!.id);
    expect(timeline.map((e) => e.type)).toEqual([
      'proposed',
      'accepted',
      'accepted',
      'activated',
      'commitment_set',
      'meeting_proposed',
      'meeting_accepted',
      'meeting_held',
    ]);
    expect(timeline.at(-1)!.data).toMatchObject({ topics: ['vocabulary'] });
    await reply(amira, () => fake.sendText(amira, '/timeline'), L('en', 'pairs:timeline.title'));
  });

  it("a moved meeting's old reminders never arrive; quiet hours move a reminder earlier", async () => {
    clock.set('2026-12-05T08:00:00Z');
    await reply(liisa, () => fake.sendText(liisa, '/meet'), L('fi', 'meetings:when_ask'));
    await reply(liisa, () => fake.sendText(liisa, '10.12. 8.30'), L('fi', 'meetings:place_ask'));
    await reply(liisa, () => fake.press(liisa, L('fi', 'common:skip')), 'Amira');
    await deliverDue(amira, '8:30');
    await reply(
      amira,
      () => fake.press(amira, L('en', 'meetings:accept')),
      L('en', 'meetings:accepted', { when: 'x' }).split('x')[0]!,
    );
    const reminders = (await app.repositories.outbox.findByKeyPrefix('meeting:'))
      .filter((m) => m.key.includes(':1h:') && m.state === 'pending')
      .map((m) => m.due);
    // 08:30 local: one hour before is 07:30, in quiet hours, so the reminder goes the evening before at 20:45.
    expect(reminders.map((d) => d.toLocaleString('sv-SE', { timeZone: 'Europe/Helsinki' }).slice(0, 16))).toEqual([
      '2026-12-09 20:45',
      '2026-12-09 20:45',
    ]);

    await reply(amira, () => fake.sendText(amira, '/meetings'), L('en', 'meetings:manage_ask'));
    await reply(
      amira,
      () => fake.press(amira, L('en', 'meetings:manage.move', { n: 1 })),
      L('en', 'meetings:when_ask'),
    );
    await reply(amira, () => fake.sendText(amira, '12.12. 12.00'), L('en', 'meetings:place_ask'));
    await reply(amira, () => fake.press(amira, L('en', 'common:skip')), 'Liisa');
    const since = fake.mark;
    clock.set('2026-12-10T07:00:00Z');
    await app.dispatcher.drain();
    const old = [...sentSince(amira, since), ...sentSince(liisa, since)].filter(
      (m) => m.text.includes('8:30') || m.text.includes('8.30'),
    );
    expect(old).toEqual([]);
    const states = await app.repositories.outbox.countByState();
    expect(states.cancelled).toBeGreaterThanOrEqual(4);
  });

  it("with no officers' chat configured, a counselling request reaches each officer in her own chat", async () => {
    await reply(amira, () => fake.sendText(amira, '/counselling'), L('en', 'counselling:topic_ask'));
    await reply(
      amira,
      () => fake.press(amira, L('en', 'counselling:topic.job_search')),
      L('en', 'counselling:urgency_ask'),
    );
    await reply(
      amira,
      () => fake.press(amira, L('en', 'counselling:urgency.can_wait')),
      L('en', 'counselling:message_ask'),
    );
    await reply(amira, () => fake.press(amira, L('en', 'common:skip')), L('en', 'counselling:sent'));
    await deliverDue(officer, L('en', 'counselling:topic.job_search'));
    await reply(officer, () => fake.press(officer, L('en', 'counselling:take')), 'Taken by Officer');
    await deliverDue(amira, L('en', 'counselling:taken', { name: 'Officer' }));
  });
});
