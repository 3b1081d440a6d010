import { Types } from 'mongoose';
import { t } from '../src/core/flow.ts';
import type { OutboxMessage } from '../src/core/programme.ts';
import { FakeTelegram } from '../test/fakes/telegram-bot-api.ts';
import { deliveryInstance } from '../test/support/delivery-fixture.ts';
import { actorData } from '../test/support/seed.ts';
import { quietLogger } from './support.ts';

const LIMIT = 30;

/**
 * `count` reminders to `count` chats through a fake that allows 30 messages/s and answers 429 above it.
 * With `spreadMs` their due times are spread evenly over that span before now (all due by now, as after an hour
 * in which they fell due); without, all are due now.
 */
export async function benchDispatch(uri: string, count = 1000, spreadMs = 0): Promise<void> {
  const fake = new FakeTelegram();
  const apiRoot = await fake.start();
  fake.globalLimitPerSecond = LIMIT;
  const clock = { now: () => new Date() };
  const options = { mongoUri: uri, apiRoot, token: fake.token, instanceId: 'bench', clock, logger: quietLogger };
  const inst = await deliveryInstance(options);
  await inst.connection.dropDatabase();
  const now = new Date();
  // Seeded as the repositories store them, in bulk: participant, identity claim, then the outbox.
  const db = inst.connection.db!;
  const person = (i: number) => ({ id: new Types.ObjectId(), data: actorData(`telegram:${900_000 + i}`) });
  const people = Array.from({ length: count }, (_, i) => person(i));
  const docs = people.map((p) => ({ ...p.data, _id: p.id, createdAt: now, updatedAt: now }));
  await db.collection('participants').insertMany(docs);
  const claims = people.map((p) => ({ _id: p.data.identities[0] as never, participantId: p.id.toHexString() }));
  await db.collection('identities').insertMany(claims);
  const text = [t('meetings:reminder.pair', { when: 'soon', place: '-' })];
  const messages: OutboxMessage[] = people.map((p, i) => ({
    key: `reminder:bench:${p.id.toHexString()}`,
    recipientId: p.id.toHexString(),
    due: new Date(now.getTime() - Math.floor((spreadMs * (count - i)) / count)),
    text,
    category: 'essential',
  }));
  await inst.repos.outbox.enqueueMany(messages, new Date(now.getTime() - spreadMs - 1000));
  const t0 = performance.now();
  await inst.dispatcher.drain();
  const seconds = (performance.now() - t0) / 1000;
  const delivered = fake.messages.length;
  const rate = delivered / seconds;
  const sends = fake.calls.filter((c) => c.method === 'sendMessage' && c.status === 200).map((c) => c.at);
  const span = (sends.at(-1)! - sends[0]!) / 1000;
  const perChat = new Map<number, number>();
  for (const m of fake.messages) perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1);
  const duplicates = [...perChat.values()].reduce((sum, n) => sum + n - 1, 0);
  const n = count.toLocaleString('en');
  const when = spreadMs ? `due over the last ${spreadMs / 60_000} minutes` : 'all due now';
  console.log(
    `dispatch ${n} (${when}): first send after ${((sends[0]! - fake.calls[0]!.at) / 1000).toFixed(2)} s; ` +
      `first to last send ${span.toFixed(1)} s = ${((sends.length - 1) / span).toFixed(1)} msg/s`,
  );
  console.log(
    `dispatch ${n}: ${delivered} delivered in ${seconds.toFixed(1)} s = ${rate.toFixed(1)} msg/s; ` +
      `share of the 30/s limit ${(rate / LIMIT).toFixed(2)} (target >= 0.9); 429 answers ${fake.tooMany} (target 0); ` +
      `lost ${count - perChat.size}, ` +
      `duplicates ${duplicates} (targets 0)`,
  );
  await inst.close();
  await fake.stop();
}
