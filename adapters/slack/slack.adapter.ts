import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  App,
  defaultProcessEventErrorHandler,
  HTTPReceiver,
  LogLevel,
  SocketModeReceiver,
  type types,
} from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { ChannelError, RateLimitedError, StorageUnavailableError } from '../../src/core/errors.ts';
import type { Delivery, OutboundMessage } from '../../src/core/messages.ts';
import type { ChannelPort, GroupAdminPort, InboundIntake, Logger } from '../../src/core/ports.ts';
import { inboundOf, type SlackBody } from './inbound.ts';

export interface SlackOptions {
  token: string;
  signingSecret?: string;
  /** With an app-level token the bot connects by Socket Mode and needs no public URL. */
  appToken?: string;
  apiUrl?: string;
  logger: Logger;
  /** Stores each event before Slack is acknowledged, and handles it from there. */
  intake: InboundIntake;
  /** The slash command officers and members use, e.g. `/mentoring`. */
  command?: string;
}

/** Slack Web API errors -> the neutral errors the core knows. */
export function translateSlackError(err: unknown): Error {
  const e = err as { code?: string; retryAfter?: number; data?: { error?: string } };
  if (e.code === 'slack_webapi_rate_limited_error')
    return new RateLimitedError((e.retryAfter ?? 1) * 1000, { cause: err });
  const code = e.data?.error;
  if (code === 'channel_not_found' || code === 'not_in_channel' || code === 'user_not_found')
    return new ChannelError('not_found', code, { cause: err });
  if (code === 'invalid_auth' || code === 'not_authed' || code === 'account_inactive' || code === 'token_revoked')
    return new ChannelError('unauthorized', code, { cause: err });
  if (code === 'cannot_dm_bot' || code === 'user_disabled') return new ChannelError('blocked', code, { cause: err });
  if (code) return new ChannelError('bad_request', code, { cause: err });
  return new ChannelError('unavailable', 'slack unreachable', { cause: err });
}

const SECTION_MAX = 3000;

/** Plain-text sections (no mrkdwn, so nothing she typed is read as markup) and one row of buttons each. */
export function blocksOf(message: OutboundMessage): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [];
  for (let i = 0; i < message.text.length; i += SECTION_MAX)
    blocks.push({
      type: 'section',
      text: { type: 'plain_text', text: message.text.slice(i, i + SECTION_MAX), emoji: true },
    });
  if (message.type === 'choice') {
    for (const [r, row] of message.rows.entries()) {
      blocks.push({
        type: 'actions',
        block_id: `row${r}`,
        elements: row.map((b, i) => ({
          type: 'button',
          action_id: `b${r}_${i}`,
          text: { type: 'plain_text', text: b.label.slice(0, 75), emoji: true },
          value: b.data,
        })),
      });
    }
  }
  return blocks;
}

type SocketAck = (response?: unknown) => Promise<void>;

/**
 * Transport only: Slack events, button presses and the slash command become neutral events;
 * messages become Block Kit. Slack is acknowledged only once the event is stored (well within
 * its 3 s), and not at all when it cannot be, so that Slack delivers it again; a retry carries the
 * same event id, which the store recognises.
 */
export class SlackAdapter implements ChannelPort, GroupAdminPort {
  readonly platform = 'slack';
  private readonly app: App;
  private readonly receiver: HTTPReceiver | undefined;
  private readonly log: Logger;
  private readonly dms = new Map<string, string>();
  /** Socket Mode acks held back until the event is stored, by request body. */
  private readonly heldAcks = new WeakMap<object, () => Promise<void>>();

  constructor(private readonly opts: SlackOptions) {
    this.log = opts.logger.child({ adapter: 'slack' });
    const command = opts.command ?? '/mentoring';
    // Rate limits are surfaced, not waited out inside the client: the dispatcher pauses every send
    // to Slack for Retry-After and keeps its own accounting.
    const clientOptions = {
      ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
      retryConfig: { retries: 0 },
      timeout: 10_000,
      rejectRateLimitedCalls: true,
    };
    const common = { token: opts.token, clientOptions, logLevel: LogLevel.ERROR, deferInitialization: true };
    if (opts.appToken) {
      const receiver = new SocketModeReceiver({
        appToken: opts.appToken,
        logLevel: LogLevel.ERROR,
        // Left unacknowledged (Slack delivers it again); app.error has logged it.
        processEventErrorHandler: async (args) =>
          !(args.error instanceof StorageUnavailableError) && defaultProcessEventErrorHandler(args),
      });
      this.holdSocketAcks(receiver, command);
      this.app = new App({ ...common, receiver });
    } else {
      // The answer to Slack's request is sent when the listener has resolved, i.e. once the event is stored.
      this.receiver = new HTTPReceiver({
        signingSecret: opts.signingSecret ?? '',
        endpoints: '/slack/events',
        processBeforeResponse: true,
        logLevel: LogLevel.ERROR,
        processEventErrorHandler: async ({ error, response }) => {
          if (!response.headersSent) response.writeHead(error instanceof StorageUnavailableError ? 503 : 500).end();
          return false;
        },
      });
      this.app = new App({ ...common, receiver: this.receiver });
    }
    this.app.event('message', async ({ body }) => this.take(body, command));
    this.app.action(/.*/, async ({ ack, body }) => this.take(body, command, ack));
    this.app.command(command, async ({ ack, body }) => this.take(body, command, ack));
    // Rethrown so that the receiver does not acknowledge what was not stored.
    this.app.error(async (err) => {
      if (err instanceof StorageUnavailableError) this.log.warn({}, 'database unreachable; Slack is not acknowledged');
      else this.log.error({ err: err.message }, 'slack handler failed');
      throw err;
    });
  }

