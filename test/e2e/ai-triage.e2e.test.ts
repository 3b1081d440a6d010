import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { periodOf } from '../../src/core/report.ts';
import { FakeOpenAI } from '../fakes/openai.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { ManualClock } from '../support/clock.ts';
import { testDbUri } from '../support/database.ts';
import { L } from '../support/i18n.ts';
import { recordingLogger } from '../support/logger.ts';
import { activePair, actorData, mentorData, seed } from '../support/seed.ts';

const DAY = 86_400_000;
const OFFICERS_CHAT = -1007777;

/** What the seeded participants wrote about themselves in their notes: none of it may reach the model. */
const PERSONAL = {
  names: ['Олена', 'Коваль', 'Liisa', 'Ramboll', 'Oksana'],
  phone: '+358 40 765 4321',
  email: 'olena.koval@gmail.com',
  address: 'Hervannan valtaväylä 12',
  iban: 'FI21 1234 5600 0007 85',
  hetu: '131052-308T',
};
const QUIT_NOTE =
  `Я хочу кинути програму. Liisa з Ramboll не відповідає, а я, Олена, вже втомилася. Мій телефон ${PERSONAL.phone}, ` +
  `пошта ${PERSONAL.email}, адреса ${PERSONAL.address} B 7, 33720 Tampere. Рахунок ${PERSONAL.iban}, HETU ${PERSONAL.hetu}.`;

