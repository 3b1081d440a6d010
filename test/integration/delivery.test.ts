import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/flow.ts';
import { UNLIMITED } from '../../src/services/delivery/rate-limiter.ts';
import { FakeTelegram } from '../fakes/telegram-bot-api.ts';
import { ManualClock } from '../support/clock.ts';
import { testDbUri } from '../support/database.ts';
import { deliveryInstance } from '../support/delivery-fixture.ts';
import { silentLogger } from '../support/logger.ts';
import { actorData, seed } from '../support/seed.ts';

const ROOT = resolve(import.meta.dirname, '../..');
type Instance = Awaited<ReturnType<typeof deliveryInstance>>;

/** Enqueues one due reminder for each of `n` new participants (chats base+1 .. base+n). */
async function reminders(inst: Instance, base: number, n: number, due: Date) {
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) {
    const p = await seed(inst.repos.participants, actorData(`telegram:${base + i}`));
    ids.push(p.id);
    await inst.notifier.send(
      {
        key: `reminder:test${base}:${i}`,
        recipientId: p.id,
        due,
        text: [t('meetings:reminder.pair', { when: 'soon', place: String(base + i) })],
      },
      due,
    );
  }
  return ids;
}

const perChat = (fake: FakeTelegram, base: number, n: number) =>
  Array.from({ length: n }, (_, i) => fake.messagesTo(base + i + 1).length);

