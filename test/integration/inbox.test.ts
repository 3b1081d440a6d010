import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoEventInbox } from '../../adapters/mongo/inbox.repository.ts';
import { DeleteBatcher, InsertBatcher } from '../../adapters/mongo/insert-batcher.ts';
import type { Models } from '../../adapters/mongo/models.ts';
import { StorageUnavailableError } from '../../src/core/errors.ts';
import type { InboundEvent } from '../../src/core/messages.ts';
import { InboxIntake } from '../../src/services/inbox-intake.ts';
import { ManualClock } from '../support/clock.ts';
import { testModels } from '../support/database.ts';
import { silentLogger } from '../support/logger.ts';

const SECOND = 1_000;
const event = (id: string, text = 'hello'): InboundEvent => ({
  id: `slack:${id}`,
  identity: 'slack:T1:U1',
  conversationId: 'slack:D1',
  conversationKind: 'private',
  payload: { type: 'text', text },
  raw: { token: 'a secret the platform sent along' },
});
const until = async (check: () => boolean | Promise<boolean>) => {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** The collection, with each call of `method` counted: how many commands a batcher sent. */
function counting<T extends object>(collection: T, method: keyof T, count: () => void): T {
  return new Proxy(collection, {
    get: (target, key, receiver) => {
      const value = Reflect.get(target, key, receiver);
      if (key !== method || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        count();
        return value.apply(target, args);
      };
    },
  });
}

describe('the inbox of Slack events', () => {
  let connection: Connection;
  let m: Models;
  let inbox: MongoEventInbox;
  const t0 = new Date('2027-01-10T10:00:00Z');
  const lease = new Date(t0.getTime() + 30 * SECOND);
  beforeAll(async () => {
    ({ connection, m } = await testModels('inbox'));
    inbox = new MongoEventInbox(m);
  });
  afterAll(() => connection.close());

  it('stores an event once by its id, without its raw payload; pending is oldest first; done leaves it', async () => {
    expect(await inbox.accept(event('Ev2'), new Date(t0.getTime() + SECOND), 'a', lease)).toBe(true);
    expect(await inbox.accept(event('Ev1'), t0, 'a', lease)).toBe(true);
    expect(await inbox.accept(event('Ev1', 'a retry'), t0, 'b', lease)).toBe(false);
    const pending = await inbox.pending(10);
    expect(pending.map((p) => p.event.id)).toEqual(['slack:Ev1', 'slack:Ev2']);
    const { raw: _raw, ...neutral } = event('Ev1');
    expect(pending[0]).toEqual({ event: neutral, acceptedAt: t0, attempt: 0, claimedBy: 'a', leaseUntil: lease });
    expect(Object.keys(pending[0]!.event)).not.toContain('raw');
    expect((await m.InboxOpen.collection.findOne({ _id: 'slack:Ev1' as never }))?.event).not.toHaveProperty('raw');

    await inbox.done('slack:Ev1', t0);

    await inbox.flush();
    expect((await inbox.pending(10)).map((p) => p.event.id)).toEqual(['slack:Ev2']);
    // Handled, her words are gone from the inbox, and nothing else of the event is kept there.
    expect(await m.InboxOpen.collection.findOne({ _id: 'slack:Ev1' as never })).toBeNull();
    expect(await m.Inbox.collection.countDocuments()).toBe(0);
    // A retry of a handled event is stored again; the engine knows it by her conversation (redelivery.test.ts).
    expect(await inbox.accept(event('Ev1'), t0, 'b', lease)).toBe(true);
    await inbox.done('slack:Ev1', t0);
    await inbox.flush();
    expect((await inbox.pending(10)).map((p) => p.event.id)).toEqual(['slack:Ev2']);
  });

  it('events stored at the same moment go in one insert; each caller learns whether hers was new', async () => {
    await inbox.accept(event('Batch1'), t0, 'a', lease);
    const ids = ['Batch1', 'Batch2', 'Batch3', 'Batch2', 'Batch4'];
    const stored = await Promise.all(ids.map((id) => inbox.accept(event(id), t0, 'a', lease)));
    // Batch1 was stored before; the second Batch2 is the same event twice in one fetch.
    expect(stored).toEqual([false, true, true, false, true]);
    // One command for the five: counted on the collection the batcher writes to.
    const raw = m.Inbox.db.collection<{ _id: string }>('batcher_probe');
    let commands = 0;
    const counted = counting(raw, 'insertMany', () => commands++);
    const batcher = new InsertBatcher<{ _id: string }>(() => counted);
    const results = await Promise.all(['p1', 'p2', 'p1', 'p3'].map((_id) => batcher.insert({ _id })));
    expect(results).toEqual([true, true, false, true]);
    expect(commands).toBe(1);
    expect(await batcher.insert({ _id: 'p2' })).toBe(false);
    expect(commands).toBe(2);
    // Handled marks of events finished a few milliseconds apart gather into one delete.
    let deletes = 0;
    const deleting = counting(raw, 'deleteMany', () => deletes++);
    const marks = new DeleteBatcher<{ _id: string }>(() => deleting, { delayMs: 10_000 });
    for (const _id of ['p1', 'p2']) {
      void marks.delete(_id);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(deletes).toBe(0);
    await marks.drain();
    expect(deletes).toBe(1);
    expect(await raw.find().toArray()).toEqual([{ _id: 'p3' }]);
    const pending = (await inbox.pending(100)).map((p) => p.event.id).filter((id) => id.includes('Batch'));
    expect(pending.sort()).toEqual(['slack:Batch1', 'slack:Batch2', 'slack:Batch3', 'slack:Batch4']);
    // Leaves the inbox as the other tests expect it.
    await m.InboxOpen.collection.deleteMany({ _id: { $in: pending } as never });
  });

  it('of two claims of the same attempt one wins, and the winner holds the event', async () => {
    const later = new Date(t0.getTime() + 60 * SECOND);
    expect(await inbox.claim('slack:Ev2', 1, 'b', later)).toBe(true);
    expect(await inbox.claim('slack:Ev2', 1, 'c', later)).toBe(false);
    expect((await inbox.pending(10))[0]).toMatchObject({ attempt: 1, claimedBy: 'b', leaseUntil: later });
  });

  it('prunes old claims and the ids an earlier version kept, and nothing pending', async () => {
    const claims = m.InboxClaim.collection;
    await claims.insertOne({ _id: 'slack:Gone:1', claimedBy: 'a', leaseUntil: t0 } as never);
    await m.Inbox.collection.insertOne({ _id: 'slack:Legacy', at: t0 } as never);
    expect(await inbox.prune(new Date(t0.getTime() + SECOND))).toBe(2);
    expect(await claims.findOne({ _id: 'slack:Gone:1' as never })).toBeNull();
    // The claim of Ev2's attempt 1 holds its lease until later: kept, as is the event.
    expect(await claims.findOne({ _id: 'slack:Ev2:1' as never })).not.toBeNull();
    expect(await m.Inbox.collection.countDocuments()).toBe(0);
    expect((await inbox.pending(10)).map((p) => p.event.id)).toEqual(['slack:Ev2']);
    await inbox.done('slack:Ev2', t0);
    await inbox.flush();
  });

  it('reads ahead for an event only when it will be handled at once: nothing of hers waits, a hand is free', async () => {
    const clock = new ManualClock(t0);
    let release = () => {};
    const blocked = new Promise<void>((r) => (release = r));
    const begun: string[] = [];
    const dropped: string[] = [];
    const intake = new InboxIntake({
      directMs: 0,
      inbox,
      clock,
      logger: silentLogger,
      instanceId: 'ahead',
      concurrency: 1,
      readAhead: { begin: (e) => void begun.push(e.id), drop: (id) => void dropped.push(id) },
      handle: () => blocked,
    });
    const from = (id: string, who: string) => ({ ...event(id), identity: `slack:T1:${who}` });
    expect(await intake.receive(from('Ahead1', 'U7'))).toBe(true);
    // The one hand is busy with hers: another's event waits for its turn, and so would what was read for it.
    expect(await intake.receive(from('Ahead2', 'U8'))).toBe(true);
    // A retry of an open event is not handled here: what was read for it is dropped.
    expect(await intake.receive(from('Ahead1', 'U7'))).toBe(false);
    expect(begun).toEqual(['slack:Ahead1']);
    expect(dropped).toEqual([]);
    release();
    await intake.idle();
    const idle = new InboxIntake({
      directMs: 0,
      inbox,
      clock,
      logger: silentLogger,
      instanceId: 'ahead',
      readAhead: { begin: (e) => void begun.push(e.id), drop: (id) => void dropped.push(id) },
      handle: () => new Promise(() => {}),
    });
    await inbox.accept(from('Ahead3', 'U9'), t0, 'other', lease);
    expect(await idle.receive(from('Ahead3', 'U9'))).toBe(false);
    expect(dropped).toEqual(['slack:Ahead3']);
    await inbox.done('slack:Ahead3', t0);
    await inbox.flush();
  });

  describe('handled before it is stored, when a hand is free', () => {
    const direct = (handle: (e: InboundEvent) => Promise<void>, directMs = 200) =>
      new InboxIntake({ inbox, clock: new ManualClock(t0), logger: silentLogger, instanceId: 'd', directMs, handle });

    it('answers the platform once her outcome is stored, and writes no event', async () => {
      const steps: string[] = [];
      const intake = direct(async (e) => {
        await new Promise((r) => setTimeout(r, 20));
        steps.push(`saved ${e.id} first=${e.accepted?.first}`);
      });
      expect(await intake.receive(event('Dir1'))).toBe(true);
      steps.push('acknowledged');
      expect(steps).toEqual(['saved slack:Dir1 first=true', 'acknowledged']);
      await intake.idle();
      expect(await m.InboxOpen.countDocuments({ _id: 'slack:Dir1' })).toBe(0);
    });

    it('a slow handling is stored meanwhile, so the platform is answered in time, and marked handled after', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const intake = direct(() => gate, 50);
      expect(await intake.receive(event('Dir2'))).toBe(true);
      expect((await inbox.pending(10)).map((p) => p.event.id)).toEqual(['slack:Dir2']);
      // Slack's retry while it is still being handled: known here, not stored or handled again.
      expect(await intake.receive(event('Dir2'))).toBe(false);
      release();
      await intake.idle();
      expect(await inbox.pending(10)).toEqual([]);
    });

    it('the database away: the platform is not answered (it delivers again), and nothing is stored', async () => {
      const intake = direct(async () => {
        throw new StorageUnavailableError();
      });
      await expect(intake.receive(event('Dir3'))).rejects.toBeInstanceOf(StorageUnavailableError);
      await intake.idle();
      expect(await m.InboxOpen.countDocuments({ _id: 'slack:Dir3' })).toBe(0);
    });

    it('beyond the events handled at once, others are stored and handled by their own hands, not held up', async () => {
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const handled: string[] = [];
      const intake = new InboxIntake({
        inbox,
        clock: new ManualClock(t0),
        logger: silentLogger,
        instanceId: 'd',
        concurrency: 1,
        directConcurrency: 1,
        handle: async (e) => {
          if (e.id === 'slack:Dir6') await gate;
          handled.push(e.id);
        },
      });
      const first = intake.receive(event('Dir6'));
      expect(await intake.receive({ ...event('Dir7'), identity: 'slack:T1:U2' })).toBe(true);
      await until(() => handled.includes('slack:Dir7'));
      expect(handled).toEqual(['slack:Dir7']);
      release();
      expect(await first).toBe(true);
      await intake.idle();
      expect(await inbox.pending(10)).toEqual([]);
    });

    it('her next event while the first is handled is stored and waits its turn; her order is kept', async () => {
      const order: string[] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const intake = direct(async (e) => {
        if (e.id === 'slack:Dir4') await gate;
        order.push(e.id);
      }, 5_000);
      const first = intake.receive(event('Dir4'));
      expect(await intake.receive(event('Dir5'))).toBe(true);
      expect((await inbox.pending(10)).map((p) => p.event.id)).toEqual(['slack:Dir5']);
      release();
      expect(await first).toBe(true);
      await intake.idle();
      expect(order).toEqual(['slack:Dir4', 'slack:Dir5']);
      expect(await inbox.pending(10)).toEqual([]);
    });
  });

  it('the storing instance handles an event; after its death another takes over, once the lease ran out', async () => {
    const clock = new ManualClock(t0);
    const handledBy: string[] = [];
    const intake = (name: string) =>
      new InboxIntake({
        directMs: 0,
        inbox,
        clock,
        logger: silentLogger,
        instanceId: name,
        leaseMs: 30 * SECOND,
        handle: async (e) => void handledBy.push(`${name}:${e.id}`),
      });
    const a = intake('a');
    // A retry while it is open is refused.
    expect(await Promise.all([a.receive(event('Ev10')), a.receive(event('Ev10'))])).toEqual([true, false]);
    await a.idle();
    expect(handledBy).toEqual(['a:slack:Ev10']);
    expect(await inbox.pending(10)).toEqual([]);

    // "a" died between storing Ev11 and handling it.
    await inbox.accept(event('Ev11'), clock.now(), 'a', new Date(t0.getTime() + 30 * SECOND));
    const b = intake('b');
    const c = intake('c');
    clock.advance(29 * SECOND);
    expect(await b.recover(clock.now())).toBe(0);
    clock.advance(2 * SECOND);
    expect((await Promise.all([b.recover(clock.now()), c.recover(clock.now())])).sort()).toEqual([0, 1]);
    await Promise.all([b.idle(), c.idle()]);
    expect(handledBy.filter((h) => h.endsWith('Ev11'))).toHaveLength(1);
    expect(await inbox.pending(10)).toEqual([]);
  });

  it('a restarted instance resumes what it held at once; a database failure is retried until handled', async () => {
    const clock = new ManualClock(t0);
    await inbox.accept(event('Ev20'), clock.now(), 'a', new Date(t0.getTime() + 30 * SECOND));
    let failures = 2;
    const handled: string[] = [];
    const restarted = new InboxIntake({
      directMs: 0,
      inbox,
      clock,
      logger: silentLogger,
      instanceId: 'a',
      handle: async (e) => {
        if (failures-- > 0) throw new StorageUnavailableError();
        handled.push(e.id);
      },
    });
    expect(await restarted.recover(clock.now())).toBe(0);
    expect(await restarted.recover(clock.now(), { resume: true })).toBe(1);
    await until(async () => (await inbox.pending(10)).length === 0);
    expect(handled).toEqual(['slack:Ev20']);
  });

  it('an upgrade from the layout that kept events in `inbox` copies those not handled, once', async () => {
    const { raw: _raw, ...neutral } = event('Old1');
    const old = { event: neutral, at: t0, attempt: 0, claimedBy: 'a', leaseUntil: lease };
    await m.Inbox.collection.insertMany([
      { ...old, _id: 'slack:Old1', done: false },
      { ...old, _id: 'slack:Old2', event: { ...neutral, id: 'slack:Old2' }, done: true, doneAt: t0 },
    ] as never[]);
    await m.Inbox.db.collection('migrations').deleteOne({ _id: 'inbox-open-events' as never });
    expect(await inbox.upgrade()).toBe(1);
    expect(await inbox.upgrade()).toBe(0);
    expect((await inbox.pending(10)).map((p) => p.event.id)).toEqual(['slack:Old1']);
    await inbox.done('slack:Old1', t0);
    await inbox.flush();
    expect(await inbox.pending(10)).toEqual([]);
  });

  it('under load the slow writer goes first: her messages fetched in one batch behind a flood are not put last', async () => {
    const clock = new ManualClock(t0);
    const order: string[] = [];
    const hurries: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const intake = new InboxIntake({
      directMs: 0,
      inbox,
      clock,
      logger: silentLogger,
      instanceId: 'rank',
      concurrency: 1,
      handle: async (e) => {
        await gate;
        order.push(e.id.replace('slack:', ''));
        hurries.push(e.hurry ?? 0);
      },
    });
    const from = (who: string, id: string, sentAt: number): InboundEvent => ({
      ...event(id),
      identity: `slack:T1:${who}`,
      conversationId: `slack:D${who}`,
      sentAt,
    });
    const start = t0.getTime() - 30 * SECOND;
    // Ten in one second from the flood, then hers, written two seconds apart, all stored only now.
    for (let i = 0; i < 10; i++) await intake.receive(from('F', `rankF${i}`, start));
    for (let i = 0; i < 3; i++) await intake.receive(from('S', `rankS${i}`, start + 2 * SECOND * (i + 1)));
    release();
    await intake.idle();
    // The flood's first (handling had begun) and each of hers at rank 1, before the flood's second.
    expect(order.slice(0, 4)).toEqual(['rankF0', 'rankS0', 'rankS1', 'rankS2']);
    expect(order.slice(4)).toEqual(Array.from({ length: 9 }, (_, i) => `rankF${i + 1}`));
    // Passed on for the replies' order: hers were picked at 1, the flood's at the highest of its waiting.
    expect(hurries.slice(1, 4)).toEqual([1, 1, 1]);
    expect(hurries.slice(4)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10]);
  });
});
