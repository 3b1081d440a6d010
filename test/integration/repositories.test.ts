import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect } from '../../adapters/mongo/connection.ts';
import {
  MongoConversationRepository,
  MongoProcessedEventRepository,
} from '../../adapters/mongo/conversation.repository.ts';
import { freePort } from '../../adapters/mongo/launcher.ts';
import { ensureIndexes, type Models, models } from '../../adapters/mongo/models.ts';
import { MongoParticipantRepository } from '../../adapters/mongo/participant.repository.ts';
import { ConflictError, StorageUnavailableError } from '../../src/core/errors.ts';
import type { NewParticipant } from '../../src/core/ports.ts';
import { testDbUri, testModels } from '../support/database.ts';
import { NOW } from '../support/flow-driver.ts';

const actor = (identity: string, name = 'Maria'): NewParticipant => ({
  role: 'actor',
  identities: [identity],
  addresses: { telegram: identity },
  locale: 'fi',
  timeZone: 'Europe/Helsinki',
  status: 'waiting',
  consent: { given: true, textVersion: 'v1', at: NOW },
  actor: {
    firstName: name,
    city: 'Oulu',
    profession: 'Nurse',
    education: 'bachelor',
    yearsExperience: 3,
    finnishLevel: 'A2',
    goals: ['networking'],
    languages: ['ar'],
    availability: ['weekends'],
  },
});

