import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoVocabProgressRepository, VOCAB_COLLECTION } from '../../adapters/mongo/vocab.repository.ts';
import { buildProgramme } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { CorruptDocumentError } from '../../src/core/errors.ts';
import type { Participant } from '../../src/core/model.ts';
import type { AiPort, AiRequest, AiResult } from '../../src/core/ports.ts';
import { testModels } from '../support/database.ts';
import { actorData, seed } from '../support/seed.ts';

const NOW = new Date('2027-03-01T10:00:00Z'); // 12:00 in Helsinki

describe('vocabulary progress on the real database', () => {
  let connection: Connection;
  let repo: MongoVocabProgressRepository;
  let built: ReturnType<typeof buildProgramme>;
  let nurse: Participant;

  beforeAll(async () => {
    const t = await testModels('vocab_progress');
    connection = t.connection;
    repo = new MongoVocabProgressRepository(connection.db!);
    built = buildProgramme(t.m, loadConfig({}));
    nurse = await seed(built.repos.participants, actorData('telegram:501', { profession: 'Sairaanhoitaja' }, 'ru'));
  });
  afterAll(() => connection?.close());

  it('keeps known words, the daily switch and the list she has, parsed back as stored', async () => {
    const progress = {
      id: 'p-1',
      known: ['potilas', 'kipu'],
      field: 'health' as const,
      daily: true,
      current: {
        field: 'health' as const,
        locale: 'ar',
        source: 'ai' as const,
        entries: [{ fi: 'potilas', meaning: 'مريض', example: 'Potilas odottaa.' }],
        at: NOW,
      },
      updatedAt: NOW,
    };
    await repo.save(progress);
    await repo.save({ id: 'p-2', known: [], daily: false, updatedAt: NOW });
    expect(await repo.get('p-1')).toEqual(progress);
    expect((await repo.withDaily()).map((p) => p.id)).toEqual(['p-1']);
    await repo.save({ ...progress, daily: false });
    expect(await repo.withDaily()).toEqual([]);
    expect(await repo.get('nobody')).toBeNull();
  });

  it('a malformed document is an error naming the collection and the id', async () => {
    await connection
      .db!.collection<{ _id: string }>(VOCAB_COLLECTION)
      .insertOne({ _id: 'p-bad', known: 'potilas' } as never);
    const error = await repo.get('p-bad').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptDocumentError);
    expect(String((error as Error).message)).toContain(VOCAB_COLLECTION);
    expect(String((error as Error).message)).toContain('p-bad');
  });

  it('without a model: her curated list, the known words left out, and stored for next time', async () => {
    const vocab = built.services.vocab;
    expect(await vocab.markKnown(['Potilas', 'kipu'], nurse, NOW)).toEqual({ known: 2 });
    const shown = await vocab.show('', nurse, NOW);
    expect(shown.outcome).toBe('list');
    if (shown.outcome !== 'list') return;
    expect(shown).toMatchObject({ field: 'health', source: 'curated', unknownField: false });
    expect(shown.entries.map((e) => e.fi)).not.toContain('potilas');
    expect(shown.entries.find((e) => e.fi === 'sairaanhoitaja')?.meaning).toBe('медсестра');
    expect(shown.quiz).toHaveLength(5);
    expect(shown.quiz.every((q) => !['potilas', 'kipu'].includes(q.word))).toBe(true);
    const stored = await built.repos.vocab.get(nurse.id);
    expect(stored).toMatchObject({ known: ['potilas', 'kipu'], current: { field: 'health', source: 'curated' } });
  });

  it('daily on: one message at 17:00 her time, once however often it is queued; off cancels it', async () => {
    const vocab = built.services.vocab;
    expect(await vocab.setDaily(true, nurse, NOW)).toMatchObject({ outcome: 'on', localTime: '17:00' });
    expect(await vocab.tick(NOW)).toBe(1);
    expect(await vocab.tick(new Date(+NOW + 3_600_000))).toBe(1);
    const queued = await built.repos.outbox.findByKeyPrefix(`vocab:daily:${nurse.id}:`);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ key: `vocab:daily:${nurse.id}:2027-03-01`, state: 'pending' });
    expect(queued[0]!.due.toISOString()).toBe('2027-03-01T15:00:00.000Z');
    expect(queued[0]!.text).toHaveLength(4); // the title and three words
    expect(queued[0]!.action?.choices.map((c) => c.value)).toEqual(['quiz', 'stop']);

    expect(await vocab.setDaily(false, nurse, NOW)).toEqual({ outcome: 'off', cancelled: 1 });
    expect(await vocab.tick(NOW)).toBe(0);
    expect(await vocab.setDaily(false, nurse, NOW)).toEqual({ outcome: 'already_off' });
    const after = await built.repos.outbox.findByKeyPrefix(`vocab:daily:${nurse.id}:`);
    expect(after.map((m) => m.state)).toEqual(['cancelled']);
  });

  it('off and on again the same day: that day has its message again, once', async () => {
    const vocab = built.services.vocab;
    expect(await vocab.setDaily(true, nurse, NOW)).toMatchObject({ outcome: 'on' });
    expect(await vocab.tick(new Date(+NOW + 3_600_000))).toBe(1);
    const today = (await built.repos.outbox.findByKeyPrefix(`vocab:daily:${nurse.id}:`)).filter(
      (m) => m.state === 'pending',
    );
    expect(today).toHaveLength(1);
    expect(today[0]!.key.startsWith(`vocab:daily:${nurse.id}:2027-03-01`)).toBe(true);
    expect(await vocab.setDaily(false, nurse, NOW)).toEqual({ outcome: 'off', cancelled: 1 });
  });

  it('/mydata holds her practice and /delete erases it', async () => {
    const data = await built.services.privacy.collect(nurse, NOW);
    expect(data.vocabularyPractice).toMatchObject({ known: ['potilas', 'kipu'] });
    await built.services.erasure.erase(nurse, NOW, true);
    expect(await built.repos.vocab.get(nurse.id)).toBeNull();
  });
});

