import { describe, expect, it } from 'vitest';
import { ChannelError, RateLimitedError } from '../../src/core/errors.ts';
import type { Delivery } from '../../src/core/messages.ts';
import type { ChannelPort, RatePolicy } from '../../src/core/ports.ts';
import { RateLimiter } from '../../src/services/delivery/rate-limiter.ts';
import { ReplySender } from '../../src/services/delivery/reply-sender.ts';
import { recordingLogger } from '../support/logger.ts';

/** A channel whose answers the test scripts per text: an error to throw once each time it is listed. */
class ScriptedChannel implements ChannelPort {
  readonly platform = 'test';
  readonly sent: { to: string; text: string; at: number }[] = [];
  readonly tries: string[] = [];
  readonly failures = new Map<string, Error[]>();
  async deliver(d: Delivery): Promise<string> {
    this.tries.push(d.message.text);
    const fail = this.failures.get(d.message.text)?.shift();
    if (fail) throw fail;
    this.sent.push({ to: d.conversationId, text: d.message.text, at: performance.now() });
    return String(this.sent.length);
  }
}

const reply = (to: string, text: string): Delivery => ({
  conversationId: `test:${to}`,
  message: { type: 'text', text },
});
const OPEN: RatePolicy = { perConversation: () => undefined };

function setup(policy: RatePolicy = OPEN, over: Partial<ConstructorParameters<typeof ReplySender>[0]> = {}) {
  const channel = new ScriptedChannel();
  const limiter = new RateLimiter(policy);
  const logger = recordingLogger();
  const channels = new Map([['test', channel]]);
  const limiters = new Map([['test', limiter]]);
  const sender = new ReplySender({ channels, limiters, logger, retryBaseMs: 50, ...over });
  return { channel, limiter, logger, sender };
}

