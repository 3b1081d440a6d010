import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionButtonData } from '../../src/core/action-buttons.ts';
import type { InboundEvent } from '../../src/core/messages.ts';
import { OFFICERS } from '../../src/core/programme.ts';
import { ManualClock } from '../support/clock.ts';
import { programmeEngine } from '../support/programme-engine.ts';
import { activePair, actorData, mentorData, seed } from '../support/seed.ts';

const N = 8;
const YEAR = 365 * 86_400_000;

describe('concurrent presses of different officers', () => {
  const clock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
  let ctx: Awaited<ReturnType<typeof programmeEngine>>;
  const alertActions: string[] = [];
  const requestActions: string[] = [];

  beforeAll(async () => {
    const officers = Array.from({ length: N }, (_, i) => `telegram:${500 + i}`).join(',');
    ctx = await programmeEngine('concurrent_presses', {
      clock,
      env: { OFFICER_TELEGRAM_IDS: officers.replaceAll('telegram:', '') },
    });
    const { repos, services } = ctx;
    await services.officers.ensure(
      Array.from({ length: N }, (_, i) => ({ identity: `telegram:${500 + i}`, address: `telegram:${500 + i}` })),
      clock.now(),
    );
    const now = clock.now();
    for (let i = 0; i < N; i++) {
      const actor = await seed(repos.participants, actorData(`telegram:${600 + i}`, { firstName: `Actor${i}` }));
      const mentor = await seed(repos.participants, mentorData(`telegram:${700 + i}`, { firstName: `Mentor${i}` }));
      const pair = await activePair(repos.pairs, actor.id, mentor.id, now);
      const alert = await repos.alerts.open({
        pairId: pair.id,
        signalKey: 'no_meeting',
        signal: { code: 'no_meeting', days: 30 },
        state: 'open',
        openedAt: now,
        lastNotifiedAt: now,
        actions: [],
      });
      const alertAction = `alert-${i}`;
      await repos.actions.create({
        id: alertAction,
        participantId: OFFICERS,
        kind: 'alert',
        ref: { alertId: alert!.id },
        values: ['nudge', 'snooze', 'resolve', 'timeline'],
        expiresAt: new Date(now.getTime() + YEAR),
        once: false,
      });
      alertActions.push(alertAction);
      const request = await repos.counselling.create({
        participantId: actor.id,
        topic: 'job_search',
        urgency: 'this_week',
        state: 'open',
        createdAt: now,
      });
      const requestAction = `request-${i}`;
      await repos.actions.create({
        id: requestAction,
        participantId: OFFICERS,
        kind: 'counselling',
        ref: { requestId: request.id },
        values: ['take', 'resolve'],
        expiresAt: new Date(now.getTime() + YEAR),
        once: false,
      });
      requestActions.push(requestAction);
    }
  });
  afterAll(() => ctx?.close());

  const pressIn = (officer: number, actionId: string, value: string, messageId: string): InboundEvent => ({
    id: `telegram:press-${actionId}-${value}`,
    identity: `telegram:${500 + officer}`,
    conversationId: 'telegram:-100777',
    conversationKind: 'group',
    privateConversationId: `telegram:${500 + officer}`,
    senderName: `Officer${officer}`,
    payload: { type: 'button', data: actionButtonData(actionId, value), messageId },
  });

  it('each rewritten alert and request keeps the buttons of its own action', async () => {
    const events = Array.from({ length: N }, (_, i) => [
      pressIn(i, alertActions[i]!, 'snooze', `alert-msg-${i}`),
      pressIn((i + 1) % N, requestActions[i]!, 'take', `request-msg-${i}`),
    ]).flat();
    await Promise.all(events.map((e) => ctx.engine.handle(e)));

    const rewritten = ctx.channel.sent.filter((d) => d.replaces);
    expect(rewritten).toHaveLength(2 * N);
    for (const d of rewritten) {
      const [kind, , i] = d.replaces!.split('-');
      const own = kind === 'alert' ? alertActions[Number(i)]! : requestActions[Number(i)]!;
      expect(d.message.type).toBe('choice');
      const data = d.message.type === 'choice' ? d.message.rows.flat().map((b) => b.data) : [];
      expect(data.length).toBeGreaterThan(0);
      for (const x of data) expect(x.startsWith(`a|${own}|`)).toBe(true);
    }
  });
});
