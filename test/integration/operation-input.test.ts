import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundEvent } from '../../src/core/messages.ts';
import { ManualClock } from '../support/clock.ts';
import { L } from '../support/i18n.ts';
import { programmeEngine } from '../support/programme-engine.ts';

const OFFICER = 'telegram:6001';

describe('an operation given a bad input', () => {
  const clock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
  let ctx: Awaited<ReturnType<typeof programmeEngine>>;
  beforeAll(async () => {
    ctx = await programmeEngine('operation_input', { clock });
    await ctx.services.officers.ensure([{ identity: OFFICER, address: OFFICER }], clock.now());
  });
  afterAll(() => ctx?.close());

  it('answers kindly in her language, logs which fields, and changes nothing', async () => {
    // A damaged question in progress: the actor's id stored as a number.
    await ctx.repos.conversations.save({
      identity: OFFICER,
      locale: 'fi',
      flow: {
        flow: 'pick',
        version: 2,
        step: 'ask',
        history: [],
        promptId: 'pp',
        paused: false,
        data: {
          question: { key: 'officer:rank.pick', params: { name: 'X' } },
          options: [{ value: 'm1', label: { literal: '1. Liisa' } }],
          useCase: 'pairs.propose',
          argName: 'mentorId',
          args: { actorId: 42 },
        },
      },
      recentEventIds: [],
      revision: 0,
    });
    const press: InboundEvent = {
      id: 'telegram:op-1',
      identity: OFFICER,
      conversationId: OFFICER,
      conversationKind: 'private',
      payload: { type: 'button', data: 'pp|m1' },
    };
    await ctx.engine.handle(press);
    expect(ctx.channel.texts()).toEqual([L('en', 'common:errors.invalid_input')]);
    expect(await ctx.repos.pairs.list(['proposed', 'active'])).toEqual([]);
    const warned = ctx.logger.records.find((r) => r.msg === 'operation input refused');
    expect(warned?.obj).toMatchObject({ operation: 'pairs.propose', fields: ['actorId'] });
  });
});
