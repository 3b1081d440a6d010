import { join } from 'node:path';
import mongoose, { type Connection, Types } from 'mongoose';
import type { Update } from 'telegraf/types';
import { ensureIndexes, models } from '../adapters/mongo/models.ts';
import { toInboundEvent } from '../adapters/telegram/inbound.ts';
import { buildEngine, buildProgramme, PROJECT_ROOT, systemClock } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Delivery, InboundEvent } from '../src/core/messages.ts';
import type { ChannelPort } from '../src/core/ports.ts';
import { createTranslator, loadResources } from '../src/engine/i18n.ts';
import { InboxIntake } from '../src/services/inbox-intake.ts';
import { actorData } from '../test/support/seed.ts';
import { HELP, quietLogger, REGISTRATION } from './support.ts';

const WORKERS = 16;
const SECONDS = 10;

/** What the engine sends, kept instead of sent: capacity is measured without Telegram's limits. */
class RecordingChannel implements ChannelPort {
  readonly platform = 'telegram';
  readonly last = new Map<string, Delivery>();
  sent = 0;
  async deliver(delivery: Delivery): Promise<string> {
    this.last.set(delivery.conversationId, delivery);
    return String(++this.sent);
  }
}

/** Database commands by name and collection ("find identities"), with their summed time. */
class CommandLog {
  readonly counts = new Map<string, number>();
  readonly ms = new Map<string, number>();
  private readonly names = new Map<number, string>();
  constructor(connection: Connection) {
    const client = connection.getClient();
    client.on('commandStarted', (e) => {
      const name = `${e.commandName} ${String(e.command[e.commandName] ?? '')}`.trim();
      this.names.set(e.requestId, name);
      this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    });
    client.on('commandSucceeded', (e) => {
      const name = this.names.get(e.requestId);
      this.names.delete(e.requestId);
      if (name) this.ms.set(name, (this.ms.get(name) ?? 0) + e.duration);
    });
  }
  reset(): void {
    this.counts.clear();
    this.ms.clear();
  }
  get total(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }
  list(): string {
    return [...this.counts].map(([name, n]) => (n > 1 ? `${n}x ${name}` : name)).join(', ');
  }
}

let nextUpdate = 1;
const from = (id: number) => ({ id, is_bot: false, first_name: `P${id}`, language_code: 'en' });
function textUpdate(user: number, text: string): InboundEvent {
  const command = text.startsWith('/') ? text.split(' ')[0]! : undefined;
  const entities = command ? [{ type: 'bot_command', offset: 0, length: command.length }] : undefined;
  const chat = { id: user, type: 'private', first_name: `P${user}` };
  const message = { message_id: nextUpdate, date: 0, chat, from: from(user), text, ...(entities ? { entities } : {}) };
  return toInboundEvent({ update_id: nextUpdate++, message } as unknown as Update)!;
}
function pressUpdate(user: number, data: string): InboundEvent {
  const message = { message_id: 1, date: 0, chat: { id: user, type: 'private' }, text: '' };
  const callback_query = { id: String(nextUpdate), from: from(user), chat_instance: 'ci', data, message };
  return toInboundEvent({ update_id: nextUpdate++, callback_query } as unknown as Update)!;
}

/** The next event of a new person registering, from what the bot last sent her. */
function registrationStep(user: number, step: number, channel: RecordingChannel): InboundEvent {
  const s = REGISTRATION[step] ?? HELP;
  if (!s.press) return textUpdate(user, s.text!);
  const message = channel.last.get(`telegram:${user}`)?.message;
  const button = message?.type === 'choice' ? message.rows.flat().find((b) => b.label.includes(s.press!)) : undefined;
  return pressUpdate(user, button?.data ?? 'bench');
}

const REGISTERED_BASE = 1_000_000;

/** Registered people as the repository stores them: participant, identity claim and a finished conversation. */
async function seed(connection: Connection, fromIndex: number, toIndex: number): Promise<void> {
  const db = connection.db!;
  const at = new Date('2026-10-01T10:00:00Z');
  for (let start = fromIndex; start < toIndex; start += 1000) {
    const n = Math.min(1000, toIndex - start);
    const people = Array.from({ length: n }, (_, i) => {
      const identity = `telegram:${REGISTERED_BASE + start + i}`;
      return { identity, id: new Types.ObjectId(), data: actorData(identity) };
    });
    const participant = (p: (typeof people)[number]) => ({ ...p.data, _id: p.id, createdAt: at, updatedAt: at });
    const identity = (p: (typeof people)[number]) => ({ _id: p.identity as never, participantId: p.id.toHexString() });
    const conversation = (p: (typeof people)[number]) => ({
      _id: p.identity as never,
      ...{ locale: 'en', flow: null, recentEventIds: [], revision: 1, updatedAt: at },
    });
    await db.collection('participants').insertMany(people.map(participant));
    await db.collection('identities').insertMany(people.map(identity));
    await db.collection('conversations').insertMany(people.map(conversation));
  }
}

