import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Locale } from '../../src/core/model.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { testDbUri } from '../support/database.ts';
import { L } from '../support/i18n.ts';
import { recordingLogger } from '../support/logger.ts';

describe('registration over Telegram, end to end with the real telegraf', () => {
  const fake = new FakeTelegram();
  const logger = recordingLogger();
  const mongoUri = testDbUri('e2e_tg_registration');
  let app: App;
  let config: ReturnType<typeof loadConfig>;

  const startBot = async () => {
    app = await createApp({ config, logger, mongoUri });
    await app.start();
  };

  beforeAll(async () => {
    const apiRoot = await fake.start();
    config = loadConfig({
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: apiRoot,
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      MENTOR_CODES: 'GOODCODE1',
    });
    await startBot();
  });

  afterAll(async () => {
    await app?.stop();
    await fake.stop();
  });

  /** Sends, then waits for the bot's reply that matches. */
  async function expectReply(user: FakeUser, act: () => void, text: string) {
    const since = fake.mark;
    act();
    return fake.waitFor(user.id, (m) => m.text.includes(text), { since });
  }

  async function register(user: FakeUser, lng: Locale, opts: { viaLanguageKeyboard: boolean }) {
    if (opts.viaLanguageKeyboard) {
      await expectReply(user, () => fake.sendText(user, '/start'), L('en', 'registration:language.ask'));
      await expectReply(
        user,
        () => fake.press(user, L(lng, `common:language_name.${lng}`)),
        L(lng, 'registration:consent.ask'),
      );
    } else {
      await expectReply(user, () => fake.sendText(user, '/start'), L(lng, 'registration:consent.ask'));
    }

    // A sticker where text is expected: a hint in her language, and the same question again.
    await expectReply(user, () => fake.sendSticker(user), L(lng, 'common:unsupported'));
    await fake.waitFor(user.id, (m) => m.text.includes(L(lng, 'registration:consent.ask')), { since: fake.mark - 1 });

    await expectReply(
      user,
      () => fake.press(user, L(lng, 'registration:consent.accept')),
      L(lng, 'registration:name.ask'),
    );
    await expectReply(user, () => fake.sendText(user, 'Amira'), L(lng, 'registration:city.ask'));

    // A forged button: refused politely, nothing changes.
    await expectReply(user, () => fake.pressData(user, 'forged|Helsinki'), L(lng, 'common:button_expired'));
    // A 5,000-character answer: refused with the reason, the question again.
    await expectReply(user, () => fake.sendText(user, 'x'.repeat(5000)), L(lng, 'registration:city.invalid'));
    // An unknown command.
    await expectReply(user, () => fake.sendText(user, '/dance'), L(lng, 'common:unknown_command'));

    await expectReply(user, () => fake.press(user, 'Tampere'), L(lng, 'registration:profession.ask'));
    await expectReply(user, () => fake.sendText(user, 'Civil engineer'), L(lng, 'registration:education.ask'));

    // The bot restarts in the middle of registration: she continues at the same question.
    await fake.settle();
    await app.stop();
    await startBot();
    await expectReply(
      user,
      () => fake.press(user, L(lng, 'registration:education.options.master')),
      L(lng, 'registration:experience.ask'),
    );

    await expectReply(user, () => fake.sendText(user, '7'), L(lng, 'registration:finnish.ask'));
    await expectReply(
      user,
      () => fake.press(user, L(lng, 'registration:finnish.options.B1')),
      L(lng, 'registration:goals.ask'),
    );
    await expectReply(
      user,
      () => fake.press(user, L(lng, 'registration:goals.options.vocabulary')),
      L(lng, 'registration:goals.ask'),
    );
    await expectReply(
      user,
      () => fake.press(user, L(lng, 'registration:goals.options.cv_applications')),
      L(lng, 'registration:goals.ask'),
    );
    await expectReply(user, () => fake.press(user, L(lng, 'common:done')), L(lng, 'registration:languages.ask'));
    await expectReply(
      user,
      () => fake.press(user, L(lng, 'common:spoken_language.ar')),
      L(lng, 'registration:languages.ask'),
    );
    await expectReply(user, () => fake.press(user, L(lng, 'common:done')), L(lng, 'registration:availability.ask'));
    await expectReply(
      user,
      () => fake.press(user, L(lng, 'registration:availability.options.evenings')),
      L(lng, 'registration:availability.ask'),
    );
    const summary = await expectReply(
      user,
      () => fake.press(user, L(lng, 'common:done')),
      L(lng, 'registration:summary.ask'),
    );
    expect(summary.text).toContain(L(lng, 'registration:summary.line.experience', { count: 7 }));
    await expectReply(
      user,
      () => fake.press(user, L(lng, 'registration:summary.confirm')),
      L(lng, 'registration:done.actor', { name: 'Amira' }),
    );
  }

  it.each([
    ['fi', { id: 5001, first_name: 'Amira', language_code: 'fi' }, false],
    ['ar', { id: 5002, first_name: 'أميرة', language_code: 'de' }, true],
  ] as const)(
    'registers an actor in %s, with every bad input on the way, and stores her profile',
    async (lng, user, viaKeyboard) => {
      await register(user, lng, { viaLanguageKeyboard: viaKeyboard });

      const stored = await app.repositories.participants.findByIdentity(`telegram:${user.id}`);
      expect(stored).toMatchObject({
        role: 'actor',
        status: 'waiting',
        locale: lng,
        addresses: { telegram: `telegram:${user.id}` },
        consent: { given: true },
        actor: {
          firstName: 'Amira',
          city: 'Tampere',
          profession: 'Civil engineer',
          education: 'master',
          yearsExperience: 7,
          finnishLevel: 'B1',
          goals: ['vocabulary', 'cv_applications'],
          languages: ['ar'],
          availability: ['evenings'],
        },
      });
      // Every message the bot sent was plain text within Telegram's limits, in her language.
      const sent = fake.messagesTo(user.id);
      expect(sent.every((m) => m.text.length <= 4096)).toBe(true);
      if (lng === 'ar') expect(sent.at(-1)!.text).toMatch(/[\u0600-\u06FF]/);
      // Every button press was answered.
      const presses = fake.calls.filter((c) => c.method === 'answerCallbackQuery').length;
      expect(presses).toBeGreaterThanOrEqual(12);
    },
  );

  it('handles a redelivered update once', async () => {
    const user = { id: 5003, first_name: 'Olga', language_code: 'ru' };
    await expectReply(user, () => fake.sendText(user, '/start'), L('ru', 'registration:consent.ask'));
    const updateId = fake.press(user, L('ru', 'registration:consent.accept'));
    await fake.waitFor(user.id, (m) => m.text.includes(L('ru', 'registration:name.ask')));
    await fake.settle();
    const before = fake.messagesTo(user.id).length;
    fake.redeliver(updateId, {
      message: {
        message_id: 77,
        date: 0,
        chat: { id: user.id, type: 'private' },
        from: { ...user, is_bot: false },
        text: 'Olga',
      },
    });
    await fake.settle();
    expect(fake.messagesTo(user.id).length).toBe(before);
  });

  it('ignores group messages without failing', async () => {
    const user = { id: 5004, first_name: 'Group', language_code: 'en' };
    const before = fake.messages.length;
    fake.sendText(user, '/start', { id: -100123, type: 'supergroup', title: 'Peers' } as never);
    await fake.settle();
    expect(fake.messages.length).toBe(before);
    expect(await app.repositories.conversations.load(`telegram:${user.id}`)).toBeNull();
  });

  it('splits a reply longer than 4096 characters', async () => {
    await app.engine['deps'].channels.get('telegram')!.deliver({
      conversationId: 'telegram:5005',
      message: { type: 'text', text: `${'word '.repeat(1000)}\n\n${'más '.repeat(400)}` },
    });
    const parts = fake.messagesTo(5005);
    expect(parts.length).toBe(2);
    expect(parts.every((p) => p.text.length <= 4096)).toBe(true);
  });

  it('logs no names or messages above debug level', () => {
    const visible = JSON.stringify(logger.records.filter((r) => r.level !== 'debug'));
    expect(visible).not.toContain('Amira');
    expect(visible).not.toContain('Civil engineer');
  });
});
