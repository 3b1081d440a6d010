import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionButtonData } from '../../src/core/action-buttons.ts';
import { ManualClock } from '../support/clock.ts';
import { programmeEngine } from '../support/programme-engine.ts';
import { activePair, actorData, mentorData, seed } from '../support/seed.ts';

const ACTOR = 'telegram:7102';
const MENTOR = 'telegram:7103';
const DAY = 86_400_000;

/** "Did you meet?" no or "we moved it": the same meeting question as /meet, now asked through meetings.begin. */
describe('after a meeting that did not happen, a new time is asked', () => {
  const clock = new ManualClock(new Date('2027-03-10T09:00:00Z'));
  let ctx: Awaited<ReturnType<typeof programmeEngine>>;
  let seq = 0;
  let pairId = '';
  let actorId = '';

  /** A meeting yesterday with its "Did you meet?" buttons; pressing one returns what she reads. */
  const press = async (value: string) => {
    const meeting = await ctx.repos.meetings.create({
      kind: 'pair',
      pairId,
      at: new Date(clock.now().getTime() - DAY),
      timeZone: 'Europe/Helsinki',
      state: 'accepted',
      proposedBy: actorId,
      version: 1,
      rsvps: {},
      attended: [],
      createdAt: new Date(clock.now().getTime() - 3 * DAY),
    });
    const id = `followup-${++seq}`;
    await ctx.repos.actions.create({
      id,
      participantId: actorId,
      kind: 'meeting.followup',
      ref: { meetingId: meeting.id },
      values: ['yes', 'no', 'moved'],
      expiresAt: new Date(clock.now().getTime() + DAY),
      once: true,
    });
    const before = ctx.channel.sent.length;
    await ctx.engine.handle({
      id: `telegram:${++seq}`,
      identity: ACTOR,
      conversationId: ACTOR,
      conversationKind: 'private',
      languageHint: 'en',
      payload: { type: 'button', data: actionButtonData(id, value) },
    });
    return { meeting, said: ctx.channel.sent.slice(before).map((d) => d.message.text) };
  };

  beforeAll(async () => {
    ctx = await programmeEngine('meeting_followup', { clock });
    const actor = await seed(ctx.repos.participants, actorData(ACTOR, { firstName: 'Amira' }));
    const mentor = await seed(ctx.repos.participants, mentorData(MENTOR, { firstName: 'Liisa' }));
    const pair = await activePair(ctx.repos.pairs, actor.id, mentor.id, new Date('2027-01-01T10:00:00Z'));
    pairId = pair.id;
    actorId = actor.id;
  });
  afterAll(() => ctx.close());

  it('no: the meeting is missed, she is thanked and asked for a new time', async () => {
    const { meeting, said } = await press('no');
    expect(said.join('\n')).toContain("Thank you for telling me. Let's find a new time.");
    expect(said.join('\n')).toContain('When shall we meet?');
    expect((await ctx.repos.meetings.get(meeting.id))?.state).toBe('missed');
  });

  it('moved: the old meeting is cancelled and the new time asked', async () => {
    const { meeting, said } = await press('moved');
    expect(said.join('\n')).toContain('When shall we meet?');
    expect((await ctx.repos.meetings.get(meeting.id))?.state).toBe('cancelled');
  });
});