async function engineOn(uri: string) {
  const options = { bufferCommands: false, autoIndex: false, maxPoolSize: 20, monitorCommands: true };
  const connection = await mongoose.createConnection(uri, options).asPromise();
  await connection.dropDatabase();
  const m = models(connection);
  await ensureIndexes(m);
  const config = loadConfig({});
  const { repos, services } = buildProgramme(m, config);
  const channel = new RecordingChannel();
  const i18n = createTranslator(loadResources(join(PROJECT_ROOT, 'locales')));
  const channels = new Map([['telegram', channel]]);
  const engineOptions = { config, channels, i18n, clock: systemClock, logger: quietLogger, mentorCodes: [] };
  const engine = buildEngine(repos, services, engineOptions);
  // As in the app: each update is stored in the inbox, handled from there and marked handled; a worker
  // waits for its reply, as a person does.
  const replied = new Map<string, () => void>();
  const intake = new InboxIntake({
    inbox: repos.inbox,
    clock: systemClock,
    logger: quietLogger,
    instanceId: 'bench',
    readAhead: { begin: (e) => engine.readAhead(e), drop: (id) => engine.dropReadAhead(id) },
    handle: async (e) => {
      await engine.handle(e);
      replied.get(e.id)?.();
      replied.delete(e.id);
    },
  });
  // Done when she has her reply and the platform its answer (a person answers the one, the platform sends the
  // next update after the other).
  const handle = async (e: InboundEvent) => {
    const reply = new Promise<void>((resolve) => replied.set(e.id, resolve));
    if (await intake.receive(e)) await reply;
    else replied.delete(e.id);
  };
  return { connection, channel, log: new CommandLog(connection), handle };
}

async function baselineOn(uri: string) {
  const options = { bufferCommands: false, maxPoolSize: 20, monitorCommands: true };
  const connection = await mongoose.createConnection(uri, options).asPromise();
  await connection.dropDatabase();
  const updates = connection.db!.collection('updates');
  const channel = new RecordingChannel();
  const handle = async (e: InboundEvent) => {
    await updates.insertOne({ _id: e.id as never, event: e, at: new Date() });
    await channel.deliver({ conversationId: e.conversationId, message: { type: 'text', text: 'ok' } });
  };
  return { connection, channel, log: new CommandLog(connection), handle };
}

type Target = Awaited<ReturnType<typeof baselineOn>>;
let newPeople = 2_000_000;

/**
 * WORKERS people at a time, each closed loop: a registered person (any of `registered`) sends /help, then a
 * new person takes her next registration step; updates handled per second over SECONDS.
 */
async function throughput(target: Target, registered: number, seconds = SECONDS): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let handled = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      let person = newPeople++;
      let step = 0;
      while (performance.now() < deadline) {
        await target.handle(textUpdate(REGISTERED_BASE + Math.floor(Math.random() * registered), HELP.text!));
        await target.handle(registrationStep(person, step++, target.channel));
        handled += 2;
        if (step === REGISTRATION.length) [person, step] = [newPeople++, 0];
      }
    }),
  );
  return handled / seconds;
}

/** Each kind of step once, alone, with the commands it sent. */
async function commandsPerStep(target: Target, registered: number): Promise<string[]> {
  const lines: string[] = [];
  const person = newPeople++;
  const run = async (label: string, event: InboundEvent) => {
    target.log.reset();
    const t0 = performance.now();
    await target.handle(event);
    const ms = (performance.now() - t0).toFixed(1);
    lines.push(`  ${label}: ${target.log.total} commands in ${ms} ms: ${target.log.list()}`);
  };
  for (const [i, s] of REGISTRATION.entries()) {
    await run(`new person, ${s.text ?? 'press'}`, registrationStep(person, i, target.channel));
  }
  await run('registered person, /help', textUpdate(REGISTERED_BASE + registered - 1, HELP.text!));
  return lines;
}

function dbTime(target: Target): string {
  const total = [...target.log.ms.values()].reduce((a, b) => a + b, 0);
  const top = [...target.log.ms].sort((a, b) => b[1] - a[1]).slice(0, 6);
  const share = (ms: number) => ((100 * ms) / total).toFixed(0);
  return top.map(([name, ms]) => `${name} ${share(ms)}% (${target.log.counts.get(name)}x)`).join(', ');
}

export async function benchCapacity(uri: (name: string) => string): Promise<void> {
  const base = await baselineOn(uri('bench_capacity_base'));
  const app = await engineOn(uri('bench_capacity_app'));
  try {
    await seed(app.connection, 0, 1_000);
    const rates = new Map<number, { app: number; base: number }>();
    for (const population of [1_000, 20_000]) {
      if (population > 1_000) {
        const t0 = performance.now();
        await seed(app.connection, 1_000, population);
        const seconds = ((performance.now() - t0) / 1000).toFixed(1);
        console.log(`capacity: seeded ${population - 1_000} more registered people in ${seconds} s`);
      }
      // Warm-ups, not counted (JIT, connection pools).
      await throughput(base, population, 3);
      await throughput(app, population, 3);
      const b = await throughput(base, population);
      app.log.reset();
      const a = await throughput(app, population);
      rates.set(population, { app: a, base: b });
      console.log(
        `capacity: ${population.toLocaleString('en')} registered: the engine ${a.toFixed(0)} updates/s, ` +
          `baseline (insertOne + reply) ${b.toFixed(0)} updates/s; ratio ${(a / b).toFixed(2)} (target >= 0.5); ` +
          `${(app.log.total / (a * SECONDS)).toFixed(1)} ` +
          `commands per update`,
      );
      console.log(`capacity: database time by command at ${population.toLocaleString('en')}: ${dbTime(app)}`);
      if (population === 20_000) for (const line of await commandsPerStep(app, population)) console.log(line);
    }
    const r = rates.get(20_000)!.app / rates.get(1_000)!.app;
    console.log(`capacity: engine updates/s with 20,000 vs 1,000 registered: ratio ${r.toFixed(2)} (target >= 0.8)`);
  } finally {
    await base.connection.close();
    await app.connection.close();
  }
}
