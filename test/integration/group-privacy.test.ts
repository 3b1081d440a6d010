import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionButtonData } from '../../src/core/action-buttons.ts';
import type { InboundEvent, InboundPayload } from '../../src/core/messages.ts';
import { OFFICERS } from '../../src/core/programme.ts';
import { ManualClock } from '../support/clock.ts';
import { L } from '../support/i18n.ts';
import { programmeEngine } from '../support/programme-engine.ts';

const GROUP = 'telegram:-100555';
const OFFICER = 901;
const MARIA = 902;

describe("inputs addressed to a group never carry anyone's open question into it", () => {
  const clock = new ManualClock(new Date('2027-03-01T09:00:00Z'));
  let ctx: Awaited<ReturnType<typeof programmeEngine>>;
  let seq = 0;

  const event = (user: number, payload: InboundPayload, where: 'private' | 'group'): InboundEvent => ({
    id: `telegram:${++seq}`,
    identity: `telegram:${user}`,
    conversationId: where === 'private' ? `telegram:${user}` : GROUP,
    conversationKind: where,
    ...(where === 'group' ? { privateConversationId: `telegram:${user}` } : {}),
    languageHint: 'en',
    senderName: user === OFFICER ? 'Olga' : 'Maria',
    payload,
  });
  const say = (user: number, text: string, where: 'private' | 'group' = 'private') => {
    const [name, ...args] = text.slice(1).split(' ');
    const payload: InboundPayload = text.startsWith('/')
      ? { type: 'command', name: name!, args: args.join(' ') }
      : { type: 'text', text };
    return ctx.engine.handle(event(user, payload, where));
  };
  const pressLabel = async (user: number, label: string) => {
    const msg = [...ctx.channel.sent]
      .reverse()
      .find((d) => d.conversationId === `telegram:${user}` && d.message.type === 'choice')!;
    const button =
      msg.message.type === 'choice' ? msg.message.rows.flat().find((b) => b.label.includes(label)) : undefined;
    if (!button) throw new Error(`no button ${label}`);
    await ctx.engine.handle(event(user, { type: 'button', data: button.data }, 'private'));
  };
  const toGroup = () => ctx.channel.sent.filter((d) => d.conversationId === GROUP).map((d) => d.message.text);
  const toPrivate = (user: number) => ctx.channel.sent.filter((d) => d.conversationId === `telegram:${user}`).length;

  beforeAll(async () => {
    ctx = await programmeEngine('group_privacy', { clock, env: { OFFICER_TELEGRAM_IDS: String(OFFICER) } });
    await ctx.services.officers.ensure(
      [{ identity: `telegram:${OFFICER}`, address: `telegram:${OFFICER}` }],
      clock.now(),
    );
    await ctx.repos.actions.create({
      id: 'alert-x',
      participantId: OFFICERS,
      kind: 'alert',
      ref: { alertId: 'no-such-alert' },
      values: ['nudge'],
      expiresAt: new Date('2028-01-01T00:00:00Z'),
      once: false,
    });
    // Maria is half-way through registration: her name and city are stored in her open question.
    await say(MARIA, '/start');
    await pressLabel(MARIA, L('en', 'registration:consent.accept'));
    await say(MARIA, 'Maria Virtanen');
    await say(MARIA, 'Helsinki');
    expect((await ctx.repos.conversations.load(`telegram:${MARIA}`))?.flow?.step).toBe('profession');
    // The officer has a question open too.
    await say(OFFICER, '/cohort');
  });
  afterAll(() => ctx?.close());

  const notAllowed = L('en', 'common:not_allowed');
  type Input = [what: string, act: (user: number) => Promise<void>, maria: string[], officer: string[]];
  const inputs: Input[] = [
    [
      '/bind with a wrong code',
      (u) => say(u, '/bind WRONGCODE', 'group'),
      [notAllowed],
      [L('en', 'peer:bind_bad_code')],
    ],
    ['a command that is not for groups', (u) => say(u, '/help', 'group'), [], []],
    ['plain text in the group', (u) => say(u, 'hello everyone', 'group'), [], []],
    [
      "an officers' button",
      (u) =>
        ctx.engine.handle(
          event(u, { type: 'button', data: actionButtonData('alert-x', 'nudge'), messageId: '7' }, 'group'),
        ),
      [notAllowed],
      [L('en', 'common:button_gone')],
    ],
    ['a join request', (u) => ctx.engine.handle(event(u, { type: 'join_request' }, 'group')), [], []],
  ];

  for (const [what, act, maria, officer] of inputs) {
    it(`${what}: only the group's own answer reaches the group, nothing reaches her own chat`, async () => {
      for (const [user, expected] of [
        [MARIA, maria],
        [OFFICER, officer],
      ] as const) {
        const privateBefore = toPrivate(user);
        const groupBefore = toGroup().length;
        await act(user);
        const posted = toGroup().slice(groupBefore);
        expect(posted).toEqual(expected);
        for (const text of posted) expect(text).not.toMatch(/Maria Virtanen|Helsinki/);
        expect(toPrivate(user)).toBe(privateBefore);
      }
    });
  }
});
