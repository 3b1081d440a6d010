import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ChannelError, RateLimitedError, StorageUnavailableError } from '../../src/core/errors.ts';
import type { Delivery, InboundEvent, OutboundMessage } from '../../src/core/messages.ts';
import type { ChannelPort, GroupAdminPort, Logger } from '../../src/core/ports.ts';
import { actionToEvent, commandToEvent, messageToEvent } from './inbound.ts';


export interface SlackOptions {
  token: string;
  signingSecret?: string;
  /** With an app-level token the bot connects by Socket Mode and needs no public URL. */
  appToken?: string;
  apiUrl?: string;
  logger: Logger;
  onEvent: (event: InboundEvent) => Promise<void>;
  /** The slash command officers and members use, e.g. `/mentoring`. */
  command?: string;
}

/** Slack Web API errors -> the neutral errors the core knows. */
export function translateSlackError(err: unknown): Error {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (e.code === 'slack_webapi_rate_limited_error') return new RateLimitedError((e.retryAfter ?? 1) * 1000, { cause: err });
  const code = e.data?.error;
  if (code === 'channel_not_found' || code === 'not_in_channel' || code === 'user_not_found') return new ChannelError('not_found', code, { cause: err });
  if (code === 'invalid_auth' || code === 'not_authed' || code === 'account_inactive' || code === 'token_revoked') return new ChannelError('unauthorized', code, { cause: err });
  if (code === 'cannot_dm_bot' || code === 'user_disabled') return new ChannelError('blocked', code, { cause: err });
  if (code) return new ChannelError('bad_request', code, { cause: err });
  return new ChannelError('unavailable', 'slack unreachable', { cause: err });
}

const SECTION_MAX = 3000;

/** Plain-text sections (no mrkdwn, so nothing she typed is read as markup) and one row of buttons each. */
export function blocksOf(message: OutboundMessage): object[] {
  const blocks: object[] = [];
  for (let i = 0; i < message.text.length; i += SECTION_MAX) blocks.push({ type: 'section', text: { type: 'plain_text', text: message.text.slice(i, i + SECTION_MAX), emoji: true } });
  if (message.type === 'choice') {
    message.rows.forEach((row, r) =>
      blocks.push({ type: 'actions', block_id: `row${r}`, elements: row.map((b, i) => ({ type: 'button', action_id: `b${r}_${i}`, text: { type: 'plain_text', text: b.label.slice(0, 75), emoji: true }, value: b.data })) }),
    );
  }
  return blocks;
}

/**
 * Transport only: Slack events, button presses and the slash command become neutral events;
 * messages become Block Kit. Requests are acknowledged at once and handled after (Slack wants an
 * answer within 3 s); a retried event carries the same event id, which the engine handles once.
 */
export class SlackAdapter implements ChannelPort, GroupAdminPort {
  readonly platform = 'slack';
  private readonly app: App;
  private readonly receiver: HTTPReceiver | undefined;
  private readonly log: Logger;
  private readonly dms = new Map<string, string>();

  constructor(private readonly opts: SlackOptions) {
    this.log = opts.logger.child({ adapter: 'slack' });
    // Rate limits are surfaced, not waited out inside the client: the dispatcher pauses every send
    // to Slack for Retry-After and keeps its own accounting.
    const clientOptions = { ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}), retryConfig: { retries: 0 }, timeout: 10_000, rejectRateLimitedCalls: true };
    if (opts.appToken) {
      this.app = new App({ token: opts.token, appToken: opts.appToken, socketMode: true, clientOptions, logLevel: LogLevel.ERROR, deferInitialization: true });
    } else {
      this.receiver = new HTTPReceiver({ signingSecret: opts.signingSecret ?? '', endpoints: '/slack/events', processBeforeResponse: false, logLevel: LogLevel.ERROR });
      this.app = new App({ token: opts.token, receiver: this.receiver, clientOptions, logLevel: LogLevel.ERROR, deferInitialization: true });
    }
    this.app.event('message', async ({ event, body }) => {
      const inbound = messageToEvent(String(body.event_id), String(body.team_id), event as never);
      if (inbound) await this.handle(inbound);
    });
    this.app.action(/.*/, async ({ ack, body, action }) => {
      await ack();
      const value = (action as { value?: string }).value;
      const inbound = value ? actionToEvent(body as never, value) : null;
      if (inbound) await this.handle(inbound);
    });
    this.app.command(opts.command ?? '/mentoring', async ({ ack, body }) => {
      await ack();
      await this.handle(commandToEvent(body));
    });
    this.app.error(async (err) => this.log.error({ err: err.message }, 'slack handler failed'));
  }

  /** While the database is away the event is retried here; Slack has been answered already. */
  private async handle(event: InboundEvent): Promise<void> {
    for (let delay = 500; ; delay = Math.min(delay * 2, 10_000)) {
      try {
        return await this.opts.onEvent(event);
      } catch (err) {
        if (!(err instanceof StorageUnavailableError)) throw err;
        this.log.warn({ retryInMs: delay }, 'database unreachable; holding the Slack event');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  private get client(): WebClient {
    return this.app.client as unknown as WebClient;
  }

  async start(): Promise<void> {
    await this.app.init();
    if (this.opts.appToken) await this.app.start();
    this.log.info({ mode: this.opts.appToken ? 'socket' : 'http' }, 'slack started');
  }

  async stop(): Promise<void> {
    if (this.opts.appToken) await this.app.stop();
  }

  /** Events and interactivity: signature checked on the raw body (5-minute window) before anything else. */
  requestHandler(): ((req: IncomingMessage, res: ServerResponse) => void) | undefined {
    return this.receiver?.requestListener;
  }

  private async channelOf(conversationId: string): Promise<string> {
    const target = conversationId.slice('slack:'.length);
    if (!target.startsWith('@')) return target;
    const user = target.slice(1);
    const known = this.dms.get(user);
    if (known) return known;
    const opened = await this.client.conversations.open({ users: user });
    const id = (opened.channel as { id: string }).id;
    this.dms.set(user, id);
    return id;
  }

  async deliver(delivery: Delivery): Promise<string | undefined> {
    try {
      const channel = await this.channelOf(delivery.conversationId);
      const text = delivery.message.text.slice(0, 40_000);
      const blocks = blocksOf(delivery.message);
      if (delivery.replaces) {
        const updated = await this.client.chat.update({ channel, ts: delivery.replaces, text, blocks: blocks as never });
        return String(updated.ts);
      }
      const sent = await this.client.chat.postMessage({ channel, text, blocks: blocks as never });
      return String(sent.ts);
    } catch (err) {
      throw translateSlackError(err);
    }
  }

  // --- a cohort's private channel ----------------------------------------------------------------

  async createSpace(name: string): Promise<string> {
    try {
      const created = await this.client.conversations.create({ name: name.toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 80), is_private: true });
      return `slack:${(created.channel as { id: string }).id}`;
    } catch (err) {
      throw translateSlackError(err);
    }
  }

  async addMembers(conversationId: string, identities: readonly string[]): Promise<void> {
    const users = identities.map((i) => i.split(':').at(-1)!);
    try {
      if (users.length) await this.client.conversations.invite({ channel: await this.channelOf(conversationId), users: users.join(',') });
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error === 'already_in_channel') return;
      throw translateSlackError(err);
    }
  }

  async remove(conversationId: string, identity: string): Promise<void> {
    try {
      await this.client.conversations.kick({ channel: await this.channelOf(conversationId), user: identity.split(':').at(-1)! });
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error === 'not_in_channel') return;
      throw translateSlackError(err);
    }
  }
}
