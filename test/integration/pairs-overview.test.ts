import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundPayload } from '../../src/core/messages.ts';
import { ManualClock } from '../support/clock.ts';
import { programmeEngine } from '../support/programme-engine.ts';
import { activePair, actorData, mentorData, seed } from '../support/seed.ts';

const OFFICER = 'telegram:7001';
const ACTOR = 'telegram:7002';
const MENTOR = 'telegram:7003';

/** `/pairs` and `/complete`: an officer sees every pair by state and ends one that ran its course. */
describe("the officer's overview of pairs, and completing one", () => {
  const clock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
  let ctx: Awaited<ReturnType<typeof programmeEngine>>;
  let seq = 0;
  let pairId = '';
  const say = async (identity: string, name: string, args = '') => {
    const payload: InboundPayload = { type: 'command', name, args };
    const before = ctx.channel.sent.length;
    await ctx.engine.handle({
      id: `telegram:${++seq}`,
      identity,
      conversationId: identity,
      conversationKind: 'private',
      languageHint: 'en',
      payload,
    });
    return ctx.channel.sent
      .slice(before)
      .filter((d) => d.conversationId === identity)
      .map((d) => d.message.text)
      .join('\n');
  };

  beforeAll(async () => {
    ctx = await programmeEngine('pairs_overview', { clock, env: { OFFICER_TELEGRAM_IDS: '7001' } });
    await ctx.services.officers.ensure([{ identity: OFFICER, address: OFFICER }], clock.now());
    const actor = await seed(ctx.repos.participants, actorData(ACTOR, { firstName: 'Amira', city: 'Tampere' }));
    const mentor = await seed(ctx.repos.participants, mentorData(MENTOR, { firstName: 'Liisa' }));
    await ctx.repos.pairs.claimMentorPlace(mentor.id, 2, 'seed');
    const pair = await activePair(ctx.repos.pairs, actor.id, mentor.id, new Date('2027-01-01T10:00:00Z'));
    await ctx.repos.timeline.append({ pairId: pair.id, type: 'activated', at: new Date('2027-01-01T10:00:00Z') });
    pairId = pair.id;
  });
  afterAll(() => ctx.close());

  it('lists the active pair with its health, and refuses members', async () => {
    const shown = await say(OFFICER, 'pairs');
    expect(shown).toContain('Active (1):');
    expect(shown).toMatch(
      new RegExp(
        `Amira & Liisa \\(Tampere\\) – stalled: no meeting for weeks and no plan written – open alerts: 0 – id ${pairId}`,
      ),
    );
    expect(await say(ACTOR, 'pairs')).not.toContain('Active (1)');
    expect(await say(ACTOR, 'complete', pairId)).not.toContain('Completed');
    expect((await ctx.repos.pairs.get(pairId))!.state).toBe('active');
  });

  it('completes it: the state and history change, the timeline ends, both are thanked', async () => {
    expect(await say(OFFICER, 'complete', pairId)).toContain('Completed: Amira & Liisa. Both got a thank-you.');
    const pair = (await ctx.repos.pairs.get(pairId))!;
    expect(pair.state).toBe('completed');
    expect(pair.history.at(-1)).toMatchObject({ state: 'completed' });
    expect((await ctx.repos.timeline.forPair(pairId)).at(-1)).toMatchObject({
      type: 'ended',
      data: { reason: 'completed' },
    });
    expect((await ctx.repos.outbox.findByKeyPrefix(`completed:${pairId}:`)).map((m) => m.recipientId).sort()).toEqual(
      [pair.actorId, pair.mentorId].sort(),
    );
    expect(await say(OFFICER, 'pairs')).toMatch(/Completed \(1\):[\s\S]*Amira & Liisa \(Tampere\) – completed/);
    // Once only: a second /complete, or one without an id, changes nothing and says why.
    expect(await say(OFFICER, 'complete', pairId)).toContain('Only an active pair can be completed');
    expect(await say(OFFICER, 'complete')).toContain('Write /complete followed by the pair');
  });
});
