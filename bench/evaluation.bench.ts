import { connect } from '../adapters/mongo/connection.ts';
import { MongoHealthQueue, partitionOf } from '../adapters/mongo/health.queue.ts';
import { hourOf } from '../adapters/mongo/hour-cursor.ts';
import type { TimelineEvent } from '../src/core/programme.ts';
import { compactTimeline, evaluatePair } from '../src/services/health.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const DAY = 86_400_000;

/**
 * `total` pairs with a compact history; `due` of them due now, the rest spread evenly over the next
 * day, as the queue holds them (every pair is looked at again within a day of its last look).
 */
async function fill(uri: string, total: number, due: number, now: Date) {
  const connection = await connect(uri);
  await connection.dropDatabase();
  const db = connection.db!;
  const nextHour = Math.ceil(now.getTime() / 3_600_000) * 3_600_000;
  const whenDue = (i: number) =>
    new Date(i < due ? now.getTime() - 1000 : nextHour + Math.floor(((i - due) * 23 * 3_600_000) / (total - due)));
  const health = new Map<string, object[]>();
  const markers = new Map<string, object[]>();
  for (let i = 0; i < total; i++) {
    const pairId = `pair${i}`;
    const at = whenDue(i);
    const events: TimelineEvent[] = [
      { pairId, type: 'activated', at: new Date(now.getTime() - 20 * DAY) },
      { pairId, type: 'commitment_set', at: new Date(now.getTime() - 18 * DAY) },
      { pairId, type: 'meeting_held', at: new Date(now.getTime() - 3 * DAY) },
    ];
    const p = partitionOf(pairId);
    health.set(p, [...(health.get(p) ?? []), { _id: pairId, v: 1, events }]);
    markers.set(hourOf(at), [...(markers.get(hourOf(at)) ?? []), { _id: `${pairId}|1`, p: pairId, v: 1, at }]);
  }
  for (const [p, docs] of health) await db.collection(`health_${p}`).insertMany(docs as never[]);
  for (const [h, docs] of markers) await db.collection(`evalq_${h}`).insertMany(docs as never[]);
  await db.collection('evalq_meta').insertOne({ _id: 'cursor' as never, hour: hourOf(now) });
  return { connection, queue: new MongoHealthQueue(db, (events) => compactTimeline(events)) };
}

/** What the stall job does for each due pair: read, evaluate, schedule the next look. */
async function evaluateDue(queue: MongoHealthQueue, now: Date): Promise<number> {
  let n = 0;
  for (let batch = await queue.due(now, 500); batch.length; batch = await queue.due(now, 500)) {
    await queue.rescheduleMany(batch.map((d) => ({ ...d, at: evaluatePair(d.events, [], now).nextEvaluationAt })));
    n += batch.length;
  }
  return n;
}

/** Moves the first 100 pairs' markers back to now, as if each of their timelines had just changed. */
async function makeDueAgain(db: NonNullable<Awaited<ReturnType<typeof connect>>['db']>, now: Date): Promise<void> {
  const ids = Array.from({ length: 100 }, (_, i) => `pair${i}|1`);
  const from = db.collection(`evalq_${hourOf(new Date(now.getTime() + DAY))}`);
  const to = db.collection(`evalq_${hourOf(now)}`);
  const markers = await from.find({ _id: { $in: ids as never[] } }).toArray();
  await from.deleteMany({ _id: { $in: ids as never[] } });
  await to.insertMany(markers.map((m) => ({ ...m, at: new Date(now.getTime() - 1000) })));
}

async function measure(uri: string, total: number): Promise<number> {
  const now = new Date();
  const { connection, queue } = await fill(uri, total, 100, now);
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    // The same 100 pairs are due again in each run, as after a change to each of their timelines.
    if (r) await makeDueAgain(connection.db!, now);
    const t0 = performance.now();
    const n = await evaluateDue(queue, now);
    runs.push(performance.now() - t0);
    if (n !== 100) throw new Error(`expected 100 due pairs, evaluated ${n}`);
  }
  await connection.close();
  return median(runs);
}

export async function benchEvaluation(uri: string): Promise<void> {
  const small = await measure(uri, 1_000);
  const large = await measure(uri, 100_000);
  console.log(
    `evaluation: 100 due pairs among 100,000 = ${large.toFixed(0)} ms; among 1,000 = ${small.toFixed(0)} ms; ratio ${(large / small).toFixed(2)} (target <= 2)`,
  );
  const now = new Date();
  const { connection, queue } = await fill(uri, 10_000, 10_000, now);
  const t0 = performance.now();
  const n = await evaluateDue(queue, now);
  console.log(`evaluation: all ${n} of 10,000 pairs evaluated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  await connection.close();
}