describe('replies to people', () => {
  it('a reply refused with 429 is sent after its retry_after; the platform waits as a whole meanwhile', async () => {
    const { channel, sender } = setup();
    channel.failures.set('first', [new RateLimitedError(300)]);
    const t0 = performance.now();
    await sender.send([reply('a', 'first')]);
    await new Promise((r) => setTimeout(r, 20));
    await sender.send([reply('b', 'other')]);
    await sender.idle();
    expect(channel.sent.map((s) => s.text).sort()).toEqual(['first', 'other']);
    const at = (text: string) => channel.sent.find((s) => s.text === text)!.at - t0;
    expect(at('first')).toBeGreaterThanOrEqual(290);
    // The 429 paused the shared limiter, so the other conversation's reply waited too.
    expect(at('other')).toBeGreaterThanOrEqual(290);
    expect(sender.lost).toBe(0);
  });

  it('a transient failure is retried with backoff; a blocked chat is logged once and not retried', async () => {
    const { channel, sender, logger } = setup();
    const down = () => new ChannelError('unavailable', 'socket hang up');
    channel.failures.set('hello', [down(), down(), down()]);
    channel.failures.set('to blocked', [new ChannelError('blocked', 'Forbidden: bot was blocked by the user')]);
    const t0 = performance.now();
    await sender.send([reply('a', 'hello'), reply('b', 'to blocked')], 'telegram:77');
    await sender.idle();
    expect(channel.sent.map((s) => s.text)).toEqual(['hello']);
    // 50 + 100 + 200 ms of backoff before the fourth try.
    expect(channel.sent[0]!.at - t0).toBeGreaterThanOrEqual(340);
    expect(channel.tries.filter((t) => t === 'to blocked')).toHaveLength(1);
    const refused = logger.records.filter((r) => r.msg === 'reply not delivered: refused by the platform');
    expect(refused.map((r) => r.obj)).toEqual([{ event: 'telegram:77', platform: 'test', code: 'channel_blocked' }]);
    expect(sender.lost).toBe(1);
  });

  it('gives a reply up only after its tries, and says so', async () => {
    const { channel, sender, logger } = setup(OPEN, { maxAttempts: 3, retryBaseMs: 10 });
    channel.failures.set('doomed', [new Error('a'), new Error('b'), new Error('c')]);
    await sender.send([reply('a', 'doomed'), reply('a', 'next')]);
    await sender.idle();
    expect(channel.tries).toEqual(['doomed', 'doomed', 'doomed', 'next']);
    expect(logger.records.filter((r) => r.msg === 'reply lost after retries')).toHaveLength(1);
  });

  it('keeps the order of one conversation, a retry included', async () => {
    const { channel, sender } = setup();
    channel.failures.set('1', [new RateLimitedError(100)]);
    channel.failures.set('3', [new ChannelError('unavailable', 'reset')]);
    await sender.send([reply('a', '1'), reply('a', '2')]);
    await sender.send([reply('a', '3'), reply('a', '4')]);
    await sender.idle();
    expect(channel.sent.map((s) => s.text)).toEqual(['1', '2', '3', '4']);
  });

  it('answers someone asking one thing before a sender with a backlog, when the platform limits', async () => {
    // 10 sends a second overall: a backlog of 20 takes two seconds.
    const { channel, sender } = setup({ global: { count: 1, perMs: 100 }, perConversation: () => undefined });
    // Twenty events written at once, each with its reply.
    for (let i = 0; i < 20; i++) await sender.send([reply('flood', `flood ${i}`)], `flood-${i}`);
    await new Promise((r) => setTimeout(r, 250));
    await sender.send([reply('ordinary', 'help')]);
    await sender.idle();
    const order = channel.sent.map((s) => s.text);
    // Two or three of the flood went before she asked; hers goes next.
    expect(order.indexOf('help')).toBeLessThanOrEqual(4);
    expect(order.filter((t) => t.startsWith('flood'))).toEqual(Array.from({ length: 20 }, (_, i) => `flood ${i}`));
  });

  it('shares its limiter: slots the outbox took are not taken again', async () => {
    const { channel, limiter, sender } = setup({ global: { count: 3, perMs: 400 }, perConversation: () => undefined });
    const t0 = performance.now();
    for (let i = 0; i < 3; i++) {
      await limiter.acquire(`test:outbox${i}`);
      limiter.finished(`test:outbox${i}`);
    }
    await sender.send([reply('a', 'after the outbox')]);
    await sender.idle();
    expect(channel.sent[0]!.at - t0).toBeGreaterThanOrEqual(390);
  });

  it("respects a conversation's own window without holding up the others", async () => {
    const slow = { count: 1, perMs: 300 };
    const { channel, sender } = setup({ perConversation: (id) => (id === 'test:slow' ? slow : undefined) });
    const t0 = performance.now();
    await sender.send([reply('slow', 's1'), reply('slow', 's2'), reply('fast', 'f1')]);
    await sender.idle();
    const at = (text: string) => channel.sent.find((s) => s.text === text)!.at - t0;
    expect(at('f1')).toBeLessThan(100);
    expect(at('s2')).toBeGreaterThanOrEqual(290);
  });

  it('ranks by when the events were written, not when their replies came: a backlog of hers fetched late', async () => {
    const { channel, sender } = setup({ global: { count: 1, perMs: 100 }, perConversation: () => undefined });
    const written = Date.now() - 60_000;
    // A flood of ten written in one second; her three, two seconds apart, handled only after it.
    for (let i = 0; i < 10; i++) await sender.send([reply('flood', `flood ${i}`)], `f${i}`, { sentAt: written });
    for (let i = 0; i < 3; i++)
      await sender.send([reply('her', `hers ${i}`)], `h${i}`, { sentAt: written + 2_000 * (i + 1) });
    await sender.idle();
    const order = channel.sent.map((s) => s.text);
    expect(order.slice(0, 4)).toEqual(['flood 0', 'hers 0', 'hers 1', 'hers 2']);
  });

  it('one event answered in two parts counts once', async () => {
    const { channel, sender } = setup({ global: { count: 1, perMs: 100 }, perConversation: () => undefined });
    const written = Date.now() - 60_000;
    await sender.send([reply('x', 'first'), reply('x', 'second')], 'x1', { sentAt: written });
    for (let i = 0; i < 3; i++) await sender.send([reply('flood', `flood ${i}`)], `f${i}`, { sentAt: written });
    await sender.send([reply('x', 'third')], 'x2', { sentAt: written + 5_000 });
    await sender.idle();
    // x's event in two parts is rank 1 and older in line than the flood's backlog (rank 3), as is her next.
    expect(channel.sent.map((s) => s.text).slice(0, 4)).toEqual(['first', 'second', 'third', 'flood 0']);
  });

  it("a flood's first reply keeps the flood's place: the hurry the intake saw goes with it", async () => {
    const { channel, sender } = setup({ global: { count: 1, perMs: 100 }, perConversation: () => undefined });
    const written = Date.now() - 60_000;
    await sender.send([reply('busy', 'warm-up')], 'w');
    // Each flood sender's first reply, written before hers, handled when ten of theirs were waiting.
    for (let i = 0; i < 5; i++)
      await sender.send([reply(`flood${i}`, `flood ${i}`)], `f${i}`, { sentAt: written, hurry: 10 });
    await sender.send([reply('her', 'hers')], 'h', { sentAt: written + 2_000, hurry: 1 });
    await sender.idle();
    expect(channel.sent.map((s) => s.text).slice(0, 2)).toEqual(['warm-up', 'hers']);
  });
});
