import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Models } from '../../adapters/mongo/models.ts';
import { bucketOf, MongoOutboxRepository } from '../../adapters/mongo/outbox.repository.ts';
import type { OutboxMessage } from '../../src/core/programme.ts';
import { testModels } from '../support/database.ts';

const HOUR = 3_600_000;
const msg = (key: string, due: Date): OutboxMessage => ({
  key,
  recipientId: 'p1',
  due,
  text: [{ key: 'meetings:none' }],
  category: 'essential',
});

describe('the hour-partitioned outbox', () => {
  let connection: Connection;
  let m: Models;
  let outbox: MongoOutboxRepository;
  beforeAll(async () => {
    ({ connection, m } = await testModels('outbox'));
    outbox = new MongoOutboxRepository(m);
  });
  afterAll(() => connection.close());

  it('keeps one message per key, and files it under the hour it falls due', async () => {
    const now = new Date('2026-12-01T10:15:00Z');
    expect(await outbox.enqueue(msg('k1', new Date('2026-12-01T12:30:00Z')), now)).toBe(true);
    expect(await outbox.enqueue(msg('k1', new Date('2026-12-01T12:45:00Z')), now)).toBe(false);
    const [stored] = await outbox.findByKeyPrefix('k1');
    expect(stored!.id.startsWith('2026120112-')).toBe(true);
    expect(bucketOf(now)).toBe('2026120110');
    expect(await outbox.enqueueMany([msg('k1', now), msg('k2', now), msg('k3', now)], now)).toHaveLength(2);
  });

  it('finds only what is due, oldest first, across hours', async () => {
    const now = new Date('2026-12-01T12:40:00Z');
    const due = await outbox.due(now, 10);
    expect(due.map((d) => d.key)).toEqual(['k2', 'k3', 'k1']);
    expect(await outbox.due(new Date('2026-12-01T10:00:00Z'), 10)).toEqual([]);
  });

  it('a message put into an hour that a sweep with a faster clock has passed is still found', async () => {
    const early = new Date('2026-12-02T08:59:59Z');
    await outbox.due(new Date('2026-12-02T10:00:00Z'), 10); // a sweep whose clock is ahead moves past 08:00
    await outbox.enqueue(msg('late', early), early);
    const found = await outbox.due(new Date('2026-12-02T10:00:00Z'), 50);
    expect(found.map((d) => d.key)).toContain('late');
  });

  it('a retried message keeps its hour in the sweep until it is sent', async () => {
    const now = new Date('2026-12-02T11:00:00Z');
    await outbox.enqueue(msg('retry', now), now);
    const [m1] = await outbox.findByKeyPrefix('retry');
    await outbox.retryLater(m1!.id, 1, new Date('2026-12-02T13:30:00Z'), 'boom');
    expect((await outbox.due(new Date('2026-12-02T13:00:00Z'), 50)).map((d) => d.key)).not.toContain('retry');
    expect((await outbox.due(new Date('2026-12-02T13:31:00Z'), 50)).map((d) => d.key)).toContain('retry');
  });

  it('after weeks without work a sweep passes the empty hours, and finds what falls due far ahead', async () => {
    const later = new Date('2026-12-30T09:20:00Z');
    await outbox.enqueue(msg('weeks-later', later), new Date('2026-12-02T14:00:00Z'));
    expect(await outbox.nextDue(new Date('2026-12-02T14:00:00Z'))).toEqual(later);
    // Four weeks of hours lie between; none has a collection but the one with the message.
    expect((await outbox.due(new Date('2026-12-30T09:00:00Z'), 50)).map((d) => d.key)).not.toContain('weeks-later');
    expect((await outbox.due(new Date('2026-12-30T09:30:00Z'), 50)).map((d) => d.key)).toContain('weeks-later');
    expect(await outbox.nextDue(later)).toBeUndefined();
  });

  it('cancels by key prefix and by recipient, pending messages only', async () => {
    const now = new Date('2026-12-03T10:00:00Z');
    await outbox.enqueue(msg('meeting:m1:v1:24h:p1', new Date('2026-12-04T10:00:00Z')), now);
    await outbox.enqueue(msg('meeting:m1:v1:1h:p1', new Date('2026-12-05T09:00:00Z')), now);
    await outbox.enqueue(msg('meeting:m2:v1:1h:p1', new Date('2026-12-05T09:00:00Z')), now);
    expect(await outbox.cancelByKeyPrefix('meeting:m1:')).toBe(2);
    expect((await outbox.findByKeyPrefix('meeting:m2:'))[0]!.state).toBe('pending');
    expect(await outbox.cancelForRecipient('p1')).toBeGreaterThanOrEqual(1);
    expect((await outbox.findByKeyPrefix('meeting:m2:'))[0]!.state).toBe('cancelled');
  });

  it('lets exactly one of two claimants win an attempt', async () => {
    const now = new Date('2026-12-06T10:00:00Z');
    await outbox.enqueue(msg('claim-me', now), now);
    const [m1] = await outbox.findByKeyPrefix('claim-me');
    const results = await Promise.all([
      outbox.claim(m1!.id, 0, 'a', new Date(now.getTime() + HOUR)),
      outbox.claim(m1!.id, 0, 'b', new Date(now.getTime() + HOUR)),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await outbox.leases([{ id: m1!.id, attempt: 0 }])).get(`${m1!.id}:0`)).toEqual(
      new Date(now.getTime() + HOUR),
    );
  });

  it('cancels only her pending announcements when she turns them off; reminders stay', async () => {
    const now = new Date('2026-12-03T10:00:00Z');
    const mine = (key: string, category: OutboxMessage['category']) => ({
      ...msg(key, now),
      recipientId: 'p9',
      category,
    });
    await outbox.enqueueMany(
      [mine('a1', 'announcement'), mine('r1', 'essential'), { ...mine('a2', 'announcement'), recipientId: 'p8' }],
      now,
    );
    expect(await outbox.cancelForRecipient('p9', 'announcement')).toBe(1);
    const states = Object.fromEntries(
      (await outbox.findByKeyPrefix('')).filter((m) => ['a1', 'r1', 'a2'].includes(m.key)).map((m) => [m.key, m.state]),
    );
    expect(states).toEqual({ a1: 'cancelled', r1: 'pending', a2: 'pending' });
  });

  it('a sweep reads due marks only: each leaves when its message is sent, failed or cancelled', async () => {
    const now = new Date('2026-12-04T10:00:00Z');
    const bucket = bucketOf(now);
    const marks = () => m.OutboxKey.db.collection(`due_${bucket}`);
    const ids = await outbox.enqueueMany(
      ['s1', 's2', 's3', 's4'].map((k) => msg(k, now)),
      now,
    );
    expect(await marks().countDocuments()).toBe(4);
    await outbox.markSentMany([ids[0]!], now);
    await outbox.markFailed(ids[1]!, 1, 'blocked');
    await m.OutboxKey.db
      .collection(`outbox_${bucket}`)
      .updateOne({ _id: ids[2] as never }, { $set: { state: 'sent' } });
    expect((await outbox.due(now, 10)).map((x) => x.key).filter((k) => k.startsWith('s'))).toEqual(['s4']);
    // The mark of a message changed behind the repository's back goes at the sweep that finds it.
    expect((await marks().find().toArray()).map((d) => d._id)).toEqual([ids[3]]);
    // A mark whose message never came (its writer died) is dropped once it is old; a fresh one is waited for.
    await marks().insertMany([
      { _id: `${bucket}-orphan-old`, nextAttemptAt: now, createdAt: new Date(now.getTime() - HOUR) },
      { _id: `${bucket}-orphan-new`, nextAttemptAt: now, createdAt: now },
    ] as never[]);
    expect((await outbox.due(now, 10)).map((x) => x.key).filter((k) => k.startsWith('s'))).toEqual(['s4']);
    expect((await marks().find().toArray()).map((d) => d._id).sort()).toEqual([ids[3], `${bucket}-orphan-new`].sort());
    await marks().deleteOne({ _id: `${bucket}-orphan-new` as never });
    await outbox.markSentMany([ids[3]!], now);
  });

  it('an upgrade from the layout without due marks marks every pending message once', async () => {
    const now = new Date('2026-12-05T10:00:00Z');
    const [id] = await outbox.enqueueMany([msg('old-layout', now)], now);
    await m.OutboxKey.db.collection(`due_${bucketOf(now)}`).deleteMany({});
    expect((await outbox.due(now, 10)).map((x) => x.id)).not.toContain(id);
    expect(await outbox.upgrade(now)).toBeGreaterThanOrEqual(1);
    expect(await outbox.upgrade(now)).toBe(0);
    expect((await outbox.due(now, 10)).map((x) => x.id)).toContain(id);
  });

  it('a message another sweep holds is passed over, so the next ones are found; released, it is due again', async () => {
    const now = new Date('2026-12-06T10:00:00Z');
    const ids = await outbox.enqueueMany(
      ['h1', 'h2', 'h3'].map((k) => msg(k, now)),
      now,
    );
    const due = async () => (await outbox.due(now, 50)).map((x) => x.key).filter((k) => k.startsWith('h'));
    expect((await outbox.claimMany([{ id: ids[0]!, attempt: 0 }], 'other', new Date(now.getTime() + HOUR))).size).toBe(
      1,
    );
    expect((await due()).sort()).toEqual(['h2', 'h3']);
    await outbox.release(ids[0]!, 0);
    expect(await due()).toContain('h1');
    await outbox.markSentMany(ids, now);
  });
});
