import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { type Param, t } from '../../src/core/flow.ts';
import type { Locale } from '../../src/core/model.ts';
import type { Commitment } from '../../src/core/programme.ts';
import { FakeTelegram, type FakeUser, type SentMessage } from '../fakes/telegram-bot-api.ts';
import { ManualClock } from '../support/clock.ts';
import { i18n, L } from '../support/i18n.ts';
import { pdfText } from '../support/pdf-text.ts';
import { actorData, mentorData, seed } from '../support/seed.ts';
import { startTelegramApp } from '../support/telegram-app.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const OFFICERS_CHAT = -1007777;
const R = (lng: Locale, key: string, params?: Record<string, Param>) => i18n.render(t(key, params), lng);
const day = (at: Date, timeZone = 'Europe/Helsinki') => ({ date: at.toISOString(), timeZone, dayOnly: true });

describe('the end of a pair over Telegram: notice, final survey, certificate, early ending, survey alert', () => {
  const fake = new FakeTelegram();
  const start = new Date('2027-03-01T09:00:00Z');
  const clock = new ManualClock(start);
  let app: App;
  const officer: FakeUser = { id: 7001, first_name: 'Officer', language_code: 'en' };
  const fatima: FakeUser = { id: 7002, first_name: 'Fatima', language_code: 'ar' };
  const olga: FakeUser = { id: 7003, first_name: 'Olga', language_code: 'ru' };
  const irina: FakeUser = { id: 7004, first_name: 'Irina', language_code: 'ru' };
  const liisa: FakeUser = { id: 7005, first_name: 'Liisa', language_code: 'fi' };
  const oksana: FakeUser = { id: 7006, first_name: 'Oksana', language_code: 'uk' };
  const anna: FakeUser = { id: 7007, first_name: 'Anna', language_code: 'fi' };
  const ids: Record<string, string> = {};
  const pairs: Record<string, string> = {};

  const plan = (from: Date, end: Date, draftedBy: string): Commitment => ({
    aims: ['goal:vocabulary'],
    frequency: 'biweekly',
    start: from,
    plannedEnd: end,
    draftedBy,
    confirmedBy: draftedBy,
    confirmedAt: from,
  });
  /** An active pair with a confirmed plan that ends at `end`, holding one of the mentor's places. */
  async function pairOf(name: string, actorId: string, mentorId: string, end: Date) {
    const { pairs: repo, timeline } = app.repositories;
    const pair = await repo.create({
      actorId,
      mentorId,
      state: 'active',
      proposedBy: 'seed',
      actorAccepted: true,
      mentorAccepted: true,
      history: [{ state: 'active', by: 'seed', at: start }],
      commitment: plan(start, end, actorId),
      createdAt: start,
    });
    expect(await repo.claimMentorPlace(mentorId, 1, pair.id)).toBe(true);
    await timeline.append({ pairId: pair.id, type: 'activated', at: start });
    await timeline.append({ pairId: pair.id, type: 'commitment_set', at: start });
    await app.repositories.participants.setStatus(actorId, 'paired', start);
    await app.repositories.participants.setStatus(mentorId, 'paired', start);
    pairs[name] = pair.id;
  }

  const END_1 = new Date('2027-10-01T09:00:00Z'); // a Friday, noon in Helsinki
  const END_3 = new Date('2027-11-01T10:00:00Z'); // a Monday, noon in Helsinki

  beforeAll(async () => {
    app = await startTelegramApp(fake, 'e2e_completion', {
      clock,
      env: { OFFICER_TELEGRAM_IDS: String(officer.id), TELEGRAM_OFFICERS_CHAT: String(OFFICERS_CHAT) },
    });
    const p = app.repositories.participants;
    ids.fatima = (
      await seed(p, actorData(`telegram:${fatima.id}`, { firstName: 'فاطمة', city: 'Äänekoski' }, 'ar'))
    ).id;
    ids.olga = (
      await seed(
        p,
        mentorData(
          `telegram:${olga.id}`,
          { firstName: 'Ольга', city: 'Äänekoski', capacity: 1, languages: ['fi', 'ru'] },
          'ru',
        ),
      )
    ).id;
    ids.irina = (await seed(p, actorData(`telegram:${irina.id}`, { firstName: 'Ирина' }, 'ru'))).id;
    ids.liisa = (await seed(p, mentorData(`telegram:${liisa.id}`, { firstName: 'Liisa', capacity: 1 }, 'fi'))).id;
    ids.oksana = (await seed(p, actorData(`telegram:${oksana.id}`, { firstName: 'Оксана' }, 'uk'))).id;
    ids.anna = (await seed(p, mentorData(`telegram:${anna.id}`, { firstName: 'Anna', capacity: 1 }, 'fi'))).id;
    // A new actor waiting, for whom a mentor with a free place is looked for.
    ids.newcomer = (await seed(p, actorData('telegram:7099', { firstName: 'Noor', city: 'Äänekoski' }, 'en'))).id;
    await pairOf('completed', ids.fatima!, ids.olga!, END_1);
    await pairOf('early', ids.irina!, ids.liisa!, new Date('2027-12-01T10:00:00Z'));
    await pairOf('silent', ids.oksana!, ids.anna!, END_3);
  });
  afterAll(async () => {
    await app?.stop();
    await fake.stop();
  });

  const reply = (user: FakeUser, act: () => void, text: string) => fake.reply(user, act, text);
  const rankedFor = async (actorId: string) => JSON.stringify(await app.services.pairs.rank(actorId, clock.now()));

  it('two weeks before the planned end both partners are told, once, in their languages', async () => {
    clock.set(new Date(END_1.getTime() - 14 * DAY - HOUR));
    expect((await app.services.completion.tick(clock.now())).noticed).toBe(0);
    clock.set(new Date(END_1.getTime() - 14 * DAY + HOUR));
    expect((await app.services.completion.tick(clock.now())).noticed).toBe(2);
    expect((await app.services.completion.tick(clock.now())).noticed).toBe(0);
    await app.dispatcher.drain();
    await fake.waitFor(fatima.id, (m) => m.text === R('ar', 'completion:notice', { name: 'Ольга', end: day(END_1) }));
    const toOlga = await fake.waitFor(
      olga.id,
      (m) => m.text === R('ru', 'completion:notice', { name: 'فاطمة', end: day(END_1) }),
    );
    expect(toOlga.text).toContain('01.10.2027');
  });

  it('at the end each gets the survey; the actor answers the outcomes, the mentor fewer questions', async () => {
    expect(await rankedFor(ids.newcomer!)).not.toContain('Ольга'); // her one place is taken
    clock.set(new Date(END_1.getTime() + HOUR));
    const r = await app.services.completion.tick(clock.now());
    expect(r).toMatchObject({ surveyed: 2, alerted: 0 });
    await app.dispatcher.drain();
    await fake.waitFor(fatima.id, (m) => m.text === R('ar', 'completion:survey_intro', { name: 'Ольга' }));

    await reply(fatima, () => fake.press(fatima, L('ar', 'completion:survey_start')), L('ar', 'completion:rating_ask'));
    await reply(fatima, () => fake.press(fatima, '5'), L('ar', 'completion:changed_ask'));
    await reply(fatima, () => fake.press(fatima, L('ar', 'completion:changed.cv')), L('ar', 'completion:changed_ask'));
    await reply(
      fatima,
      () => fake.press(fatima, L('ar', 'completion:changed.job_or_traineeship')),
      L('ar', 'completion:changed_ask'),
    );
    await reply(fatima, () => fake.press(fatima, L('ar', 'common:done')), L('ar', 'completion:finnish_ask'));
    await reply(fatima, () => fake.sendText(fatima, 'كثيرًا'), L('ar', 'common:use_buttons'));
    await reply(fatima, () => fake.press(fatima, '4'), L('ar', 'completion:become_mentor_ask'));
    await reply(fatima, () => fake.press(fatima, L('ar', 'completion:yes')), L('ar', 'completion:recommend_ask'));
    await reply(fatima, () => fake.press(fatima, L('ar', 'completion:yes')), L('ar', 'completion:note_ask'));
    await reply(fatima, () => fake.sendText(fatima, 'شكرًا جزيلًا لأولغا'), L('ar', 'completion:answered_wait'));
    expect((await app.repositories.pairs.get(pairs.completed!))?.state).toBe('active');

    await fake.waitFor(olga.id, (m) => m.text === R('ru', 'completion:survey_intro', { name: 'فاطمة' }));
    await reply(olga, () => fake.press(olga, L('ru', 'completion:survey_start')), L('ru', 'completion:rating_ask'));
    await reply(olga, () => fake.press(olga, '4'), L('ru', 'completion:mentor_again_ask'));
    await reply(olga, () => fake.press(olga, L('ru', 'completion:yes')), L('ru', 'completion:recommend_ask'));
    await reply(olga, () => fake.press(olga, L('ru', 'completion:no')), L('ru', 'completion:note_ask'));
    await reply(olga, () => fake.press(olga, L('ru', 'common:skip')), L('ru', 'completion:answered_complete'));

    const surveys = await app.repositories.surveys.find({ pairId: pairs.completed! });
    const of = (id: string) => surveys.find((s) => s.participantId === id);
    expect(of(ids.fatima!)).toMatchObject({
      state: 'answered',
      role: 'actor',
      rating: 5,
      changed: ['cv', 'job_or_traineeship'],
      finnishConfidence: 4,
      wouldMentor: true,
      wouldRecommend: true,
      note: 'شكرًا جزيلًا لأولغا',
    });
    expect(of(ids.olga!)).toMatchObject({
      state: 'answered',
      role: 'mentor',
      rating: 4,
      wouldMentor: true,
      wouldRecommend: false,
    });
    expect(of(ids.olga!)?.changed).toBeUndefined();
    // The button again after answering changes nothing.
    const invitation = fake
      .messagesTo(olga.id)
      .find((m) => m.text === R('ru', 'completion:survey_intro', { name: 'فاطمة' }))!;
    const start = invitation.reply_markup!.inline_keyboard.flat()[0]!.callback_data;
    await reply(olga, () => fake.pressData(olga, start, invitation.message_id), L('ru', 'completion:already_answered'));
  });

  it('answered by both: completed, thanks and a certificate in her language plus Finnish; the mentor has room again', async () => {
    const pair = await app.repositories.pairs.get(pairs.completed!);
    expect(pair).toMatchObject({ state: 'completed', endedAt: clock.now() });
    expect((await app.repositories.timeline.forPair(pair!.id)).map((e) => e.type)).toContain('completed');
    expect((await app.repositories.participants.findById(ids.olga!))?.status).toBe('waiting');
    expect((await app.repositories.participants.findById(ids.fatima!))?.status).toBe('finished');
    expect(await rankedFor(ids.newcomer!)).toContain('Ольга');

    await app.dispatcher.drain();
    const isCertificate = (m: SentMessage) => m.document?.file_name === 'womento-certificate.pdf';
    const toFatima = await fake.waitFor(fatima.id, isCertificate);
    expect(toFatima.text).toContain(R('ar', 'completion:thanks', { name: 'Ольга' }));
    const arabic = await pdfText(toFatima.document!.bytes);
    for (const expected of [
      'شهادة مشاركة',
      'فاطمة',
      'Ольга',
      'Äänekoski',
      'Osallistumistodistus',
      'Womento-mentorointiohjelma',
      '1.3.2027',
    ])
      expect(arabic).toContain(expected);

    const toOlga = await fake.waitFor(olga.id, isCertificate);
    expect(toOlga.text).toContain(R('ru', 'completion:thanks', { name: 'فاطمة' }));
    const russian = await pdfText(toOlga.document!.bytes);
    for (const expected of [
      'Сертификат об участии',
      'Наставница: Ольга',
      'فاطمة',
      'Äänekoski',
      'Osallistumistodistus',
      'Mentori: Ольга',
    ])
      expect(russian).toContain(expected);
    expect(russian).not.toContain('شهادة مشاركة');
    // Keyed sends: another tick or drain sends no second certificate.
    await app.services.completion.tick(clock.now());
    await app.dispatcher.drain();
    expect(fake.messagesTo(fatima.id).filter(isCertificate)).toHaveLength(1);
  });

  it('an actor ends her pair early: reason, a "no" keeps it, a "yes" ends it; the mentor is told kindly', async () => {
    clock.set(new Date('2027-10-04T09:00:00Z'));
    await reply(liisa, () => fake.sendText(liisa, '/endpair'), L('fi', 'ending:reason_ask'));
    await reply(
      liisa,
      () => fake.press(liisa, L('fi', 'ending:reason.no_time')),
      L('fi', 'ending:confirm_ask', { name: 'Ирина' }),
    );
    await reply(liisa, () => fake.press(liisa, L('fi', 'ending:confirm_no')), L('fi', 'ending:kept'));
    expect((await app.repositories.pairs.get(pairs.early!))?.state).toBe('active');

    await reply(irina, () => fake.sendText(irina, '/endpair'), L('ru', 'ending:reason_ask'));
    await reply(
      irina,
      () => fake.press(irina, L('ru', 'ending:reason.found_a_job')),
      L('ru', 'ending:confirm_ask', { name: 'Liisa' }),
    );
    await reply(
      irina,
      () => fake.press(irina, L('ru', 'ending:confirm_yes')),
      L('ru', 'ending:done', { name: 'Liisa' }),
    );
    expect(await app.repositories.pairs.get(pairs.early!)).toMatchObject({
      state: 'ended',
      endReason: 'found_a_job',
      endedAt: clock.now(),
    });
    expect((await app.repositories.pairs.placesTaken([ids.liisa!])).get(ids.liisa!) ?? 0).toBe(0);
    expect((await app.repositories.participants.findById(ids.liisa!))?.status).toBe('waiting');

    await app.dispatcher.drain();
    await fake.waitFor(liisa.id, (m) => m.text === L('fi', 'ending:to_partner', { name: 'Ирина' }));
    await fake.waitFor(
      OFFICERS_CHAT,
      (m) => m.text.includes(L('en', 'ending:reason.found_a_job')) && m.text.includes(pairs.early!),
    );
    // Nothing left to end; a second /endpair says so.
    await reply(irina, () => fake.sendText(irina, '/endpair'), L('ru', 'ending:no_pair'));
  });

  it('she is asked whether she wants a new mentor, and is on the waiting list only if she says yes', async () => {
    await fake.waitFor(irina.id, (m) => m.text === L('ru', 'ending:rejoin_ask'));
    expect((await app.services.pairs.waitingActors()).map((a) => a.id)).not.toContain(ids.irina);
    await reply(irina, () => fake.press(irina, L('ru', 'ending:rejoin_yes')), L('ru', 'ending:rejoin_waiting'));
    expect((await app.services.pairs.waitingActors()).map((a) => a.id)).toContain(ids.irina);
  });

  it('a pair past its end without survey answers for 7 days alerts the officers once; an officer closes it', async () => {
    clock.set(new Date(END_3.getTime() + HOUR));
    expect(await app.services.completion.tick(clock.now())).toEqual({ noticed: 0, surveyed: 2, alerted: 0 });
    clock.set(new Date(END_3.getTime() + 6 * DAY + HOUR));
    expect((await app.services.completion.tick(clock.now())).alerted).toBe(0);
    clock.set(new Date(END_3.getTime() + 7 * DAY + HOUR));
    expect((await app.services.completion.tick(clock.now())).alerted).toBe(1);
    expect((await app.services.completion.tick(clock.now())).alerted).toBe(0);
    await app.dispatcher.drain();
    const alert = await fake.waitFor(OFFICERS_CHAT, (m) =>
      m.text.includes(L('en', 'alerts:signal.survey_unanswered', { count: 7 })),
    );
    expect(alert.text).toContain('Оксана & Anna');
    expect(alert.text).toContain(pairs.silent!);

    // Resolved, it does not come back on the next tick.
    const [open] = (await app.repositories.alerts.listOpen()).filter((a) => a.pairId === pairs.silent);
    await app.services.alerts.act(
      open!.id,
      'resolve',
      (await app.repositories.participants.findByIdentity(`telegram:${officer.id}`))!,
      clock.now(),
    );
    expect((await app.services.completion.tick(clock.now())).alerted).toBe(0);

    // The silent pair has other open alerts too (no meeting logged); they stop reminding once it is closed.
    expect((await app.services.alerts.evaluate(clock.now())).opened).toBeGreaterThan(0);
    await reply(officer, () => fake.sendText(officer, '/closepair'), L('en', 'completion:close_usage'));
    await reply(
      officer,
      () => fake.sendText(officer, `/closepair ${pairs.silent}`),
      L('en', 'completion:closed', { actor: 'Оксана', mentor: 'Anna' }),
    );
    expect((await app.repositories.pairs.get(pairs.silent!))?.state).toBe('completed');
    await app.dispatcher.drain();
    const certificate = await fake.waitFor(oksana.id, (m) => Boolean(m.document));
    expect(await pdfText(certificate.document!.bytes)).toContain('Сертифікат про участь');
    clock.advance(4 * DAY);
    expect((await app.services.alerts.evaluate(clock.now())).reminded).toBe(0);
    // The officers' group takes 20 messages a minute: the alerts posted there are sent slowly.
  }, 90_000);

  it('an officer ends a pair early by its id; both partners are told, and nobody else can', async () => {
    const pairs_ = app.repositories.pairs;
    await pairOf('byOfficer', ids.newcomer!, ids.olga!, new Date('2028-05-01T10:00:00Z'));
    await reply(fatima, () => fake.sendText(fatima, `/endpair ${pairs.byOfficer}`), L('ar', 'ending:no_pair'));
    await reply(officer, () => fake.sendText(officer, '/endpair nonsense'), L('en', 'ending:not_found'));
    await reply(officer, () => fake.sendText(officer, `/endpair ${pairs.byOfficer}`), L('en', 'ending:reason_ask'));
    await reply(
      officer,
      () => fake.press(officer, L('en', 'ending:reason.not_a_good_fit')),
      L('en', 'ending:confirm_ask_officer', { actor: 'Noor', mentor: 'Ольга' }),
    );
    await reply(
      officer,
      () => fake.press(officer, L('en', 'ending:confirm_yes')),
      L('en', 'ending:done_officer', { name: 'Noor & Ольга' }),
    );
    expect(await pairs_.get(pairs.byOfficer!)).toMatchObject({ state: 'ended', endReason: 'not_a_good_fit' });
    await app.dispatcher.drain();
    await fake.waitFor(olga.id, (m) => m.text === L('ru', 'ending:to_member_by_officer', { name: 'Noor' }));
  });
});