describe('repositories on the real database', () => {
  let connection: Connection;
  let m: Models;
  beforeAll(async () => {
    ({ connection, m } = await testModels('repositories'));
  });
  afterAll(() => connection.close());

  it('creates a participant, finds her by identity, and updates her in place', async () => {
    const repo = new MongoParticipantRepository(m);
    const created = await repo.save(actor('telegram:1'), NOW);
    expect(await repo.findByIdentity('telegram:1')).toEqual(created);
    const later = new Date(NOW.getTime() + 60_000);
    const updated = await repo.save({ ...actor('telegram:1', 'Marja') }, later);
    expect(updated.id).toBe(created.id);
    expect(updated.createdAt).toEqual(NOW);
    expect((await repo.findById(created.id))?.actor?.firstName).toBe('Marja');
    expect(await repo.findByIdentity('telegram:404')).toBeNull();
    expect(await repo.findById('not-an-id')).toBeNull();
  });

  it('gives one identity to one participant even when two saves race', async () => {
    const repo = new MongoParticipantRepository(m);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => repo.save(actor('telegram:race', `N${i}`), NOW)),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await m.Participant.countDocuments({ identities: 'telegram:race' })).toBe(1);
  });

  it('stores the locale change', async () => {
    const repo = new MongoParticipantRepository(m);
    const p = await repo.save(actor('telegram:2'), NOW);
    await repo.setLocale(p.id, 'ar', NOW);
    expect((await repo.findById(p.id))?.locale).toBe('ar');
  });

  it('refuses a conversation save based on a stale revision', async () => {
    const repo = new MongoConversationRepository(m);
    const flow = {
      flow: 'actor-registration',
      version: 1,
      step: 'name',
      data: { a: 1 },
      history: ['consent'],
      promptId: 'abc',
      paused: false,
    };
    await repo.save({ identity: 'telegram:3', locale: 'fi', flow, recentEventIds: ['e1'], revision: 0 });
    const loaded = (await repo.load('telegram:3'))!;
    expect(loaded).toEqual({ identity: 'telegram:3', locale: 'fi', flow, recentEventIds: ['e1'], revision: 1 });
    await repo.save({ ...loaded, recentEventIds: ['e1', 'e2'] });
    await expect(repo.save({ ...loaded, recentEventIds: ['e1', 'e3'] })).rejects.toBeInstanceOf(ConflictError);
    await expect(repo.save({ identity: 'telegram:3', recentEventIds: [], revision: 0 })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect((await repo.load('telegram:3'))?.recentEventIds).toEqual(['e1', 'e2']);
  });

  it('a conversation saved many times keeps its first, previous and latest revision; an old document is read', async () => {
    let t = NOW.getTime();
    const repo = new MongoConversationRepository(m, { now: () => t });
    const ids = async () =>
      (await m.Conversation.collection.find({ _id: { $regex: '^telegram:30(#|$)' } as never }).toArray())
        .map((d) => String(d._id))
        .sort();
    await m.Conversation.collection.insertOne({
      _id: 'telegram:30' as never,
      locale: 'uk',
      flow: null,
      recentEventIds: ['old'],
      revision: 4,
    });
    expect(await repo.load('telegram:30')).toEqual({
      identity: 'telegram:30',
      locale: 'uk',
      recentEventIds: ['old'],
      revision: 4,
    });
    let state = (await repo.load('telegram:30'))!;
    for (let i = 0; i < 6; i++) {
      await repo.save({ ...state, recentEventIds: [`e${i}`] });
      const next = (await repo.load('telegram:30'))!;
      await expect(repo.save({ ...state, recentEventIds: ['stale'] })).rejects.toBeInstanceOf(ConflictError);
      state = next;
    }
    expect(state).toMatchObject({ revision: 10, recentEventIds: ['e5'] });
    // Superseded revisions stay while a copy of them may be in use anywhere, then go.
    await repo.deleteDue();
    expect(await ids()).toHaveLength(7);
    t += 120_000;
    expect(await repo.deleteDue()).toBeGreaterThanOrEqual(4);
    expect(await ids()).toEqual(['telegram:30', 'telegram:30#0000000009', 'telegram:30#0000000010']);
    // Her last event ids are stored as one string (cheaper for FerretDB than a list); the old list is read too.
    const latest = await m.Conversation.collection.findOne({ _id: 'telegram:30#0000000010' as never });
    expect(latest?.recentEventIds).toBe('["e5"]');
  });

  it('superseded revisions whose deletes a restart lost are deleted by the next load, once old enough', async () => {
    let t = NOW.getTime();
    const before = new MongoConversationRepository(m, { now: () => t });
    let state = { identity: 'telegram:32', recentEventIds: [] as string[], revision: 0 };
    for (let i = 0; i < 5; i++) state = { ...state, revision: await before.save(state) };
    await before.flush();
    const ids = async () => (await m.Conversation.collection.find({ identity: 'telegram:32' }).toArray()).length;
    expect(await ids()).toBe(5);
    const soon = new MongoConversationRepository(m, { now: () => t + 60_000 });
    expect((await soon.load('telegram:32'))?.revision).toBe(5);
    t += 121_000;
    const after = new MongoConversationRepository(m, { now: () => t });
    expect((await after.load('telegram:32'))?.revision).toBe(5);
    // The first and the two latest stay.
    await vi.waitFor(async () => expect(await ids()).toBe(3));
    expect(await ids()).toBe(3);
  });

  it('drops a damaged flow state instead of misreading it', async () => {
    await m.Conversation.collection.insertOne({
      _id: 'telegram:4' as never,
      flow: { step: 3 },
      recentEventIds: [],
      revision: 1,
    });
    expect(await new MongoConversationRepository(m).load('telegram:4')).toEqual({
      identity: 'telegram:4',
      recentEventIds: [],
      revision: 1,
    });
  });

  it("claims an event once, keeps the first handling's time, and prunes old ones", async () => {
    const repo = new MongoProcessedEventRepository(m);
    const later = new Date(NOW.getTime() + 60_000);
    expect(await repo.begin('telegram:10', NOW)).toEqual({ at: NOW, done: false });
    expect(await repo.begin('telegram:10', later)).toEqual({ at: NOW, done: false });
    await repo.markProcessed('telegram:10', NOW);
    await repo.markProcessed('telegram:10', NOW);
    expect(await repo.begin('telegram:10', later)).toEqual({ at: NOW, done: true });
    await repo.begin('telegram:11', new Date(NOW.getTime() + 86_400_000));
    await repo.markProcessed('telegram:11', new Date(NOW.getTime() + 86_400_000));
    expect(await repo.prune(new Date(NOW.getTime() + 1000))).toBe(2);
    expect(await repo.begin('telegram:10', later)).toEqual({ at: later, done: false });
    expect(await repo.begin('telegram:11', later)).toEqual({ at: new Date(NOW.getTime() + 86_400_000), done: true });
  });

  it('reports an unreachable database as StorageUnavailableError', async () => {
    const other = await connect(testDbUri('repositories_closed'));
    const closed = models(other);
    await ensureIndexes(closed);
    await other.close();
    await expect(new MongoParticipantRepository(closed).findByIdentity('telegram:1')).rejects.toBeInstanceOf(
      StorageUnavailableError,
    );
    const port = await freePort();
    await expect(
      connect(`mongodb://127.0.0.1:${port}/x?directConnection=true&serverSelectionTimeoutMS=300`),
    ).rejects.toThrow();
  });
});