describe('durable delivery on the real database', () => {
  const fake = new FakeTelegram();
  let apiRoot: string;
  const mongoUri = testDbUri('delivery');
  let a: Instance;
  let b: Instance;
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    apiRoot = await fake.start();
    // Batches smaller than the work, so that both instances really compete for the same messages.
    a = await deliveryInstance({
      mongoUri,
      apiRoot,
      token: fake.token,
      instanceId: 'a',
      clock,
      logger: silentLogger,
      batchSize: 50,
    });
    b = await deliveryInstance({
      mongoUri,
      apiRoot,
      token: fake.token,
      instanceId: 'b',
      clock,
      logger: silentLogger,
      batchSize: 50,
    });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await fake.stop();
  });

  it('two instances deliver 200 due reminders, each exactly once', async () => {
    await reminders(a, 100_000, 200, clock.now());
    const [ra, rb] = await Promise.all([a.dispatcher.drain(), b.dispatcher.drain()]);
    expect(ra.sent + rb.sent).toBe(200);
    expect(ra.sent).toBeGreaterThan(0);
    expect(rb.sent).toBeGreaterThan(0);
    expect(perChat(fake, 100_000, 200).every((n) => n === 1)).toBe(true);
    expect((await a.repos.outbox.countByState()).sent).toBe(200);
  });

  it('an instance killed in the middle of sending loses nothing; duplicates only for claims it held', async () => {
    const base = 200_000;
    const now = new Date();
    clock.set(now);
    await reminders(a, base, 200, now);
    const worker = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(ROOT, 'test/support/delivery-worker.ts'), mongoUri, apiRoot, fake.token],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    worker.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((ok, fail) => {
      worker.stdout.on('data', (d) => String(d).includes('ready') && ok());
      worker.once('exit', (code) => fail(new Error(`worker exited ${code}: ${stderr}`)));
    });
    // Kill it once it has sent some, in the middle of its batch.
    const deadline = Date.now() + 20_000;
    while (perChat(fake, base, 200).filter((n) => n > 0).length < 40 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    const deliveredBeforeKill = perChat(fake, base, 200).filter((n) => n > 0).length;
    // Claimed by the dead worker but not marked sent: the only messages that may go out twice.
    const claimedAtKill = await a.repos.outbox.claimsBy('worker');
    const sentAtKill = (await a.repos.outbox.findByKeyPrefix(`reminder:test${base}:`)).filter(
      (m) => m.state === 'sent',
    ).length;
    const inFlightAtKill = claimedAtKill - sentAtKill;
    expect(deliveredBeforeKill).toBeGreaterThanOrEqual(40);
    expect(deliveredBeforeKill).toBeLessThan(200);

    // Another instance, after the dead one's leases (60 s from its claims) have passed, sends the rest.
    clock.set(new Date(Date.now() + 61_000));
    await b.dispatcher.drain();
    // On FerretDB an update the dead worker sent just before dying may still land after B's and
    // revert a message to pending; a later sweep then treats it like any other expired claim.
    clock.advance(61_000);
    await b.dispatcher.drain();
    const counts = perChat(fake, base, 200);
    expect(counts.every((n) => n >= 1)).toBe(true);
    const duplicates = counts.filter((n) => n > 1).length;
    expect(duplicates).toBeLessThanOrEqual(inFlightAtKill);
    // Sent but not yet marked: at most the sends in progress (32) and two batches of marks (2 x 25).
    expect(duplicates).toBeLessThanOrEqual(32 + 2 * 25);
    console.info(
      `kill test: ${deliveredBeforeKill} delivered before the kill, ${inFlightAtKill} claimed in flight, ${duplicates} sent twice`,
    );
    expect((await a.repos.outbox.countByState()).pending ?? 0).toBe(0);
  }, 60_000);

  it('honours 429 retry_after: nothing lost and nothing sent before the wait is over', async () => {
    const base = 300_000;
    clock.set(new Date());
    const inst = await deliveryInstance({
      mongoUri,
      apiRoot,
      token: fake.token,
      instanceId: 'c',
      clock,
      logger: silentLogger,
      policy: UNLIMITED,
    });
    await reminders(inst, base, 10, clock.now());
    const from = fake.calls.length;
    fake.throttle(1_500, 1);
    await inst.dispatcher.drain();
    const calls = fake.calls.slice(from).filter((c) => c.method === 'sendMessage');
    expect(perChat(fake, base, 10).every((n) => n === 1)).toBe(true);
    const refused = calls.filter((c) => c.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    // After a 429 came back, no request was made until its retry_after (1 s) had passed.
    // Requests already in flight when it came back (within a few ms) are not "after" it.
    for (const r of refused) {
      const early = calls.filter((c) => c.at > r.at + 50 && c.at < r.at + 990);
      expect(early).toEqual([]);
    }
    await inst.close();
  }, 30_000);

  it('a person who blocked the bot is marked unreachable and gets nothing more', async () => {
    const base = 400_000;
    clock.set(new Date());
    const [id] = await reminders(a, base, 1, clock.now());
    await a.notifier.send(
      {
        key: `later:${base}`,
        recipientId: id!,
        due: new Date(clock.now().getTime() + 3_600_000),
        text: [t('meetings:none')],
      },
      clock.now(),
    );
    fake.blocked.add(base + 1);
    const report = await a.dispatcher.drain();
    expect(report.failed).toBe(1);
    expect((await a.repos.participants.findById(id!))?.status).toBe('unreachable');
    clock.advance(2 * 3_600_000);
    await a.dispatcher.drain();
    expect(fake.messagesTo(base + 1)).toEqual([]);
    const [later] = await a.repos.outbox.findByKeyPrefix(`later:${base}`);
    expect(later?.state).toBe('cancelled');
  });

  it('after downtime sends reminders still useful and drops those of meetings already past', async () => {
    const base = 600_000;
    const now = new Date('2026-12-01T10:00:00Z');
    clock.set(now);
    const [p1, p2] = await reminders(a, base, 0, now).then(async () => [
      (await seed(a.repos.participants, actorData(`telegram:${base + 1}`))).id,
      (await seed(a.repos.participants, actorData(`telegram:${base + 2}`))).id,
    ]);
    const meeting = (at: string) =>
      a.repos.meetings.create({
        kind: 'pair',
        at: new Date(at),
        timeZone: 'Europe/Helsinki',
        state: 'accepted',
        proposedBy: p1!,
        version: 1,
        rsvps: {},
        attended: [],
        createdAt: now,
      });
    const soon = await meeting('2026-12-01T14:30:00Z');
    const early = await meeting('2026-12-01T12:00:00Z');
    const remind = (key: string, to: string, m: { id: string; at: Date }) =>
      a.notifier.send(
        {
          key,
          recipientId: to,
          due: new Date(m.at.getTime() - 3_600_000),
          text: [t('meetings:none')],
          guard: { meetingId: m.id, version: 1, until: m.at },
        },
        now,
      );
    await remind(`down:${base}:soon`, p1!, soon);
    await remind(`down:${base}:early`, p2!, early);
    clock.set('2026-12-01T14:00:00Z'); // the bot was down from 10:00 to 14:00
    const report = await a.dispatcher.drain();
    expect(report).toMatchObject({ sent: 1, dropped: 1 });
    expect(fake.messagesTo(base + 1)).toHaveLength(1);
    expect(fake.messagesTo(base + 2)).toHaveLength(0);
  });

  it('retries a server error with backoff, then sends', async () => {
    const base = 500_000;
    clock.set(new Date());
    await reminders(a, base, 1, clock.now());
    fake.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    const first = await a.dispatcher.drain();
    expect(first.retried).toBe(1);
    expect(fake.messagesTo(base + 1)).toEqual([]);
    clock.advance(6_000);
    await a.dispatcher.drain();
    expect(fake.messagesTo(base + 1).length).toBe(1);
  });
});
