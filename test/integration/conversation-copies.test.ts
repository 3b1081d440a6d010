import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoConversationRepository } from '../../adapters/mongo/conversation.repository.ts';
import type { Models } from '../../adapters/mongo/models.ts';
import { MongoPersonalDataStore } from '../../adapters/mongo/privacy.repository.ts';
import { ConflictError } from '../../src/core/errors.ts';
import type { ConversationState } from '../../src/core/model.ts';
import { testModels } from '../support/database.ts';
import { NOW } from '../support/flow-driver.ts';

/** Her registration half done: what she typed is in the flow's data. */
const registering = (identity: string, name: string): ConversationState => ({
  identity,
  locale: 'en',
  flow: {
    flow: 'actor-registration',
    version: 1,
    step: 'city',
    data: { firstName: name },
    history: ['consent', 'name'],
    promptId: 'p1',
    paused: false,
  },
  recentEventIds: ['e1'],
  revision: 0,
});

/**
 * Two instances on one database, each remembering what it saved or read of her conversation: a save from a
 * copy that is no longer hers is refused, whoever changed it (the other instance's handling, an erasure,
 * a redaction), and nothing an erasure or a redaction removed can be saved again from a copy.
 */
describe('conversations remembered by an instance', () => {
  let connection: Connection;
  let m: Models;
  let t = NOW.getTime();
  const timings = { now: () => t };
  beforeAll(async () => {
    ({ connection, m } = await testModels('conversation_copies'));
  });
  afterAll(() => connection.close());

  const docsOf = (identity: string) => m.Conversation.collection.find({ identity }).toArray();

  it('answers a load from what it saved, without a read; a save from it is refused however far the other got', async () => {
    const here = new MongoConversationRepository(m, timings);
    const there = new MongoConversationRepository(m, timings);
    const who = 'telegram:41';
    await here.save({ identity: who, recentEventIds: ['e0'], revision: 0 });
    // What is stored changes behind its back: it still answers from what it saved.
    await m.Conversation.collection.updateOne({ _id: `${who}#0000000001` as never }, { $set: { locale: 'fi' } });
    expect(await here.load(who)).toEqual({ identity: who, recentEventIds: ['e0'], revision: 1 });
    expect((await there.load(who))?.locale).toBe('fi');
    for (const ahead of [1, 2, 3, 5]) {
      const mine = (await here.load(who))!;
      let theirs = (await there.load(who))!;
      expect(theirs.revision).toBe(mine.revision);
      for (let i = 0; i < ahead; i++) {
        theirs = { ...theirs, recentEventIds: [`${ahead}:${i}`], revision: await there.save(theirs) };
        // A second between her messages; the deletes of what was superseded are not due yet.
        t += 1_000;
        await there.deleteDue();
      }
      theirs = (await there.load(who))!;
      expect(await here.load(who)).toEqual(mine);
      await expect(here.save({ ...mine, recentEventIds: ['stale'] })).rejects.toBeInstanceOf(ConflictError);
      // Refused, it reads what is stored.
      expect(await here.load(who)).toEqual(theirs);
    }
    // A copy is used for half a minute; after that she is read again.
    const theirs = (await there.load(who))!;
    await there.save({ ...theirs, recentEventIds: ['later'] });
    expect((await here.load(who))?.recentEventIds).not.toEqual(['later']);
    t += 31_000;
    expect((await here.load(who))?.recentEventIds).toEqual(['later']);
  });

  it('an erasure elsewhere refuses a save from a copy, empties every revision, and deletes them minutes later', async () => {
    const here = new MongoConversationRepository(m, timings);
    const there = new MongoConversationRepository(m, timings);
    const who = 'telegram:42';
    let state = registering(who, 'Amira');
    for (let i = 0; i < 3; i++) state = { ...state, revision: await here.save(state) };
    // A copy one behind too (another handling in flight here).
    const behind = { ...state, revision: state.revision - 1 };
    expect(await there.erase(who)).toBe(3);
    for (const copy of [state, behind])
      await expect(here.save({ ...copy, recentEventIds: ['after'] })).rejects.toBeInstanceOf(ConflictError);
    expect(JSON.stringify(await docsOf(who))).not.toContain('Amira');
    expect((await docsOf(who)).every((d) => d.erased === true && d.flow === null)).toBe(true);
    // She is someone new to the bot: nothing of her flow, and the next save goes above what refused the copies.
    const fresh = (await here.load(who))!;
    expect(fresh).toEqual({ identity: who, recentEventIds: [], revision: 4 });
    t += 120_000;
    await there.deleteDue();
    expect(await docsOf(who)).toEqual([]);
    expect(await here.save({ identity: who, recentEventIds: ['again'], revision: 0 })).toBe(1);
    expect((await there.load(who))?.recentEventIds).toEqual(['again']);
  });

  it('the daily job deletes what erasures emptied before a restart lost their deletes', async () => {
    const repo = new MongoConversationRepository(m, timings);
    const who = 'telegram:43';
    await repo.save(registering(who, 'Leyla'));
    await repo.erase(who);
    await repo.flush();
    expect(await docsOf(who)).toHaveLength(2);
    expect(await repo.deleteErased(new Date(t - 1))).toBe(0);
    expect(await repo.deleteErased(new Date(t + 1))).toBe(2);
    expect(await docsOf(who)).toEqual([]);
  });

  it('a scrub elsewhere redacts a name in every revision and refuses a save from a copy that held it', async () => {
    const here = new MongoConversationRepository(m, timings);
    const there = new MongoConversationRepository(m, timings);
    const personal = new MongoPersonalDataStore(connection.db!, there);
    const who = 'telegram:44';
    // Not a registration: a conversation where others are written about (a commitment draft, say).
    let state: ConversationState = {
      ...registering(who, 'x'),
      flow: { ...registering(who, 'x').flow!, flow: 'commitment', data: { aims: 'Meet Zainab weekly' } },
    };
    for (let i = 0; i < 2; i++) state = { ...state, revision: await here.save(state) };
    const untouched = 'telegram:45';
    await here.save(registering(untouched, 'Mina'));
    expect(await personal.scrub({ texts: ['someone-erased@example.org'], names: ['Zainab'] }, [])).toBeGreaterThan(0);
    await expect(here.save({ ...state, recentEventIds: ['after'] })).rejects.toBeInstanceOf(ConflictError);
    expect(JSON.stringify(await docsOf(who))).not.toContain('Zainab');
    const redacted = (await here.load(who))!;
    expect(redacted.revision).toBe(3);
    expect(JSON.stringify(redacted.flow)).not.toContain('Zainab');
    expect(redacted.flow?.flow).toBe('commitment');
    // Someone the scrub did not touch keeps her revision: her copies are still hers.
    expect((await there.load(untouched))?.revision).toBe(1);
  });

  it("a scrub of an erased person's identity erases her own conversation the same way", async () => {
    const here = new MongoConversationRepository(m, timings);
    const there = new MongoConversationRepository(m, timings);
    const personal = new MongoPersonalDataStore(connection.db!, there);
    const who = 'telegram:46';
    const state = { ...registering(who, 'Rana'), revision: await here.save(registering(who, 'Rana')) };
    await personal.scrub({ texts: [who], names: [] }, []);
    await expect(here.save(state)).rejects.toBeInstanceOf(ConflictError);
    expect(JSON.stringify(await docsOf(who))).not.toContain('Rana');
    expect((await here.load(who))?.flow).toBeUndefined();
  });
});
