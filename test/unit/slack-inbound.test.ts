import { describe, expect, it } from 'vitest';
import { inboundOf } from '../../adapters/slack/inbound.ts';

const press = {
  type: 'block_actions',
  trigger_id: 'tr1',
  team: { id: 'T1' },
  user: { id: 'U1', name: 'outi' },
  channel: { id: 'C1' },
  message: { ts: '17.5' },
  actions: [{ value: 'act:al1:resolve' }],
};

describe('Slack request bodies become neutral events, or nothing', () => {
  it('a button press in a channel: her identity, the channel, the pressed message', () => {
    expect(inboundOf(press, '/mentoring')).toEqual({
      id: 'slack:action:tr1',
      identity: 'slack:T1:U1',
      conversationId: 'slack:C1',
      conversationKind: 'group',
      privateConversationId: 'slack:@U1',
      senderName: 'outi',
      payload: { type: 'button', data: 'act:al1:resolve', messageId: '17.5' },
    });
  });

  it('a slash command: its first word is the command, answered in her DM', () => {
    const body = { command: '/mentoring', trigger_id: 'tr2', team_id: 'T1', user_id: 'U2', text: 'Start mentor-X' };
    expect(inboundOf(body, '/mentoring')).toMatchObject({
      id: 'slack:command:tr2',
      conversationId: 'slack:@U2',
      payload: { type: 'command', name: 'start', args: 'mentor-X' },
    });
  });

  it.each([
    ['a press without a user', { ...press, user: undefined }],
    ['a press whose user has no id', { ...press, user: { name: 'x' } }],
    ['a press with a numeric trigger', { ...press, trigger_id: 42 }],
    ['a command without its user', { command: '/mentoring', trigger_id: 'tr3', team_id: 'T1', text: 'help' }],
    [
      'a command with a text that is not text',
      { command: '/mentoring', trigger_id: 'tr4', team_id: 'T1', user_id: 'U', text: 7 },
    ],
  ])('%s is no event (Slack is answered, nothing is handled), and throws nothing', (_label, body) => {
    expect(inboundOf(body as Parameters<typeof inboundOf>[0], '/mentoring')).toBeNull();
  });
});
