import { t } from '../src/core/flow.ts';
import { FakeTelegram } from '../test/fakes/telegram-bot-api.ts';
import { deliveryInstance } from '../test/support/delivery-fixture.ts';
import { silentLogger } from '../test/support/logger.ts';
import { actorData } from '../test/support/seed.ts';

const LIMIT = 30;

/** 1,000 reminders to 1,000 chats through a fake that allows 30 messages/s and answers 429 above it. */
export async function benchDispatch(uri: string): Promise<void> {
  const fake = new FakeTelegram();
  const apiRoot = await fake.start();
  fake.globalLimitPerSecond = LIMIT;
  const inst = await deliveryInstance({ mongoUri: uri, apiRoot, token: fake.token, instanceId: 'bench', clock: { now: () => new Date() }, logger: silentLogger });
  await inst.connection.dropDatabase();
  const now = new Date();
  const people = Array.from({ length: 1000 }, (_, i) => actorData(`telegram:${900_000 + i}`));
  for (const p of people) {
    const saved = await inst.repos.participants.save(p, now);
    await inst.notifier.send({ key: `reminder:bench:${saved.id}`, recipientId: saved.id, due: now, text: [t('meetings:reminder.pair', { when: 'soon', place: '-' })] }, now);
  }
  const t0 = performance.now();
  await inst.dispatcher.drain();
  const seconds = (performance.now() - t0) / 1000;
  const delivered = fake.messages.length;
  const rate = delivered / seconds;
  const sends = fake.calls.filter((c) => c.method === 'sendMessage' && c.status === 200).map((c) => c.at);
  const span = (sends.at(-1)! - sends[0]!) / 1000;
  console.log(`dispatch: first send after ${((sends[0]! - fake.calls[0]!.at) / 1000).toFixed(2)} s; first to last send ${span.toFixed(1)} s = ${((sends.length - 1) / span).toFixed(1)} msg/s`);
  console.log(`dispatch: ${delivered} of 1,000 delivered in ${seconds.toFixed(1)} s = ${rate.toFixed(1)} msg/s; share of the 30/s limit ${(rate / LIMIT).toFixed(2)} (target >= 0.9); 429 answers ${fake.tooMany} (target 0)`);
  await inst.close();
  await fake.stop();
}
