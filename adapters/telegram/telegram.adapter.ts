import type { IncomingMessage, ServerResponse } from 'node:http';
import { Telegraf, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import { ChannelError, RateLimitedError, StorageUnavailableError } from '../../src/core/errors.ts';
import { type Delivery, type InboundEvent, MAX_CAPTION_LENGTH, type OutboundMessage } from '../../src/core/messages.ts';
import type { ChannelPort, GroupAdminPort, Logger } from '../../src/core/ports.ts';
import { toInboundEvent, updateKind } from './inbound.ts';
import { keyboardOf, splitText } from './outbound.ts';
import { declaredTooLarge, discardThenClose, readLimited, secretMatches } from './webhook-body.ts';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Stored events waiting beyond which no more are fetched (a storm waits at Telegram, not in memory). */
const BACKLOG = 1_000;

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  logger: Logger;
  /** Resolves when the event is stored (its outcome may follow); the update is acknowledged only then. */
  onEvent: (event: InboundEvent) => Promise<void>;
  webhook?: { url: string; secret: string };
  /** The first wait after a batch that could not be stored; it doubles up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Events stored and not handled yet: polling waits while there are BACKLOG of them. */
  backlog?: () => number;
}

const ALLOWED = ['message', 'callback_query', 'chat_join_request'] as const;
export const COMMANDS = ['start', 'help', 'profile', 'language', 'back', 'cancel'] as const;