describe('check-in triage with a model, end to end through telegraf', () => {
  const telegram = new FakeTelegram();
  const model = new FakeOpenAI();
  const start = new Date('2027-02-01T09:00:00Z'); // a Monday, 11:00 in Helsinki
  const clock = new ManualClock(start);
  let app: App;
  const officer: FakeUser = { id: 9101, first_name: 'Outi', language_code: 'en' };
  const olena: FakeUser = { id: 9102, first_name: 'Олена Коваль', language_code: 'uk' };
  const oksana: FakeUser = { id: 9103, first_name: 'Oksana', language_code: 'uk' };
  const reply = (user: FakeUser, act: () => void, text: string) => telegram.reply(user, act, text);

  beforeAll(async () => {
    const apiRoot = await telegram.start();
    const baseURL = await model.start();
    model.forbid(...PERSONAL.names, PERSONAL.phone, PERSONAL.email, PERSONAL.address, PERSONAL.iban, PERSONAL.hetu);
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_API_ROOT: apiRoot,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      OFFICER_TELEGRAM_IDS: String(officer.id),
      TELEGRAM_OFFICERS_CHAT: String(OFFICERS_CHAT),
      OPENAI_API_KEY: 'test-key',
      OPENAI_BASE_URL: baseURL,
      OPENAI_MODEL: 'fake-model',
    });
    app = await createApp({
      config,
      logger: recordingLogger(),
      mongoUri: testDbUri('e2e_ai_triage'),
      clock,
      scheduler: false,
    });
    await app.start();
  });
  afterEach(() => model.assertNoLeaks());
  afterAll(async () => {
    await app?.stop();
    await telegram.stop();
    await model.stop();
  });

  /** Her check-in of the round, answered with a note and no private note. */
  async function answerCheckin(user: FakeUser, note: string) {
    await telegram.waitFor(user.id, (m) => m.text.includes(L('uk', 'checkins:met_ask')));
    await reply(user, () => telegram.press(user, L('uk', 'checkins:met.yes')), L('uk', 'checkins:rating_ask'));
    await reply(user, () => telegram.press(user, '2'), L('uk', 'checkins:topics_ask'));
    await reply(user, () => telegram.press(user, L('uk', 'common:done')), L('uk', 'checkins:note_ask'));
    await reply(user, () => telegram.sendText(user, note), L('uk', 'checkins:private_ask'));
    await reply(user, () => telegram.press(user, L('uk', 'common:skip')), L('uk', 'checkins:thanks'));
    await app.services.triage.idle();
    await app.dispatcher.drain();
  }

  it('asks the separate AI consent once after registration, in her language, and stores it on her', async () => {
    await reply(olena, () => telegram.sendText(olena, '/start'), L('uk', 'registration:consent.ask'));
    await reply(
      olena,
      () => telegram.press(olena, L('uk', 'registration:consent.accept')),
      L('uk', 'registration:name.ask'),
    );
    await reply(olena, () => telegram.sendText(olena, 'Олена'), L('uk', 'registration:city.ask'));
    await reply(olena, () => telegram.press(olena, 'Tampere'), L('uk', 'registration:profession.ask'));
    await reply(olena, () => telegram.sendText(olena, 'Медсестра'), L('uk', 'registration:education.ask'));
    await reply(
      olena,
      () => telegram.press(olena, L('uk', 'registration:education.options.bachelor')),
      L('uk', 'registration:experience.ask'),
    );
    await reply(olena, () => telegram.sendText(olena, '9'), L('uk', 'registration:finnish.ask'));
    await reply(
      olena,
      () => telegram.press(olena, L('uk', 'registration:finnish.options.A2')),
      L('uk', 'registration:goals.ask'),
    );
    await reply(
      olena,
      () => telegram.press(olena, L('uk', 'registration:goals.options.vocabulary')),
      L('uk', 'registration:goals.ask'),
    );
    await reply(olena, () => telegram.press(olena, L('uk', 'common:done')), L('uk', 'registration:languages.ask'));
    await reply(
      olena,
      () => telegram.press(olena, L('uk', 'common:spoken_language.uk')),
      L('uk', 'registration:languages.ask'),
    );
    await reply(olena, () => telegram.press(olena, L('uk', 'common:done')), L('uk', 'registration:availability.ask'));
    await reply(
      olena,
      () => telegram.press(olena, L('uk', 'registration:availability.options.evenings')),
      L('uk', 'registration:availability.ask'),
    );
    await reply(olena, () => telegram.press(olena, L('uk', 'common:done')), L('uk', 'registration:summary.ask'));
    const asked = await reply(
      olena,
      () => telegram.press(olena, L('uk', 'registration:summary.confirm')),
      L('uk', 'privacy:ai.ask'),
    );
    expect(asked.text).toContain(L('uk', 'privacy:ai.notice'));
    expect((await app.repositories.participants.findByIdentity(`telegram:${olena.id}`))?.aiConsent).toBeUndefined();
    await reply(olena, () => telegram.press(olena, L('uk', 'privacy:ai.yes')), L('uk', 'privacy:ai.given'));
    const stored = await app.repositories.participants.findByIdentity(`telegram:${olena.id}`);
    expect(stored?.aiConsent).toMatchObject({ given: true, textVersion: '2026-11+ai-2' });
    expect(model.requests).toHaveLength(0);
  });

  it('a Ukrainian note saying she wants to quit: redacted, read by the model, officers alerted with its reason', async () => {
    const me = (await app.repositories.participants.findByIdentity(`telegram:${olena.id}`))!;
    const liisa = await seed(
      app.repositories.participants,
      mentorData('telegram:9104', { firstName: 'Liisa', organisation: 'Ramboll' }, 'fi'),
    );
    const pair = await activePair(app.repositories.pairs, me.id, liisa.id, start);
    await app.repositories.timeline.append({ pairId: pair.id, type: 'activated', at: start });
    await app.repositories.timeline.append({ pairId: pair.id, type: 'commitment_set', at: new Date(+start + DAY) });
    await app.repositories.timeline.append({ pairId: pair.id, type: 'meeting_held', at: new Date(+start + 5 * DAY) });
    model.answer = (schema) =>
      schema === 'checkin_triage'
        ? {
            risk: 'high',
            topics: ['wants_to_quit', 'pair_problem'],
            reason: 'She wants to quit: [MENTOR] does not answer her.',
          }
        : {};

    clock.set(new Date(+start + 14 * DAY));
    await app.services.checkins.tick(clock.now());
    await app.dispatcher.drain();
    await answerCheckin(olena, QUIT_NOTE);

    expect(model.requests).toHaveLength(1);
    // The model saw placeholders where the data was, and the rest of her words.
    expect(model.shown[0]).toBe(
      'Я хочу кинути програму. [MENTOR] з [EMPLOYER] не відповідає, а я, [ACTOR], вже втомилася. Мій телефон [PHONE], ' +
        'пошта [EMAIL], адреса Hervannan [ADDRESS], [ADDRESS]. Рахунок [IBAN], HETU [HETU].',
    );
    const alert = await telegram.waitFor(OFFICERS_CHAT, (m) =>
      m.text.includes('She wants to quit: Liisa does not answer her.'),
    );
    expect(alert.text).toContain(L('en', 'triage:source.ai'));
    expect(alert.text).toContain('Олена & Liisa');
    // The reading goes on the timeline for officers; the pair's own /timeline does not show it.
    const timeline = await app.repositories.timeline.forPair(pair.id);
    expect(timeline.find((e) => e.type === 'note_triaged')?.data).toMatchObject({ risk: 'high', source: 'ai' });
    const since = telegram.mark;
    telegram.sendText(olena, '/timeline');
    const own = await telegram.waitFor(olena.id, (m) => m.text.includes(L('uk', 'pairs:timeline.title')), { since });
    expect(own.text).not.toContain(L('uk', 'triage:risk.high'));

    // An officer marks the reading wrong: stored and counted.
    const before = telegram.mark;
    telegram.pressInChat(officer, OFFICERS_CHAT, L('en', 'triage:button_wrong'));
    await telegram.waitFor(
      OFFICERS_CHAT,
      (m) => m.message_id === alert.message_id && m.text.includes('Marked as a wrong reading by Outi'),
      { since: before },
    );
    expect((await app.services.triage.precision()).ai).toEqual({ raised: 1, markedWrong: 1, precision: 0 });
    // The report reads it from the database: one reading is "<3" there, like every count of one person.
    const later = new Date(+clock.now() + 60_000);
    const report = await app.services.reports.report('all', periodOf('year', later, 'Europe/Helsinki'), later);
    const triage = report.rows.filter((r) => r.scope === 'all' && r.figure.startsWith('triage_'));
    expect(triage.map((r) => [r.figure, r.breakdown, r.value])).toEqual([
      ['triage_raised', '', '<3'],
      ['triage_marked_wrong', '', '<3'],
      ['triage_raised', 'ai', '<3'],
      ['triage_precision', 'ai', '<3'],
      ['triage_raised', 'keywords', 0],
      ['triage_precision', 'keywords', 'n/a'],
    ]);
  });

  it('the same note with the model failing: the keyword list raises the alert', async () => {
    const me = await seed(app.repositories.participants, {
      ...actorData(`telegram:${oksana.id}`, { firstName: 'Oksana', profession: 'Nurse' }, 'uk'),
      aiConsent: { given: true, textVersion: '2026-11', at: start },
    });
    const mentor = await seed(app.repositories.participants, mentorData('telegram:9105', { firstName: 'Sari' }, 'fi'));
    const at = new Date(+start + 14 * DAY);
    const pair = await activePair(app.repositories.pairs, me.id, mentor.id, at);
    await app.repositories.timeline.append({ pairId: pair.id, type: 'activated', at });
    await app.repositories.timeline.append({ pairId: pair.id, type: 'commitment_set', at: new Date(+at + DAY) });
    await app.repositories.timeline.append({ pairId: pair.id, type: 'meeting_held', at: new Date(+at + 10 * DAY) });
    model.always = { kind: 'status', status: 500 };
    const sent = model.requests.length;

    clock.set(new Date(+at + 14 * DAY));
    await app.services.checkins.tick(clock.now());
    await app.dispatcher.drain();
    await answerCheckin(oksana, 'Хочу кинути програму, Oksana більше не має часу. Дзвоніть 040 765 4321.');

    // Tried once and retried once, redacted both times; then the keywords decided.
    expect(model.requests.length - sent).toBe(2);
    expect(model.shown.at(-1)).toBe('Хочу кинути програму, [ACTOR] більше не має часу. Дзвоніть [PHONE].');
    const alert = await telegram.waitFor(OFFICERS_CHAT, (m) =>
      m.text.includes(L('en', 'triage:reason_keywords', { words: '"кинути"' })),
    );
    expect(alert.text).toContain(L('en', 'triage:source.keywords'));
    expect(alert.text).toContain('Oksana & Sari');
    const [triage] = await app.repositories.triages.find({ participantId: me.id });
    expect(triage).toMatchObject({ risk: 'high', source: 'keywords', fallbackReason: 'failed' });
    model.always = undefined;
  });

  it('after she withdraws her AI consent in /privacy nothing of hers is sent; the keywords still read her notes', async () => {
    const since = telegram.mark;
    await reply(olena, () => telegram.sendText(olena, '/privacy'), L('uk', 'privacy:ai.ask'));
    expect(
      telegram
        .messagesTo(olena.id)
        .filter((m) => m.seq > since)
        .map((m) => m.text)
        .join('\n'),
    ).toContain(L('uk', 'privacy:ai.state_on'));
    await reply(olena, () => telegram.press(olena, L('uk', 'privacy:ai.no')), L('uk', 'privacy:ai.refused'));
    const me = (await app.repositories.participants.findByIdentity(`telegram:${olena.id}`))!;
    expect(me.aiConsent?.given).toBe(false);
    const sent = model.requests.length;
    const [checkin] = await app.repositories.checkins.forPair((await app.repositories.pairs.openFor(me.id))[0]!.id);
    const [triage] = await app.services.triage.triage(
      { ...checkin!, id: `${checkin!.id}:again`, note: 'Я дуже втомилася, немає часу.' },
      me,
      clock.now(),
    );
    expect(model.requests.length).toBe(sent);
    expect(triage).toMatchObject({ risk: 'low', source: 'keywords', fallbackReason: 'no_consent' });
  });

  it('a note whose background triage was lost (the instance stopped) is read by the sweep, once', async () => {
    const me = (await app.repositories.participants.findByIdentity(`telegram:${oksana.id}`))!;
    const pair = (await app.repositories.pairs.openFor(me.id))[0]!;
    const id = `checkin:${pair.id}:9:${me.id}`;
    await app.repositories.checkins.create({
      id,
      pairId: pair.id,
      round: 9,
      participantId: me.id,
      state: 'sent',
      sentAt: clock.now(),
    });
    const answered = {
      id,
      pairId: pair.id,
      round: 9,
      participantId: me.id,
      state: 'answered' as const,
      sentAt: clock.now(),
      answeredAt: clock.now(),
    };
    await app.repositories.checkins.save({ ...answered, note: 'Kaikki hyvin.' });
    model.answer = () => ({ risk: 'none', topics: [], reason: 'Nothing of concern.' });
    const sent = model.requests.length;
    expect(await app.services.triage.sweep(clock.now())).toBe(0); // the background job still has its turn
    clock.advance(10 * 60_000);
    expect(await app.services.triage.sweep(clock.now())).toBe(1);
    expect(await app.services.triage.sweep(clock.now())).toBe(0);
    expect(model.requests.length - sent).toBe(1);
    expect(await app.repositories.triages.get(`${id}:note`)).toMatchObject({ risk: 'none', source: 'ai' });
  });
});
