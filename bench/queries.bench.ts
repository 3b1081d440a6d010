import type { Connection, mongo } from 'mongoose';
import { Types } from 'mongoose';
import { connect } from '../adapters/mongo/connection.ts';
import {
  MongoConversationRepository,
  MongoProcessedEventRepository,
} from '../adapters/mongo/conversation.repository.ts';
import { MongoHealthQueue, partitionOf } from '../adapters/mongo/health.queue.ts';
import { hourOf } from '../adapters/mongo/hour-cursor.ts';
import { ensureIndexes, type Models, models } from '../adapters/mongo/models.ts';
import { MongoOutboxRepository } from '../adapters/mongo/outbox.repository.ts';
import { MongoParticipantRepository } from '../adapters/mongo/participant.repository.ts';
import type { OutboxMessage } from '../src/core/programme.ts';
import { compactTimeline } from '../src/services/health.ts';
import { actorData } from '../test/support/seed.ts';

/**
 * The bot's hot queries, each timed with `n` documents in the collection it reads, at 1,000 and at
 * 100,000 in the same run; the ratio says whether a query's cost follows the data (a scan) or not.
 * Everything is filled with insertMany in the shapes the repositories write, then read and written
 * through the repositories. The outbox and the health queue have all `n` in one hour (an announcement
 * to everyone): bench/sweep.bench.ts measures the same due work spread over hours.
 */
const SIZES = [1_000, 100_000] as const;
const DUE = 50;
/**
 * Runs per shape after one untimed warm-up; the shapes that scan at any size (slow at 100k) run fewer.
 * QUERIES_RUNS=1 for a quick look (an unpatched FerretDB takes minutes per update of 50 at 100k).
 */
