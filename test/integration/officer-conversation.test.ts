import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionButtonData } from '../../src/core/action-buttons.ts';
import type { InboundEvent, InboundPayload } from '../../src/core/messages.ts';
import { OFFICERS } from '../../src/core/programme.ts';
import { ManualClock } from '../support/clock.ts';
import { L } from '../support/i18n.ts';
import { programmeEngine } from '../support/programme-engine.ts';
import { actorData, seed } from '../support/seed.ts';

const OLGA = 'telegram:5001';
const NAMELESS = 'telegram:5002';
const AMIRA = 'telegram:5003';
const YEAR = 365 * 86_400_000;

describe("an officer's conversation", () => {
  const clock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
  let ctx: Awaited<ReturnType<typeof programmeEngine>>;
  let seq = 0;
  const requests: string[] = [];

  const handle = (identity: string, payload: InboundPayload, senderName?: string) => {
    const event: InboundEvent = {
      id: `telegram:${++seq}`,
      identity,
      conversationId: identity,
      conversationKind: 'private',
      languageHint: 'en',
      ...(senderName ? { senderName } : {}),
      payload,
    };
    return ctx.engine.handle(event);
  };
  const command = (identity: string, name: string, senderName?: string) =>
    handle(identity, { type: 'command', name, args: '' }, senderName);
  const press = (identity: string, actionId: string, value: string) =>
    handle(identity, { type: 'button', data: actionButtonData(actionId, value), messageId: '1' });
  const repliesTo = (identity: string) =>
    ctx.channel.sent.filter((d) => d.conversationId === identity && !d.replaces).map((d) => d.message.text);
  const after = async (identity: string, act: () => Promise<void>) => {
    const before = repliesTo(identity).length;
    await act();
    return repliesTo(identity).slice(before);
  };

  beforeAll(async () => {
    ctx = await programmeEngine('officer_conversation', { clock });
    await ctx.services.officers.ensure(
      [OLGA, NAMELESS].map((identity) => ({ identity, address: identity })),
      clock.now(),
    );
    const amira = await seed(ctx.repos.participants, actorData(AMIRA, { firstName: 'Amira' }));
    for (let i = 0; i < 3; i++) {
      const request = await ctx.repos.counselling.create({
        participantId: amira.id,
        topic: 'job_search',
        urgency: 'can_wait',
        state: 'open',
        createdAt: clock.now(),
      });
      const id = `req-${i}`;
      await ctx.repos.actions.create({
        id,
        participantId: OFFICERS,
        kind: 'counselling',
        ref: { requestId: request.id },
        values: ['take', 'resolve'],
        expiresAt: new Date(clock.now().getTime() + YEAR),
        once: false,
      });
      requests.push(id);
    }
  });
  afterAll(() => ctx?.close());

  it('is greeted by the name her platform shows, or without a name, never "Welcome back, !"', async () => {
    const named = await after(OLGA, () => command(OLGA, 'start', 'Olga'));
    expect(named[0]).toContain(L('en', 'common:start.welcome_back', { name: 'Olga' }));
    const unnamed = await after(NAMELESS, () => command(NAMELESS, 'start'));
    expect(unnamed[0]).toContain(L('en', 'common:start.welcome_back_unnamed'));
    expect(unnamed.join('\n')).not.toContain(', !');
  });

  it('an unfinished question is offered again once after unrelated actions, not after each', async () => {
    await command(OLGA, 'waiting', 'Olga');
    const question = L('en', 'officer:waiting.pick');
    expect(repliesTo(OLGA).at(-1)).toBe(question);

    const first = await after(OLGA, () => press(OLGA, requests[0]!, 'take'));
    expect(first.filter((t) => t === question)).toHaveLength(1);
    const second = await after(OLGA, () => press(OLGA, requests[1]!, 'take'));
    expect(second).not.toContain(question);
    const third = await after(OLGA, () => command(OLGA, 'requests', 'Olga'));
    expect(third).not.toContain(question);
    // The question is still open: answering it goes on.
    expect((await ctx.repos.conversations.load(OLGA))?.flow?.flow).toBe('pick');
  });

  it('a command whose operation begins a question asks that one alone, not hers again on top of it', async () => {
    await command(OLGA, 'waiting', 'Olga');
    const replies = await after(OLGA, () => command(OLGA, 'announce', 'Olga'));
    expect(replies).toEqual([L('en', 'announce:segment_ask')]);
    expect((await ctx.repos.conversations.load(OLGA))?.flow?.data?.useCase).toBe('announce.segment');
    await command(OLGA, 'waiting', 'Olga');
  });

  it('a button that is not hers says so and promises no question when none follows', async () => {
    const amira = await after(AMIRA, () => press(AMIRA, requests[2]!, 'take'));
    expect(amira).toEqual([L('en', 'common:not_allowed')]);
    // A button of a question long gone, with nothing open: no "here is the question again".
    await command(NAMELESS, 'cancel');
    const replayed = await after(NAMELESS, () => handle(NAMELESS, { type: 'button', data: 'q|stale|1' }));
    expect(replayed).toEqual([L('en', 'common:button_gone')]);
    // With a question open, the promise is kept: the question follows.
    const open = await after(OLGA, () => handle(OLGA, { type: 'button', data: 'q|stale|1' }));
    expect(open).toEqual([L('en', 'common:button_expired'), L('en', 'officer:waiting.pick')]);
  });
});
