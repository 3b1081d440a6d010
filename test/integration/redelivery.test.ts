import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, StorageUnavailableError } from '../../src/core/errors.ts';
import type { ConversationRepository } from '../../src/core/ports.ts';
import { InboxIntake } from '../../src/services/inbox-intake.ts';
import { ManualClock } from '../support/clock.ts';
import { typedEvent } from '../support/typed-event.ts';
import { L } from '../support/i18n.ts';
import { programmeEngine } from '../support/programme-engine.ts';
import { activePair, actorData, mentorData, seed } from '../support/seed.ts';

const AMIRA = 'telegram:3001';
const LIISA = 'telegram:3002';

describe('an event handled again after its outcome could not be stored writes nothing twice', () => {
  const clock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
  let ctx: Awaited<ReturnType<typeof programmeEngine>>;
  let failNext: Error | undefined;
  let pairId: string;
  let seq = 0;

  /** The real store, whose next save fails once with the given error. */
  const flaky = (real: ConversationRepository): ConversationRepository => ({
    load: (identity) => real.load(identity),
    save: async (state) => {
      const err = failNext;
      failNext = undefined;
      if (err) throw err;
      return real.save(state);
    },
  });
  const text = (identity: string, typed: string) => typedEvent(`telegram:${++seq}`, identity, typed);

  beforeAll(async () => {
    ctx = await programmeEngine('redelivery', { clock, conversations: flaky });
    const a = await seed(ctx.repos.participants, actorData(AMIRA, { firstName: 'Amira' }));
    const m = await seed(ctx.repos.participants, mentorData(LIISA, { firstName: 'Liisa' }, 'en'));
    const now = clock.now();
    const pair = await activePair(ctx.repos.pairs, a.id, m.id, now);
    pairId = pair.id;
  });
  afterAll(() => ctx?.close());

  const proposals = async () =>
    (await ctx.repos.outbox.findByKeyPrefix('meeting:')).filter((m) => m.key.endsWith(':proposal'));

  it('the save fails once (database gone), the update comes again: one meeting, one proposal', async () => {
    await ctx.engine.handle(text(AMIRA, '/meet'));
    await ctx.engine.handle(text(AMIRA, '3.3. 17.30'));
    const place = text(AMIRA, 'Tampere library');
    failNext = new StorageUnavailableError();
    await expect(ctx.engine.handle(place)).rejects.toBeInstanceOf(StorageUnavailableError);
    clock.advance(30_000);
    await ctx.engine.handle(place);
    await ctx.engine.handle(place);

    expect(await ctx.repos.meetings.upcoming({ pairId })).toHaveLength(1);
    expect(await proposals()).toHaveLength(1);
    const timeline = (await ctx.repos.timeline.forPair(pairId)).filter((e) => e.type === 'meeting_proposed');
    expect(timeline).toHaveLength(1);
    const sent = L('en', 'meetings:proposal_sent', { name: 'Liisa', when: 'x' }).split('x')[0]!;
    expect(ctx.channel.texts().filter((t) => t.startsWith(sent))).toHaveLength(1);
    expect((await ctx.repos.conversations.load(AMIRA))?.flow).toBeUndefined();
  });

  it('a conflict with another save is decided again at once, without a second meeting', async () => {
    await ctx.engine.handle(text(LIISA, '/meet'));
    await ctx.engine.handle(text(LIISA, '4.3. 12.00'));
    failNext = new ConflictError('changed concurrently');
    await ctx.engine.handle(text(LIISA, 'Cafe Pispala'));
    const meetings = await ctx.repos.meetings.upcoming({ pairId });
    expect(meetings.map((m) => m.place)).toEqual(['Tampere library', 'Cafe Pispala']);
    expect(await proposals()).toHaveLength(2);
    expect(ctx.logger.records.some((e) => e.level === 'error')).toBe(false);
  });

  it('a platform retry of an event handled and gone from the inbox is stored again and changes nothing', async () => {
    const intake = new InboxIntake({
      inbox: ctx.repos.inbox,
      clock,
      logger: ctx.logger,
      instanceId: 'retry',
      handle: (e) => ctx.engine.handle(e),
    });
    await intake.receive(text(AMIRA, '/meet'));
    await intake.receive(text(AMIRA, '5.3. 10.00'));
    const place = text(AMIRA, 'Hervanta library');
    expect(await intake.receive(place)).toBe(true);
    await intake.idle();
    expect(await ctx.repos.inbox.pending(10)).toEqual([]);
    const before = { meetings: (await ctx.repos.meetings.upcoming({ pairId })).length, sent: ctx.channel.texts() };
    // Telegram hands the same update out again (its offset was not confirmed before a crash).
    expect(await intake.receive(place)).toBe(true);
    await intake.idle();
    expect(await ctx.repos.meetings.upcoming({ pairId })).toHaveLength(before.meetings);
    expect(before.meetings).toBe(3);
    expect(ctx.channel.texts()).toEqual(before.sent);
    expect(await ctx.repos.inbox.pending(10)).toEqual([]);
  });
});