const RUNS = Number(process.env.QUERIES_RUNS ?? 15);
const SLOW_RUNS = Math.max(1, Math.round(RUNS / 5));
const HOUR = new Date('2030-01-01T10:00:00Z');
const NOW = new Date(HOUR.getTime() + 10 * 60_000);
const at = (minutes: number) => new Date(HOUR.getTime() + minutes * 60_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pick = (n: number, r: number) => (r * 7_919 + 13) % n;

async function insertAll(collection: mongo.Collection<mongo.Document>, docs: mongo.Document[]): Promise<void> {
  for (let i = 0; i < docs.length; i += 10_000) await collection.insertMany(docs.slice(i, i + 10_000));
}

/** A run returns its own time when it also restores what it changed (untimed). */
type Shape = { name: string; slow?: boolean; run: (r: number) => Promise<number | void> };
const timed = async (call: () => Promise<unknown>) => {
  const t0 = performance.now();
  await call();
  return performance.now() - t0;
};

async function fill(m: Models, db: mongo.Db, n: number) {
  const participants = Array.from({ length: n }, (_, i) => ({
    ...actorData(`telegram:${i}`),
    _id: new Types.ObjectId(),
    createdAt: HOUR,
    updatedAt: HOUR,
  }));
  await insertAll(m.Participant.collection, participants);
  const identities = participants.map((p, i) => ({ _id: `telegram:${i}`, participantId: String(p._id) }));
  await insertAll(m.Identity.collection, identities);
  const flow = { flow: 'registration', version: 1, step: 'city', data: { firstName: 'Amira' } };
  const conversation = { locale: 'en', flow, recentEventIds: ['a', 'b', 'c'], revision: 1, updatedAt: HOUR };
  const each = <T>(make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
  await insertAll(
    m.Conversation.collection,
    each((i) => ({ _id: `telegram:${i}`, ...conversation })),
  );
  // Each handled event leaves its claim and its done mark.
  await insertAll(
    m.ProcessedEvent.collection,
    each((i) => ({ _id: `tg:update:${i}#started`, at: HOUR })),
  );
  await insertAll(
    m.ProcessedEvent.collection,
    each((i) => ({ _id: `tg:update:${i}`, at: HOUR })),
  );

  // The outbox: DUE pending messages through the repository (which sets the hour cursor), the rest of
  // the hour already sent, each with its key and its spent claim.
  const outbox = new MongoOutboxRepository(m);
  const message = (i: number): OutboxMessage => ({
    key: `reminder:m${i}:v1:24h:p${i}`,
    recipientId: `p${i}`,
    due: at(i < DUE ? 5 : 1),
    text: [{ key: 'meetings:reminder.pair' }],
    category: 'essential',
  });
  const dueIds = await outbox.enqueueMany(
    Array.from({ length: DUE }, (_, i) => message(i)),
    HOUR,
  );
  const bucket = hourOf(HOUR);
  const sent = Array.from({ length: n - DUE }, (_, k) => ({ ...message(DUE + k), _id: `${bucket}-sent${DUE + k}` }));
  const keys = sent.map((s) => ({ _id: s.key, messageId: s._id, recipientId: s.recipientId }));
  await insertAll(m.OutboxKey.collection, keys);
  await insertAll(
    db.collection('outbox_recipients'),
    sent.map((s) => ({ _id: `${s.recipientId}:${s._id}` })),
  );
  const state = { state: 'sent', attempts: 1, nextAttemptAt: at(1), createdAt: HOUR, sentAt: at(2) };
  await insertAll(
    db.collection(`outbox_${bucket}`),
    sent.map((s) => ({ ...s, ...state })),
  );
  const lease = { claimedBy: 'old', leaseUntil: at(3) };
  const claims = sent.map((s) => ({ _id: `${s._id}:0`, messageId: s._id, ...lease }));
  await insertAll(db.collection(`claims_${bucket}`), claims);

  // The health queue: DUE pairs through noteEvent (due now), the others due later in the same hour.
  const health = new MongoHealthQueue(db, (events) => compactTimeline(events));
  for (let i = 0; i < DUE; i++) await health.noteEvent({ pairId: `pair${i}`, type: 'activated', at: at(5) });
  const later = Array.from({ length: n - DUE }, (_, k) => `pair${DUE + k}`);
  const byPartition = new Map<string, mongo.Document[]>();
  for (const p of later) {
    const doc = { _id: p, v: 1, events: [{ pairId: p, type: 'activated', at: at(30) }] };
    byPartition.set(partitionOf(p), [...(byPartition.get(partitionOf(p)) ?? []), doc]);
  }
  for (const [partition, docs] of byPartition) await insertAll(db.collection(`health_${partition}`), docs);
  await insertAll(
    db.collection(`evalq_${bucket}`),
    later.map((p) => ({ _id: `${p}|1`, p, v: 1, at: at(30) })),
  );
  return { outbox, health, dueIds };
}

async function shapes(m: Models, db: mongo.Db, n: number): Promise<Shape[]> {
  const { outbox, health, dueIds } = await fill(m, db, n);
  // Every load read from the database: its query shape is what is measured, not the copy a process keeps.
  const conversations = new MongoConversationRepository(m, { cacheMs: 0 });
  const people = new MongoParticipantRepository(m);
  const events = new MongoProcessedEventRepository(m);
  const messages = db.collection(`outbox_${hourOf(HOUR)}`);
  const expect = (ok: boolean, what: string) => {
    if (!ok) throw new Error(`queries bench: ${what} (n = ${n})`);
  };
  return [
    {
      name: 'conversation load (her revisions by _id prefix)',
      run: async (r) => expect((await conversations.load(`telegram:${pick(n, r)}`))?.revision !== undefined, 'load'),
    },
    {
      name: 'conversation save (insert of the next revision)',
      run: async (r) => {
        const id = `telegram:${pick(n, r)}`;
        const state = (await conversations.load(id))!;
        const recentEventIds = [...state.recentEventIds, `e${r}`].slice(-5);
        return timed(() => conversations.save({ ...state, recentEventIds }));
      },
    },
    {
      name: 'participant by identity (2 finds by _id)',
      run: async (r) => expect((await people.findByIdentity(`telegram:${pick(n, r)}`)) !== null, 'identity'),
    },
    {
      name: 'processed event, seen (claim refused, 2 finds by _id)',
      run: async (r) => expect((await events.begin(`tg:update:${pick(n, r)}`, NOW)).done, 'seen'),
    },
    {
      name: 'processed event, new (claim by insert)',
      run: async (r) => expect(!(await events.begin(`tg:update:new${r}`, NOW)).done, 'new'),
    },
    {
      name: `outbox due (${DUE} of the hour's n)`,
      slow: true,
      run: async () => expect((await outbox.due(NOW, DUE)).length === DUE, 'due'),
    },
    {
      name: `outbox claim ${DUE} (insertMany)`,
      run: async (r) => {
        const won = await outbox.claimMany(
          dueIds.map((id) => ({ id, attempt: r })),
          'bench',
          at(20),
        );
        expect(won.size === DUE, 'claim');
      },
    },
    {
      name: `outbox mark ${DUE} sent (update _id $in)`,
      run: async () => {
        const ms = await timed(() => outbox.markSentMany(dueIds, NOW));
        await messages.updateMany({ _id: { $in: dueIds as never[] } }, { $set: { state: 'pending' } });
        return ms;
      },
    },
    {
      name: 'outbox cancel for a recipient',
      slow: true,
      run: async (r) => {
        let cancelled = 0;
        const ms = await timed(async () => (cancelled = await outbox.cancelForRecipient(`p${r % DUE}`)));
        expect(cancelled === 1, 'cancel');
        await messages.updateOne({ _id: dueIds[r % DUE] as never }, { $set: { state: 'pending' } });
        return ms;
      },
    },
    {
      name: `health queue due (${DUE} of the hour's n)`,
      run: async () => expect((await health.due(NOW, DUE)).length === DUE, 'health due'),
    },
  ];
}

/** Median ms of each shape's runs. */
async function measure(uri: string, n: number): Promise<Map<string, number>> {
  const connection: Connection = await connect(uri);
  await connection.dropDatabase();
  const m = models(connection);
  await ensureIndexes(m);
  const t0 = performance.now();
  const list = await shapes(m, connection.db!, n);
  console.log(`queries: filled ${n.toLocaleString('en')} of each in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const out = new Map<string, number>();
  for (const shape of list) {
    const runs: number[] = [];
    const count = shape.slow ? SLOW_RUNS : RUNS;
    for (let r = 0; r <= count; r++) {
      let own: number | void = undefined;
      const ms = await timed(async () => (own = await shape.run(r)));
      if (r > 0) runs.push(own ?? ms);
    }
    out.set(shape.name, median(runs));
    console.log(`queries: n = ${n}: ${shape.name}: ${median(runs).toFixed(1)} ms`);
  }
  await connection.dropDatabase();
  await connection.close();
  return out;
}

export async function benchQueries(uriFor: (db: string) => string): Promise<void> {
  const small = await measure(uriFor('bench_queries_1k'), SIZES[0]);
  const large = await measure(uriFor('bench_queries_100k'), SIZES[1]);
  const cell = (ms: number, width: number) => ms.toFixed(1).padStart(width);
  const rows = [...small.keys()].map((name) => {
    const [a, b] = [small.get(name)!, large.get(name)!];
    const verdict = b / a <= 1.5 ? 'ok' : 'over';
    return `${name.padEnd(46)} ${cell(a, 9)} ${cell(b, 10)} ${(b / a).toFixed(2).padStart(7)}  ${verdict}`;
  });
  console.log(`queries: median of ${RUNS} runs (${SLOW_RUNS} of the slow ones) after a warm-up; target: ratio <= 1.5`);
  console.log(`${'shape'.padEnd(46)} ${'ms at 1k'.padStart(9)} ${'ms at 100k'.padStart(10)} ${'ratio'.padStart(7)}`);
  for (const row of rows) console.log(row);
}