  /** Stores the event, then acknowledges; the handling follows in the background. */
  private async take(body: unknown, command: string, ack?: () => Promise<void>): Promise<void> {
    const inbound = inboundOf(body as SlackBody, command);
    if (inbound) await this.opts.intake.receive(inbound);
    await ack?.();
    const held = this.heldAcks.get(body as object);
    this.heldAcks.delete(body as object);
    await held?.();
  }

  /**
   * Bolt acknowledges an Events API envelope before any listener runs. For envelopes that carry
   * an event for the bot, the Socket Mode ack is held back here and sent by `take` once it is stored.
   */
  private holdSocketAcks(receiver: SocketModeReceiver, command: string): void {
    // The client is an eventemitter3 (no prependListener): Bolt's listener is moved behind this one.
    const bolt = receiver.client.listeners('slack_event');
    receiver.client.removeAllListeners('slack_event');
    receiver.client.on('slack_event', (args: { ack: SocketAck; body: SlackBody }) => {
      if (!inboundOf(args.body, command)) return;
      const send = args.ack;
      args.ack = async (response) => void this.heldAcks.set(args.body, () => send(response));
    });
    for (const listener of bolt) receiver.client.on('slack_event', listener);
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
      if (delivery.message.type === 'document') return await this.upload(channel, delivery.message);
      const text = delivery.message.text.slice(0, 40_000);
      const blocks = blocksOf(delivery.message);
      if (delivery.replaces) {
        const updated = await this.client.chat.update({
          channel,
          ts: delivery.replaces,
          text,
          blocks,
        });
        return String(updated.ts);
      }
      const sent = await this.client.chat.postMessage({ channel, text, blocks });
      return String(sent.ts);
    } catch (err) {
      throw translateSlackError(err);
    }
  }

  /** Slack's current upload: an upload URL, the bytes, then completing it into the channel. */
  private async upload(channel: string, message: Extract<OutboundMessage, { type: 'document' }>): Promise<string> {
    const file = Buffer.from(message.file.base64, 'base64');
    const done = await this.client.filesUploadV2({
      channel_id: channel,
      file,
      filename: message.file.name,
      ...(message.text ? { initial_comment: message.text.slice(0, 40_000) } : {}),
    });
    const files = (done as { files?: { files?: { id?: string }[] }[] }).files ?? [];
    return String(files[0]?.files?.[0]?.id ?? '');
  }

  // --- a cohort's private channel ----------------------------------------------------------------

  async createSpace(name: string): Promise<string> {
    try {
      const created = await this.client.conversations.create({
        name: name
          .toLowerCase()
          .replace(/[^a-z0-9_-]/g, '-')
          .slice(0, 80),
        is_private: true,
      });
      return `slack:${(created.channel as { id: string }).id}`;
    } catch (err) {
      throw translateSlackError(err);
    }
  }

  async addMembers(conversationId: string, identities: readonly string[]): Promise<void> {
    const users = identities.map((i) => i.split(':').at(-1)!);
    try {
      if (users.length)
        await this.client.conversations.invite({
          channel: await this.channelOf(conversationId),
          users: users.join(','),
        });
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error === 'already_in_channel') return;
      throw translateSlackError(err);
    }
  }

  async remove(conversationId: string, identity: string): Promise<void> {
    try {
      await this.client.conversations.kick({
        channel: await this.channelOf(conversationId),
        user: identity.split(':').at(-1)!,
      });
    } catch (err) {
      if ((err as { data?: { error?: string } }).data?.error === 'not_in_channel') return;
      throw translateSlackError(err);
    }
  }
}