/** Translates a Bot API error into the neutral errors the core knows. */
export function translateError(err: unknown): Error {
  if (!(err instanceof TelegramError)) return new ChannelError('unavailable', 'telegram unreachable', { cause: err });
  const { error_code: code, description, parameters } = err.response;
  if (code === 429) return new RateLimitedError((parameters?.retry_after ?? 1) * 1000, { cause: err });
  if (code === 403) return new ChannelError('blocked', description, { cause: err });
  if (code === 401) return new ChannelError('unauthorized', description, { cause: err });
  if (code === 400 && /chat not found/i.test(description))
    return new ChannelError('not_found', description, { cause: err });
  if (code === 400) return new ChannelError('bad_request', description, { cause: err });
  return new ChannelError('unavailable', description, { cause: err });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TelegramAdapter implements ChannelPort, GroupAdminPort {
  readonly platform = 'telegram';
  private readonly bot: Telegraf;
  private readonly log: Logger;
  private polling: Promise<void> | undefined;
  private stopping = false;
  private readonly abort = new AbortController();

  constructor(private readonly opts: TelegramOptions) {
    this.log = opts.logger.child({ adapter: 'telegram' });
    this.bot = new Telegraf(opts.token, {
      telegram: { apiRoot: opts.apiRoot, webhookReply: false },
      handlerTimeout: Number.POSITIVE_INFINITY,
    });
    this.bot.use((ctx) =>
      this.onUpdate(ctx.update, ctx.callbackQuery ? () => ctx.answerCbQuery().then(() => undefined) : undefined),
    );
    this.bot.catch((err) => {
      // Only a database outage at shutdown reaches here: the update is not acknowledged and comes again.
      throw err;
    });
  }

  /** Hands one update to the engine; while the database is away it waits, so the update is not acknowledged. */
  private async onUpdate(update: Update, answerButton?: () => Promise<void>): Promise<void> {
    try {
      const event = this.translate(update);
      if (!event) return;
      for (let delay = 500; ; delay = Math.min(delay * 2, 10_000)) {
        try {
          return await this.opts.onEvent(event);
        } catch (err) {
          if (!(err instanceof StorageUnavailableError) || this.stopping) throw err;
          this.log.warn({ update: update.update_id, retryInMs: delay }, 'database unreachable; holding the update');
          await sleep(delay);
        }
      }
    } finally {
      // Every button press is answered, or the person's client shows a spinner.
      if (answerButton)
        await answerButton().catch((err) => this.log.debug({ err: String(err) }, 'answerCallbackQuery failed'));
    }
  }

  /**
   * An update whose shape is not the Bot API's is logged (its id and kind, never its content) and
   * acknowledged: fetching it again would fail the same way for ever.
   */
  private translate(update: Update): InboundEvent | null {
    try {
      return toInboundEvent(update);
    } catch (err) {
      const id = (update as { update_id?: unknown } | null)?.update_id;
      const fields = { update: typeof id === 'number' ? id : null, kind: updateKind(update) };
      this.log.warn({ ...fields, err: (err as Error).message }, 'update not understood; acknowledged');
      return null;
    }
  }

  async start(): Promise<void> {
    await this.bot.telegram.setMyCommands(COMMANDS.map((command) => ({ command, description: command })));
    if (this.opts.webhook) {
      await this.bot.telegram.setWebhook(this.opts.webhook.url, {
        secret_token: this.opts.webhook.secret,
        allowed_updates: [...ALLOWED],
      });
      this.log.info({ mode: 'webhook' }, 'telegram started');
      return;
    }
    await this.bot.telegram.deleteWebhook({ drop_pending_updates: false });
    this.bot.botInfo ??= await this.bot.telegram.getMe();
    this.polling = this.poll();
    this.log.info({ mode: 'polling' }, 'telegram started');
  }

  /**
   * Long polling that acknowledges a batch (by asking for the next offset) only after every update
   * in it is stored; telegraf's own loop acknowledges on receipt, which could lose an update at shutdown.
   */
  private async poll(): Promise<void> {
    let offset = 0;
    let backoff = 1_000;
    const firstRetry = this.opts.retryMs ?? 500;
    let retry = firstRetry;
    while (!this.stopping) {
      // Fetched no faster than they are handled: what waits beyond BACKLOG stays with Telegram (kept 24 h), not here.
      while (!this.stopping && (this.opts.backlog?.() ?? 0) >= BACKLOG) await this.wait(50);
      if (this.stopping) break;
      let updates: Update[];
      try {
        updates = await this.bot.telegram.callApi(
          'getUpdates',
          { timeout: 25, offset, allowed_updates: [...ALLOWED] },
          { signal: this.abort.signal as never },
        );
        backoff = 1_000;
      } catch (err) {
        if (this.stopping) break;
        const translated = translateError(err);
        const wait = translated instanceof RateLimitedError ? translated.retryAfterMs : backoff;
        if (translated instanceof ChannelError && translated.code === 'channel_unauthorized') {
          this.log.error({}, 'telegram refused the bot token; polling stopped');
          return;
        }
        this.log.warn({ err: translated.message, retryInMs: wait }, 'getUpdates failed');
        backoff = Math.min(backoff * 2, 30_000);
        await this.wait(wait);
        continue;
      }
      try {
        await Promise.all(updates.map((u) => this.bot.handleUpdate(u)));
        retry = firstRetry;
      } catch (err) {
        if (this.stopping) break;
        // Fetched again after a wait that doubles: a store that keeps failing is not asked hundreds of times a second.
        this.log.error({ err: (err as Error).message, retryInMs: retry }, 'batch not stored; it will be fetched again');
        await this.wait(retry);
        retry = Math.min(retry * 2, this.opts.maxRetryMs ?? 30_000);
        continue;
      }
      const ids = updates.map((u) => (u as { update_id?: unknown }).update_id).filter((id) => Number.isSafeInteger(id));
      if (ids.length) offset = Math.max(offset, ...(ids as number[])) + 1;
    }
  }

  /** Sleeps, but no longer than until stop() is called. */
  private wait(ms: number): Promise<void> {
    const signal = this.abort.signal;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
  }

  /**
   * Webhook requests: the secret header is checked before the body is read, and a body above
   * MAX_WEBHOOK_BODY is refused with 413, by its Content-Length or while it streams; telegraf
   * then parses the body read here.
   */
  webhookHandler(): ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined {
    if (!this.opts.webhook) return undefined;
    const { secret } = this.opts.webhook;
    const callback = this.bot.webhookCallback('/telegram/webhook', { secretToken: secret });
    return async (req, res) => {
      if (!secretMatches(secret, req.headers[SECRET_HEADER])) {
        res.writeHead(403).end();
        return;
      }
      const body = declaredTooLarge(req) ? null : await readLimited(req);
      if (!body) {
        this.log.warn({ declaredBytes: req.headers['content-length'] ?? null }, 'webhook body too large; refused');
        res.writeHead(413, { connection: 'close', 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'request body too large' }));
        discardThenClose(req);
        return;
      }
      (req as IncomingMessage & { body?: Buffer }).body = body;
      await callback(req, res);
    };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    await this.polling;
  }

  async deliver(delivery: Delivery): Promise<string | undefined> {
    const chatId = delivery.conversationId.slice('telegram:'.length);
    if (delivery.message.type === 'document') return this.sendFile(chatId, delivery.message);
    const parts = splitText(delivery.message.text);
    const keyboard = keyboardOf(delivery.message);
    try {
      if (delivery.replaces && parts.length === 1) {
        try {
          await this.bot.telegram.editMessageText(
            chatId,
            Number(delivery.replaces),
            undefined,
            parts[0]!,
            keyboard ? { reply_markup: keyboard } : {},
          );
          return delivery.replaces;
        } catch (err) {
          // Too old, deleted or unchanged: a new message serves as well.
          this.log.debug({ err: String(err) }, 'edit failed; sending anew');
        }
      }
      let last: string | undefined;
      for (const [i, part] of parts.entries()) {
        const isLast = i === parts.length - 1;
        const sent = await this.bot.telegram.sendMessage(
          chatId,
          part,
          isLast && keyboard ? { reply_markup: keyboard } : {},
        );
        last = String(sent.message_id);
      }
      return last;
    } catch (err) {
      throw translateError(err);
    }
  }

  /** A caption too long for Telegram goes first as a message of its own. */
  private async sendFile(chatId: string, message: Extract<OutboundMessage, { type: 'document' }>): Promise<string> {
    try {
      const long = message.text.length > MAX_CAPTION_LENGTH;
      if (long) for (const part of splitText(message.text)) await this.bot.telegram.sendMessage(chatId, part);
      const source = Buffer.from(message.file.base64, 'base64');
      const sent = await this.bot.telegram.sendDocument(
        chatId,
        { source, filename: message.file.name },
        !long && message.text ? { caption: message.text } : {},
      );
      return String(sent.message_id);
    } catch (err) {
      throw translateError(err);
    }
  }

  // --- a cohort's group: the bot is its administrator -----------------------------------------

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw translateError(err);
    }
  }

  async inviteLink(conversationId: string, name: string): Promise<string> {
    const link = await this.call(() =>
      this.bot.telegram.createChatInviteLink(chatOf(conversationId), {
        name: name.slice(0, 32),
        creates_join_request: true,
      }),
    );
    return link.invite_link;
  }

  async approveJoin(conversationId: string, identity: string): Promise<void> {
    await this.call(() => this.bot.telegram.approveChatJoinRequest(chatOf(conversationId), userOf(identity)));
  }

  async declineJoin(conversationId: string, identity: string): Promise<void> {
    await this.call(() => this.bot.telegram.declineChatJoinRequest(chatOf(conversationId), userOf(identity)));
  }

  /** Out of the group; unbanned at once, so she could be invited again later. */
  async remove(conversationId: string, identity: string): Promise<void> {
    await this.call(() => this.bot.telegram.banChatMember(chatOf(conversationId), userOf(identity)));
    await this.call(() =>
      this.bot.telegram.unbanChatMember(chatOf(conversationId), userOf(identity), { only_if_banned: true }),
    );
  }
}

const chatOf = (conversationId: string) => conversationId.slice('telegram:'.length);
const userOf = (identity: string) => Number(identity.slice('telegram:'.length));
