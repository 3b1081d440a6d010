import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiAdapter } from '../../adapters/openai/openai.adapter.ts';
import { buildProgramme } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { isoWeek } from '../../src/services/programme/digest.service.ts';
import { FakeOpenAI } from '../fakes/openai.ts';
import { ManualClock } from '../support/clock.ts';
import { testModels } from '../support/database.ts';
import { recordingLogger } from '../support/logger.ts';
import { activePair, actorData, mentorData, seed } from '../support/seed.ts';

const DAY = 86_400_000;

describe("the officers' weekly digest", () => {
  const model = new FakeOpenAI();
  const clock = new ManualClock(new Date('2027-03-01T06:00:00Z')); // a Monday
  let built: ReturnType<typeof buildProgramme>;
  let close: () => Promise<void>;
  let officerId: string;

  beforeAll(async () => {
    const baseURL = await model.start();
    const { connection, m } = await testModels('digest');
    close = () => connection.close();
    const config = loadConfig({});
    const logger = recordingLogger();
    const ai = new OpenAiAdapter({
      apiKey: 'k',
      baseURL,
      model: 'fake',
      features: ['digest'],
      dailyTokens: 10_000,
      clock,
      logger,
      timeoutMs: 500,
    });
    built = buildProgramme(m, config, new Map(), { ai, logger });
    await built.services.officers.ensure([{ identity: 'telegram:7001', address: 'telegram:7001' }], clock.now());
    officerId = (await built.repos.participants.findByIdentity('telegram:7001'))!.id;
    const consent = { given: true, textVersion: 'v1', at: clock.now() };
    const started = new Date(+clock.now() - 30 * DAY);
    const pairOf = async (actor: string, mentor: string, agreed: boolean) => {
      const a = await seed(built.repos.participants, {
        ...actorData(`telegram:${actor}`, { firstName: actor }),
        ...(agreed ? { aiConsent: consent } : {}),
      });
      const b = await seed(built.repos.participants, {
        ...mentorData(`telegram:m${actor}`, { firstName: mentor }),
        aiConsent: consent,
      });
      const pair = await activePair(built.repos.pairs, a.id, b.id, started);
      await built.repos.timeline.append({ pairId: pair.id, type: 'activated', at: started });
      await built.repos.timeline.append({ pairId: pair.id, type: 'commitment_set', at: new Date(+started + DAY) });
      return pair;
    };
    await pairOf('Amira', 'Liisa', true);
    await pairOf('Olga', 'Sari', false);
    model.forbid('Amira', 'Liisa', 'Olga', 'Sari');
    await built.services.alerts.evaluate(clock.now());
  });
  afterAll(async () => {
    await close?.();
    await model.stop();
  });

  const digestTo = async (week: string) =>
    (await built.repos.outbox.findByKeyPrefix(`digest:${week}:`)).filter((x) => x.recipientId === officerId);

  it('lists the pairs needing attention with why, under a model summary with names put back afterwards', async () => {
    model.answer = () => ({ summary: '[PAIR1] has not met for a month: start there.' });
    expect(await built.services.digest.weekly(clock.now())).toBe(1);
    const [digest] = await digestTo(isoWeek(clock.now()));
    expect(digest?.text).toEqual([
      { key: 'digest:title' },
      { literal: 'Amira & Liisa has not met for a month: start there.' },
      { key: 'digest:ai_made' },
      expect.objectContaining({
        key: 'digest:pair',
        params: expect.objectContaining({ actor: 'Amira', mentor: 'Liisa' }),
      }),
      expect.objectContaining({
        key: 'digest:pair',
        params: expect.objectContaining({ actor: 'Olga', mentor: 'Sari' }),
      }),
      expect.objectContaining({ key: 'digest:week' }),
    ]);
    // Only the pair whose both members agreed went to the model, as a placeholder.
    expect(model.shown).toEqual(['[PAIR1]: open signals: no_meeting; this week: nothing']);
    model.assertNoLeaks();
    // Once a week: the same Monday again sends nothing.
    expect(await built.services.digest.weekly(clock.now())).toBe(0);
  });

  it('with the model failing, the same facts from the template alone', async () => {
    clock.advance(7 * DAY);
    model.always = { kind: 'status', status: 500 };
    expect(await built.services.digest.weekly(clock.now())).toBe(1);
    const [digest] = await digestTo(isoWeek(clock.now()));
    expect(digest?.text.map((x) => ('key' in x ? x.key : 'literal'))).toEqual([
      'digest:title',
      'digest:pair',
      'digest:pair',
      'digest:week',
    ]);
    model.always = undefined;
    model.assertNoLeaks();
  });
});
