import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackAdapter } from '../../adapters/slack/slack.adapter.ts';
import { StorageUnavailableError } from '../../src/core/errors.ts';
import type { InboundEvent } from '../../src/core/messages.ts';
import { FakeSlack } from '../fakes/slack-web-api.ts';
import { silentLogger } from '../support/logger.ts';

/** An intake whose storing the test completes or fails by hand. */
class ManualIntake {
  readonly received: InboundEvent[] = [];
  private settle: ((outcome: Error | undefined) => void) | undefined;
  receive(event: InboundEvent): Promise<boolean> {
    this.received.push(event);
    return new Promise((resolve, reject) => (this.settle = (err) => (err ? reject(err) : resolve(true))));
  }
  stored(): void {
    this.settle?.(undefined);
  }
  failed(): void {
    this.settle?.(new StorageUnavailableError());
  }
}

const tick = () => new Promise((r) => setTimeout(r, 50));

/**
 * Socket Mode, through Bolt's own SocketModeReceiver: an envelope arrives as the socket client's
 * `slack_event` (what the client emits for each frame), and its ack is what Slack waits for.
 */
describe('Slack over Socket Mode acknowledges an envelope only once its event is stored', () => {
  const slack = new FakeSlack();
  const intake = new ManualIntake();
  let adapter: SlackAdapter;
  let envelope: (body: object) => { acks: unknown[] };

  beforeAll(async () => {
    adapter = new SlackAdapter({
      token: slack.token,
      appToken: 'xapp-1-test',
      apiUrl: await slack.start(),
      logger: silentLogger,
      intake,
    });
    const app = adapter['app'];
    await app.init();
    const client = (app['receiver'] as unknown as { client: { emit(name: string, args: object): void } }).client;
    envelope = (body) => {
      const acks: unknown[] = [];
      client.emit('slack_event', {
        ack: async (r?: unknown) => void acks.push(r ?? 'ack'),
        envelope_id: 'e1',
        type: 'events_api',
        body,
        retry_num: 0,
      });
      return { acks };
    };
  });
  afterAll(() => slack.stop());

  const dm = (eventId: string, extra: object = {}) => ({
    type: 'event_callback',
    team_id: slack.team,
    event_id: eventId,
    event: { type: 'message', channel_type: 'im', user: 'U0A', text: 'hello', channel: 'D0A', ts: '1.0', ...extra },
  });

  it('a DM: no ack while storing, one ack once stored', async () => {
    const { acks } = envelope(dm('EvSock1'));
    await tick();
    expect(intake.received.at(-1)?.id).toBe('slack:EvSock1');
    expect(acks).toEqual([]);
    intake.stored();
    await tick();
    expect(acks).toEqual(['ack']);
  });

  it('a DM that cannot be stored is never acknowledged, so Slack delivers it again', async () => {
    const { acks } = envelope(dm('EvSock2'));
    await tick();
    intake.failed();
    await tick();
    expect(acks).toEqual([]);
  });

  it('a slash command is acknowledged once stored; an envelope with nothing for the bot at once', async () => {
    const command = envelope({
      command: '/mentoring',
      trigger_id: 'trig1',
      team_id: slack.team,
      user_id: 'U0A',
      text: 'help',
    });
    await tick();
    expect(intake.received.at(-1)?.id).toBe('slack:command:trig1');
    expect(command.acks).toEqual([]);
    intake.stored();
    await tick();
    expect(command.acks).toHaveLength(1);

    const before = intake.received.length;
    const own = envelope(dm('EvSock3', { bot_id: 'BBOT', user: 'UBOT' }));
    await tick();
    expect(own.acks).toEqual(['ack']);
    expect(intake.received).toHaveLength(before);
  });
});
