import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoHealthQueue } from '../../adapters/mongo/health.queue.ts';
import { compactTimeline } from '../../src/services/health.ts';
import type { TimelineEvent } from '../../src/core/programme.ts';
import { testModels } from '../support/database.ts';

const at = (iso: string) => new Date(iso);
const ev = (
  pairId: string,
  type: TimelineEvent['type'],
  iso: string,
  data?: Record<string, unknown>,
): TimelineEvent => ({ pairId, type, at: at(iso), ...(data ? { data } : {}) });

describe('the health queue', () => {
  let connection: Connection;
  let queue: MongoHealthQueue;
  beforeAll(async () => {
    ({ connection } = await testModels('health_queue'));
    queue = new MongoHealthQueue(connection.db!, (events) => compactTimeline(events));
  });
  afterAll(() => connection.close());

  it('makes a pair due when its timeline changes, and not again until its next deadline', async () => {
    await queue.noteEvent(ev('p1', 'activated', '2027-01-01T10:00:00Z'));
    await queue.noteEvent(ev('p1', 'meeting_held', '2027-01-03T10:00:00Z'));
    const [due] = await queue.due(at('2027-01-03T10:30:00Z'), 10);
    expect(due).toMatchObject({ pairId: 'p1', version: 2 });
    expect(due!.events.map((e) => e.type)).toEqual(['activated', 'meeting_held']);
    await queue.rescheduleMany([{ ...due!, at: at('2027-01-24T10:00:00Z') }]);
    expect(await queue.due(at('2027-01-20T00:00:00Z'), 10)).toEqual([]);
    const again = await queue.due(at('2027-01-24T10:00:00Z'), 10);
    expect(again.map((d) => d.pairId)).toEqual(['p1']);
    await queue.rescheduleMany([{ ...again[0]!, at: at('2027-12-01T00:00:00Z') }]);
  });

  it('a newer event replaces the pending evaluation; an evaluation of an older version changes nothing', async () => {
    await queue.noteEvent(ev('p2', 'activated', '2027-02-01T10:00:00Z'));
    const old = (await queue.due(at('2027-02-01T11:00:00Z'), 10)).find((d) => d.pairId === 'p2');
    await queue.noteEvent(ev('p2', 'commitment_set', '2027-02-01T11:30:00Z'));
    await queue.rescheduleMany([{ ...old!, at: at('2027-02-01T11:45:00Z') }]);
    // The old evaluation's next look (version 1) is stale by then: only version 2 comes back, once.
    const fresh = (await queue.due(at('2027-02-01T12:00:00Z'), 10)).filter((d) => d.pairId === 'p2');
    expect(fresh.map((d) => d.version)).toEqual([2]);
    await queue.rescheduleMany([{ ...fresh[0]!, at: null }]);
    expect((await queue.due(at('2027-06-01T00:00:00Z'), 10)).map((d) => d.pairId)).not.toContain('p2');
  });

  it('drops the empty hours long past, and keeps every hour that still holds a marker', async () => {
    const db = connection.db!;
    await queue.noteEvent(ev('p3', 'activated', '2027-03-01T10:00:00Z'));
    const [due] = (await queue.due(at('2027-03-01T10:30:00Z'), 10)).filter((d) => d.pairId === 'p3');
    await queue.rescheduleMany([{ ...due!, at: at('2027-03-09T08:00:00Z') }]);
    const hours = async () =>
      (await db.listCollections({}, { nameOnly: true }).toArray())
        .map((c) => c.name)
        .filter((n) => /^evalq_\d{10}$/.test(n));
    expect(await hours()).toContain('evalq_2027030110');
    await queue.due(at('2027-03-05T00:00:00Z'), 10);
    expect(await queue.prune(at('2027-03-05T00:00:00Z'))).toBeGreaterThan(0);
    const left = await hours();
    expect(left).not.toContain('evalq_2027030110');
    expect(left).toContain('evalq_2027030908');
    expect((await queue.due(at('2027-03-09T08:00:00Z'), 10)).map((d) => d.pairId)).toEqual(['p3']);
  });

  it('keeps only what stall detection reads', () => {
    const events = [
      ev('p', 'activated', '2027-01-01T00:00:00Z'),
      ev('p', 'meeting_held', '2027-01-02T00:00:00Z'),
      ev('p', 'meeting_proposed', '2027-01-03T00:00:00Z'),
      ev('p', 'meeting_held', '2027-01-04T00:00:00Z'),
      ev('p', 'checkin_answered', '2027-01-05T00:00:00Z', { participantId: 'a', rating: 5 }),
      ev('p', 'checkin_answered', '2027-01-06T00:00:00Z', { participantId: 'a', rating: 4 }),
      ev('p', 'checkin_missed', '2027-01-07T00:00:00Z', { participantId: 'a' }),
    ];
    const kept = compactTimeline(events).map((e) => `${e.type}@${e.at.toISOString().slice(8, 10)}`);
    // The last two rounds, and the two answers that hold her last ratings (a drop from 5 reads both).
    expect(kept).toEqual([
      'activated@01',
      'meeting_held@04',
      'checkin_answered@05',
      'checkin_answered@06',
      'checkin_missed@07',
    ]);
  });
});
