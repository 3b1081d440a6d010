import { connect } from '../adapters/mongo/connection.ts';
import { ensureIndexes, models } from '../adapters/mongo/models.ts';
import { MongoOutboxRepository } from '../adapters/mongo/outbox.repository.ts';
import type { OutboxMessage } from '../src/core/programme.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** `total` scheduled messages: 100 due now, the rest one a minute from the next hour on. */
async function fill(uri: string, total: number) {
  const connection = await connect(uri);
  await connection.dropDatabase();
  const m = models(connection);
  await ensureIndexes(m);
  const outbox = new MongoOutboxRepository(m);
  const now = new Date();
  const nextHour = Math.ceil(now.getTime() / 3_600_000) * 3_600_000;
  const messages: OutboxMessage[] = Array.from({ length: total }, (_, i) => ({
    key: `reminder:bench:${i}`,
    recipientId: `p${i}`,
    due: new Date(i < 100 ? now.getTime() - 1000 : nextHour + i * 60_000),
    text: [{ key: 'meetings:reminder.pair' }],
    category: 'essential',
  }));
  await outbox.enqueueMany(messages, new Date(now.getTime() - 2000));
  return { connection, outbox };
}

/** Finding and claiming the 100 due messages, as one sweep does (a fresh attempt number per run). */
async function measure(uri: string, total: number): Promise<number> {
  const { connection, outbox } = await fill(uri, total);
  const runs: number[] = [];
  for (let r = 0; r < 7; r++) {
    // Each run starts from unclaimed messages, as the next sweep after a crash would.
    for (const c of await connection.listCollections())
      if (c.name.startsWith('claims_')) await connection.db!.collection(c.name).deleteMany({});
    const t0 = performance.now();
    const due = await outbox.due(new Date(), 100);
    const won = await outbox.claimMany(
      due.map((m) => ({ id: m.id, attempt: r })),
      'bench',
      new Date(Date.now() + 60_000),
    );
    runs.push(performance.now() - t0);
    if (due.length !== 100 || won.size !== 100)
      throw new Error(`expected 100 due and claimed, got ${due.length}/${won.size}`);
  }
  await connection.close();
  return median(runs);
}

export async function benchSweep(uri: string): Promise<void> {
  const small = await measure(uri, 1_000);
  const large = await measure(uri, 100_000);
  console.log(
    `sweep: find+claim 100 due among 100,000 = ${large.toFixed(1)} ms; among 1,000 = ${small.toFixed(1)} ms; ratio ${(large / small).toFixed(2)} (target <= 2)`,
  );
}
