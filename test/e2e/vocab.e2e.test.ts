import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { escapeRegExp } from '../../src/core/text.ts';
import type { QuizQuestion } from '../../src/core/vocab.ts';
import { FakeOpenAI } from '../fakes/openai.ts';
import { FakeTelegram, type FakeUser } from '../fakes/telegram-bot-api.ts';
import { ManualClock } from '../support/clock.ts';
import { L } from '../support/i18n.ts';
import { actorData, seed } from '../support/seed.ts';
import { startTelegramApp } from '../support/telegram-app.ts';

/** What the seeded nurses wrote about themselves: none of it may reach the model. */
const PERSONAL = ['رانيا', 'Rania', 'سلمى', 'Salma', 'Tampere', '040 123 4567', '040 765 4321'];

/** Ten words the fake model answers, none of them in the curated health list. */
const MODEL_WORDS: [string, string, string][] = [
  ['kuume', 'حمّى', 'Potilaalla on kuumetta.'],
  ['haava', 'جرح', 'Puhdistan haavan huolellisesti.'],
  ['rokotus', 'تطعيم', 'Rokotus annetaan olkavarteen.'],
  ['verikoe', 'فحص الدم', 'Verikoe otetaan aamulla.'],
  ['leikkaus', 'عملية جراحية', 'Leikkaus alkaa kello kahdeksan.'],
  ['ensiapu', 'إسعافات أولية', 'Ensiapu on tärkeää.'],
  ['sairaala', 'مستشفى', 'Sairaala on lähellä.'],
  ['hoitaja', 'ممرض', 'Hoitaja tulee pian.'],
  ['kuumemittari', 'ميزان الحرارة', 'Kuumemittari on laatikossa.'],
  ['lääkäri', 'طبيب', 'Lääkäri tulee iltapäivällä.'],
];
const modelList = () => ({ entries: MODEL_WORDS.map(([fi, translation, example]) => ({ fi, translation, example })) });