describe("the model's list is checked before she sees it", () => {
  let connection: Connection;
  let built: ReturnType<typeof buildProgramme>;
  let me: Participant;
  const asked: AiRequest<unknown>[] = [];
  let answer: AiResult<unknown> = { ok: false, reason: 'failed' };
  const ai: AiPort = {
    enabled: (f) => f === 'vocab',
    complete: async <T>(request: AiRequest<T>) => {
      asked.push(request as AiRequest<unknown>);
      return answer as AiResult<T>;
    },
  };
  const good = () =>
    ['haava', 'kuume', 'rokotus', 'verikoe', 'leikkaus', 'ensiapu', 'sairaala', 'hoitaja', 'lääkäri', 'laastari'].map(
      (fi, i) => ({
        fi,
        translation: `сестринское слово ${i}`,
        example: `Tämä on hoitosana numero ${i}.`,
      }),
    );
  const withModel = (entries: ReturnType<typeof good>) => {
    answer = { ok: true, value: { entries }, tokens: 100 };
  };

  beforeAll(async () => {
    const t = await testModels('vocab_model');
    connection = t.connection;
    built = buildProgramme(t.m, loadConfig({}), new Map(), { ai });
    me = await seed(built.repos.participants, {
      ...actorData(
        'telegram:601',
        { firstName: 'Oksana', city: 'Oulu', profession: 'медсестра, Oksana, 040 111 2233' },
        'ru',
      ),
      aiConsent: { given: true, textVersion: '2026-11+ai-2', at: NOW },
    });
  });
  afterAll(() => connection?.close());

  it.each<[string, (e: ReturnType<typeof good>) => void, 'ai' | 'curated']>([
    ['a valid list is used', () => {}, 'ai'],
    ['a Finnish word in Cyrillic', (e) => (e[3]!.fi = 'хоитаја'), 'curated'],
    ['an English example', (e) => (e[5]!.example = 'The nurse is with the patient.'), 'curated'],
    ['a meaning not in her language', (e) => (e[2]!.translation = 'nurse word'), 'curated'],
    ['her name in an example', (e) => (e[1]!.example = 'Oksana mittaa verenpaineen.'), 'curated'],
    ['her city in an example', (e) => (e[1]!.example = 'Asun Oulussa.'), 'curated'],
    ['a phone number in an example', (e) => (e[1]!.example = 'Soita numeroon 040 765 4321.'), 'curated'],
    ['fewer than ten entries', (e) => e.splice(5), 'curated'],
  ])('%s', async (_name, spoil, source) => {
    const entries = good();
    spoil(entries);
    withModel(entries);
    await built.repos.vocab.save({ id: me.id, known: [], daily: false, updatedAt: NOW });
    const shown = await built.services.vocab.show('', me, NOW);
    expect(shown.outcome === 'list' && shown.source).toBe(source);
    const sent = asked.at(-1)!;
    expect(sent.schemaName).toBe('finnish_vocabulary');
    expect(sent.user).toContain('Profession: медсестра, [ACTOR], [PHONE]');
    expect(sent.user).not.toMatch(/Oksana|Oulu|040/);
  });

  it('on a model failure the curated list, and without her consent the model is not asked', async () => {
    answer = { ok: false, reason: 'timeout' };
    await built.repos.vocab.save({ id: me.id, known: [], daily: false, updatedAt: NOW });
    const failed = await built.services.vocab.show('', me, NOW);
    expect(failed.outcome === 'list' && failed.source).toBe('curated');
    const count = asked.length;
    const refused = { ...me, aiConsent: { given: false, textVersion: '2026-11+ai-2', at: NOW } };
    await built.repos.vocab.save({ id: me.id, known: [], daily: false, updatedAt: NOW });
    const shown = await built.services.vocab.show('', refused, NOW);
    expect(shown.outcome === 'list' && shown.source).toBe('curated');
    expect(asked.length).toBe(count);
    // A yes to the notice before /vocab (it did not name her profession) covers check-in notes only.
    const earlier = { ...me, aiConsent: { given: true, textVersion: '2026-11', at: NOW } };
    await built.repos.vocab.save({ id: me.id, known: [], daily: false, updatedAt: NOW });
    const older = await built.services.vocab.show('', earlier, NOW);
    expect(older.outcome === 'list' && older.source).toBe('curated');
    expect(asked.length).toBe(count);
  });
});