describe('/vocab: Finnish words of her field, end to end through telegraf', () => {
  const telegram = new FakeTelegram();
  const model = new FakeOpenAI();
  const start = new Date('2027-03-01T10:00:00Z'); // a Monday, 12:00 in Helsinki
  const clock = new ManualClock(start);
  let app: App;
  const rania: FakeUser = { id: 9301, first_name: 'Rania', language_code: 'ar' };
  const salma: FakeUser = { id: 9302, first_name: 'Salma', language_code: 'ar' };

  beforeAll(async () => {
    const baseURL = await model.start();
    model.forbid(...PERSONAL);
    app = await startTelegramApp(telegram, 'e2e_vocab', {
      clock,
      env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: baseURL, OPENAI_MODEL: 'fake-model' },
    });
    const consent = { aiConsent: { given: true, textVersion: '2026-11+ai-2', at: start } };
    await seed(app.repositories.participants, {
      ...actorData(`telegram:${rania.id}`, { firstName: 'رانيا', profession: 'ممرضة، هاتفي 040 123 4567' }, 'ar'),
      ...consent,
    });
    await seed(app.repositories.participants, {
      ...actorData(`telegram:${salma.id}`, { firstName: 'سلمى', profession: 'ممرضة (Salma) 040 765 4321' }, 'ar'),
      // The name Telegram shows for her is known to the database too.
      displayName: 'Salma',
      ...consent,
    });
  });
  afterEach(() => model.assertNoLeaks());
  afterAll(async () => {
    await app?.stop();
    await telegram.stop();
    await model.stop();
  });

  const idOf = async (user: FakeUser) =>
    (await app.repositories.participants.findByIdentity(`telegram:${user.id}`))!.id;
  /** The quiz question she is at, as her conversation keeps it. */
  async function currentQuestion(user: FakeUser): Promise<{ q: QuizQuestion; index: number; total: number }> {
    const state = await app.repositories.conversations.load(`telegram:${user.id}`);
    expect(state?.flow?.flow).toBe('vocab-quiz');
    const data = state!.flow!.data as { questions: QuizQuestion[]; index: number };
    return { q: data.questions[data.index]!, index: data.index, total: data.questions.length };
  }
  /** A button whose whole label is this (Arabic text isolates Latin runs). */
  const exactly = (label: string) => new RegExp(`^\u2068?${escapeRegExp(label)}\u2069?$`);
  const askedQuiz = (n: number, total: number) => (m: { text: string }) =>
    m.text.includes(`${n}/${total}`.replace(/\d+/g, (d) => `\u2068${d}\u2069`)) || m.text.includes(`${n}/${total}`);

  it('with the model: ten words of her field in Arabic from the model; only her field and language were sent', async () => {
    model.answer = (schema) => (schema === 'finnish_vocabulary' ? modelList() : {});
    const list = await telegram.reply(rania, () => telegram.sendText(rania, '/vocab'), 'kuumemittari');
    for (const [fi, meaning] of MODEL_WORDS) {
      expect(list.text).toContain(fi);
      expect(list.text).toContain(meaning);
    }
    expect(list.text).toContain(L('ar', 'vocab:ai_made'));
    expect(list.text).not.toContain('sairaanhoitaja');
    expect(model.requests).toHaveLength(1);
    const shown = model.shown[0]!;
    expect(shown).toContain('Field: health care');
    expect(shown).toContain('Translate into: Arabic');
    expect(shown).toContain('Profession: ممرضة، هاتفي [PHONE]');
    expect(model.requests[0]!.body.response_format?.json_schema?.name).toBe('finnish_vocabulary');
    await telegram.waitFor(rania.id, askedQuiz(1, 5));
  });

  it('the quiz with buttons: right answers and "I know this" are kept, a wrong one is not', async () => {
    const outcomes = ['right', 'know', 'wrong', 'right', 'right'] as const;
    const kept: string[] = [];
    let missed = '';
    let pressedAt = 0;
    for (const [i, outcome] of outcomes.entries()) {
      // Her answer's feedback comes before the next question: press only once that question is there.
      if (i > 0) await telegram.waitFor(rania.id, askedQuiz(i + 1, 5), { since: pressedAt });
      pressedAt = telegram.mark;
      const { q, index, total } = await currentQuestion(rania);
      expect({ index, total }).toEqual({ index: i, total: 5 });
      const wrong = q.choices.find((_c, n) => n !== q.answer)!;
      const label =
        outcome === 'know' ? L('ar', 'vocab:quiz.know') : outcome === 'right' ? q.choices[q.answer]! : wrong;
      const expected =
        outcome === 'know'
          ? L('ar', 'vocab:quiz.known_noted')
          : outcome === 'right'
            ? L('ar', 'vocab:quiz.right')
            : L('ar', 'vocab:quiz.wrong', {
                word: q.word,
                meaning: q.direction === 'fi_to_meaning' ? q.choices[q.answer]! : q.shown,
              });
      await telegram.reply(rania, () => telegram.press(rania, outcome === 'know' ? label : exactly(label)), expected);
      if (outcome === 'wrong') missed = q.word;
      else kept.push(q.word);
    }
    await telegram.waitFor(rania.id, (m) => m.text.includes(L('ar', 'vocab:quiz.done', { right: 3, total: 5 })));
    const progress = await app.repositories.vocab.get(await idOf(rania));
    expect(progress?.known.sort()).toEqual(kept.sort());
    expect(progress?.known).not.toContain(missed);

    // /vocab again: the same list (the model is not asked again), without the words she knows.
    const sent = model.requests.length;
    const since = telegram.mark;
    telegram.sendText(rania, '/vocab');
    const again = await telegram.waitFor(rania.id, (m) => m.text.includes(missed), { since });
    expect(model.requests.length).toBe(sent);
    const lines = again.text.split('\n').filter((l) => l.startsWith('•'));
    expect(lines).toHaveLength(10 - kept.length);
    for (const word of kept)
      expect(lines.some((l) => l.includes(`\u2068${word}\u2069 `) || l.startsWith(`• ${word} `))).toBe(false);
    await telegram.waitFor(rania.id, askedQuiz(1, 5), { since });
    const { q } = await currentQuestion(rania);
    const state = await app.repositories.conversations.load(`telegram:${rania.id}`);
    const asked = (state!.flow!.data as { questions: QuizQuestion[] }).questions.map((x) => x.word);
    for (const word of kept) expect(asked).not.toContain(word);
    expect(asked).toContain(q.word);
  });

  it('with the model failing: the curated health-care list in Arabic', async () => {
    model.always = { kind: 'status', status: 500 };
    const sent = model.requests.length;
    const list = await telegram.reply(salma, () => telegram.sendText(salma, '/vocab'), 'sairaanhoitaja');
    expect(list.text).toContain('ممرضة');
    expect(list.text).toContain('Sairaanhoitaja antaa potilaalle lääkkeen');
    expect(list.text).toContain('terveyskeskus');
    expect(list.text).not.toContain(L('ar', 'vocab:ai_made'));
    // Tried once and retried once, redacted both times; then the curated list served.
    expect(model.requests.length - sent).toBe(2);
    expect(model.shown.at(-1)).toContain('Profession: ممرضة ([ACTOR]) [PHONE]');
    await telegram.waitFor(salma.id, askedQuiz(1, 5));
    expect((await app.repositories.vocab.get(await idOf(salma)))?.current?.source).toBe('curated');
    model.always = undefined;
  });

  it('/vocab daily: one message at 17:00 her time through the outbox, a quick quiz from it, and off', async () => {
    await telegram.reply(
      salma,
      () => telegram.sendText(salma, '/vocab daily'),
      L('ar', 'vocab:daily.on', { time: '17:00' }),
    );
    const me = await idOf(salma);
    const key = `vocab:daily:${me}:2027-03-01`;
    expect((await app.repositories.outbox.findByKeyPrefix(key)).map((m) => m.due.toISOString())).toEqual([
      '2027-03-01T15:00:00.000Z',
    ]);
    const since = telegram.mark;
    await app.dispatcher.drain();
    expect(telegram.messagesTo(salma.id).filter((m) => m.seq > since)).toHaveLength(0); // not before 17:00

    clock.set('2027-03-01T15:00:30Z');
    await app.services.vocab.tick(clock.now());
    await app.dispatcher.drain();
    await app.services.vocab.tick(clock.now());
    await app.dispatcher.drain();
    const daily = await telegram.waitFor(salma.id, (m) => m.text.includes(L('ar', 'vocab:daily.title')), { since });
    expect(
      telegram.messagesTo(salma.id).filter((m) => m.seq > since && m.text.includes(L('ar', 'vocab:daily.title'))),
    ).toHaveLength(1);
    expect(daily.text.split('\n').filter((l) => l.startsWith('•'))).toHaveLength(3);

    const before = telegram.mark;
    telegram.press(salma, L('ar', 'vocab:daily.quiz'));
    await telegram.waitFor(salma.id, askedQuiz(1, 3), { since: before });
    expect((await currentQuestion(salma)).total).toBe(3);

    // Tomorrow's is queued by the hourly job; stopping cancels it.
    const tomorrow = `vocab:daily:${me}:2027-03-02`;
    expect((await app.repositories.outbox.findByKeyPrefix(tomorrow)).map((m) => m.state)).toEqual(['pending']);
    await telegram.reply(salma, () => telegram.sendText(salma, '/vocab daily off'), L('ar', 'vocab:daily.off'));
    expect((await app.repositories.outbox.findByKeyPrefix(tomorrow)).map((m) => m.state)).toEqual(['cancelled']);
    expect((await app.repositories.vocab.get(me))?.daily).toBe(false);
  });

  it('/help names /vocab for actors', async () => {
    const help = await telegram.reply(rania, () => telegram.sendText(rania, '/help'), '/vocab');
    expect(help.text).toContain(
      L('ar', 'help:actor')
        .split('\n')
        .find((l) => l.includes('/vocab'))!
        .slice(0, 10),
    );
  });
});
