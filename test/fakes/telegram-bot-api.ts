import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API, speaking its JSON shapes and errors, so the real
 * telegraf client can be driven end to end. Users are simulated by queueing updates.
 */

export interface FakeUser {
  id: number;
  first_name: string;
  language_code?: string;
}

export interface SentMessage {
  message_id: number;
  chat_id: number;
  text: string;
  /** Order of sending or last edit, for "what came after this". */
  seq: number;
  reply_markup?: { inline_keyboard: { text: string; callback_data: string }[][] };
  edited?: boolean;
  /** A sent file: its name and bytes; `text` is then its caption. */
  document?: { file_name: string; bytes: Buffer };
}

interface Waiter {
  resolve: (updates: unknown[]) => void;
  timer: NodeJS.Timeout;
}

type Fault = { error_code: number; description: string; retry_after?: number };

/** A supergroup the bot was added to, as the fake tracks it. */
interface Group {
  title: string;
  botIsAdmin: boolean;
  members: Set<number>;
  banned: Set<number>;
  /** Users with a join request waiting for an answer, with the link they used. */
  pending: Map<number, string>;
}

/** A chat member or join request, as the bot sees it in the fake's records. */
export interface ChatUserRef {
  chatId: number;
  userId: number;
}

interface File {
  name: string;
  bytes: Uint8Array;
}

/** The form's fields: text as strings, uploads as files. Node's own parser, so the fake reads what a server would. */
async function formFields(bytes: Buffer, type: string): Promise<Record<string, unknown>> {
  const form = await new Response(bytes, { headers: { 'content-type': type } }).formData();
  const fields: Record<string, unknown> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') fields[name] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    else
      fields[name] = Object.assign(Object.create(FilePrototype), {
        name: value.name,
        bytes: new Uint8Array(await value.arrayBuffer()),
      });
  }
  return fields;
}
const FilePrototype = {};
const isUpload = (v: unknown): v is File =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === FilePrototype;

const BOT = {
  id: 999000,
  is_bot: true,
  first_name: 'Womento',
  username: 'womento_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

export class FakeTelegram {
  readonly token = '123456:TEST-token-for-the-fake-server_abc';
  /** Every API call in order, for assertions on what the bot sent; `raw` is the request body exactly as received. */
  readonly calls: { method: string; body: Record<string, unknown>; raw: string; at: number; status?: number }[] = [];
  readonly messages: SentMessage[] = [];
  readonly blocked = new Set<number>();
  /** Messages per second across all chats before 429; 0 = unlimited. */
  globalLimitPerSecond = 0;
  /** How many sends the global limit refused. */
  tooMany = 0;
  /** Messages per minute into one group before 429, as Telegram allows about 20; undefined = unlimited. */
  groupLimitPerMinute: number | undefined;
  /** How many sends the per-group limit refused. */
  groupThrottled = 0;
  /** Every invite link the bot created, in order. */
  readonly inviteLinks: { chatId: number; link: string; name?: string; createsJoinRequest: boolean }[] = [];
  /** Join requests the bot approved / declined. */
  readonly approved: ChatUserRef[] = [];
  readonly declined: ChatUserRef[] = [];
  /** Members the bot removed from a group (a ban, or an unban of a member without only_if_banned). */
  readonly removed: ChatUserRef[] = [];
  private server: Server | undefined;
  private updates: { update_id: number }[] = [];
  private nextUpdateId = 1000;
  private nextMessageId = 1;
  private waiters: Waiter[] = [];
  private faults = new Map<string, Fault[]>();
  private recentSends: number[] = [];
  /** Send times per group in the last minute, kept even while no group limit is set, as Telegram counts regardless. */
  private groupSends = new Map<number, number[]>();
  private groups = new Map<number, Group>();
  /** Users seen in updates, so getChatMember can name them. */
  private people = new Map<number, FakeUser>();
  private seq = 0;
  webhook = '';
  /**
   * When each update was first handed to the bot by getUpdates (`performance.now()`, for latency figures: the
   * wall clock's whole milliseconds moved a 6 ms p99 by a sixth).
   */
  readonly handedOut = new Map<number, number>();
  /** Called for every message sent or edited, as it is recorded; benches match replies with it. */
  onMessage: ((m: SentMessage) => void) | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.resolve([]);
    }
    this.waiters = [];
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** For `ms` from now, every send is refused with 429 and this retry_after (seconds). */
  throttle(ms: number, retryAfter: number): void {
    this.throttledUntil = Date.now() + ms;
    this.throttleRetryAfter = retryAfter;
  }
  private throttledUntil = 0;
  private throttleRetryAfter = 1;

  /** The next call to `method` fails with this Bot API error. */
  failNext(method: string, fault: Fault): void {
    this.faults.set(method, [...(this.faults.get(method) ?? []), fault]);
  }

  // --- simulated people ---------------------------------------------------------------

  sendText(user: FakeUser, text: string, chat: Record<string, unknown> = privateChat(user)): number {
    const entities = text.startsWith('/')
      ? [{ type: 'bot_command', offset: 0, length: text.split(/\s/)[0]!.length }]
      : undefined;
    return this.pushMessage(user, chat, { text, ...(entities ? { entities } : {}) });
  }

  /** A message from a user in a supergroup registered with `createGroup`. */
  sendTextInGroup(user: FakeUser, chatId: number, text: string): number {
    return this.sendText(user, text, this.groupChat(chatId, this.knownGroup(chatId).title));
  }

  sendSticker(user: FakeUser): number {
    return this.pushMessage(user, privateChat(user), {
      sticker: {
        file_id: 'CAACAgIAAxkBAAEB',
        file_unique_id: 'AgAD',
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: '🌷',
      },
    });
  }

  /** Presses a button of the last message that has buttons, found by its label (or a part of it). */
  press(user: FakeUser, label: string | RegExp, chatId = user.id): number {
    const message = this.lastWithKeyboard(chatId);
    const button = message?.reply_markup?.inline_keyboard
      .flat()
      .find((b) => (typeof label === 'string' ? b.text.includes(label) : label.test(b.text)));
    if (!message || !button)
      throw new Error(
        `no button ${label} in the last keyboard of ${user.id}: ${JSON.stringify(message?.reply_markup)}`,
      );
    return this.pressData(user, button.callback_data, message.message_id);
  }

  /** Presses a button of the last message with buttons in a group chat. */
  pressInChat(user: FakeUser, chatId: number, label: string | RegExp): number {
    return this.press(user, label, chatId);
  }

  /** A callback query with any data, as a forged or replayed client could send. */
  pressData(user: FakeUser, data: string, messageId = this.lastWithKeyboard(user.id)?.message_id ?? 1): number {
    const message = this.messages.find((m) => m.message_id === messageId);
    return this.push({
      callback_query: {
        id: String(this.nextUpdateId * 7),
        from: { ...user, is_bot: false },
        chat_instance: `ci${user.id}`,
        data,
        message: {
          message_id: messageId,
          date: now(),
          chat: this.chatOf(message?.chat_id ?? user.id),
          text: message?.text ?? '',
        },
      },
    });
  }

  // --- simulated groups ---------------------------------------------------------------

  /** Registers a supergroup the bot was added to; `chatId` is negative, like -1001234. */
  createGroup(chatId: number, title: string, opts: { botIsAdmin?: boolean } = {}): void {
    if (chatId >= 0) throw new Error(`group chat ids are negative, got ${chatId}`);
    this.groups.set(chatId, {
      title,
      botIsAdmin: opts.botIsAdmin ?? true,
      members: new Set(),
      banned: new Set(),
      pending: new Map(),
    });
  }

  /** Puts a user in a group directly, as if she had joined before the test. */
  addMember(chatId: number, user: FakeUser): void {
    this.people.set(user.id, user);
    this.knownGroup(chatId).members.add(user.id);
  }

  membersOf(chatId: number): number[] {
    return [...this.knownGroup(chatId).members];
  }

  /** A user opens an invite link that needs approval: Telegram tells the bot with a chat_join_request update. */
  requestJoin(user: FakeUser, chatId: number, inviteLink: string): number {
    const group = this.knownGroup(chatId);
    // Telegram delivers no request from people it would not let in anyway, so a test doing this has a mistake.
    if (group.banned.has(user.id))
      throw new Error(`user ${user.id} is banned from ${chatId}; Telegram would not deliver a join request`);
    if (group.members.has(user.id)) throw new Error(`user ${user.id} is already a member of ${chatId}`);
    const created = this.inviteLinks.find((l) => l.link === inviteLink);
    if (created && created.chatId !== chatId)
      throw new Error(`${inviteLink} was created for ${created.chatId}, not ${chatId}`);
    this.people.set(user.id, user);
    group.pending.set(user.id, inviteLink);
    return this.push({
      chat_join_request: {
        chat: this.groupChat(chatId, group.title),
        from: { ...user, is_bot: false },
        user_chat_id: user.id,
        date: now(),
        invite_link: {
          invite_link: inviteLink,
          creator: BOT,
          creates_join_request: true,
          is_primary: false,
          is_revoked: false,
          ...(created?.name ? { name: created.name } : {}),
        },
      },
    });
  }

  /** Raw bodies of the bot's requests addressed to a chat, to check what it ever sent there. */
  requestsTo(chatId: number): string[] {
    return this.calls.filter((c) => Number(c.body.chat_id) === chatId).map((c) => c.raw);
  }

  /** Queues an update of any shape, as a broken or hostile client could make Telegram deliver; returns its id. */
  pushRaw(update: Record<string, unknown>): number {
    return this.push(update);
  }

  /** Delivers an update again, as Telegram does when it was not acknowledged. */
  redeliver(updateId: number, update: Record<string, unknown>): void {
    this.updates.push({ update_id: updateId, ...update });
    this.flush();
  }

  messagesTo(chatId: number): SentMessage[] {
    return this.messages.filter((m) => m.chat_id === chatId);
  }

  lastWithKeyboard(chatId: number): SentMessage | undefined {
    return this.messagesTo(chatId)
      .filter((m) => m.reply_markup?.inline_keyboard.length)
      .at(-1);
  }

  /** Resolves when a message to the chat satisfies the predicate (checking those already sent after `since`). */
  async waitFor(
    chatId: number,
    predicate: (m: SentMessage) => boolean,
    opts: { since?: number; timeoutMs?: number } = {},
  ): Promise<SentMessage> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    for (;;) {
      const found = this.messagesTo(chatId).find((m) => m.seq > (opts.since ?? 0) && predicate(m));
      if (found) return found;
      if (Date.now() > deadline) {
        const seen = this.messagesTo(chatId)
          .slice(-3)
          .map((m) => m.text.slice(0, 120));
        throw new Error(`no matching message to ${chatId}; last ones: ${JSON.stringify(seen)}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Does something as a user, then waits for the bot's reply that contains `text`. */
  async reply(user: FakeUser, act: () => void, text: string): Promise<SentMessage> {
    const since = this.mark;
    act();
    return this.waitFor(user.id, (m) => m.text.includes(text), { since });
  }

  /** Waits until every queued update was fetched and the bot has made no call for `quietMs`. */
  async settle(quietMs = 150, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const last = this.calls.filter((c) => c.method !== 'getUpdates').at(-1)?.at ?? 0;
      if (!this.updates.length && Date.now() - last > quietMs && this.waiters.length) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the bot did not settle');
  }

  /** Pass as `since` to wait only for what is sent from now on. */
  get mark(): number {
    return this.seq;
  }

  // --- the Bot API ---------------------------------------------------------------

  private pushMessage(user: FakeUser, chat: Record<string, unknown>, content: Record<string, unknown>): number {
    this.people.set(user.id, user);
    return this.push({
      message: { message_id: this.nextMessageId++, date: now(), chat, from: { ...user, is_bot: false }, ...content },
    });
  }

  private push(update: Record<string, unknown>): number {
    const update_id = this.nextUpdateId++;
    this.updates.push({ update_id, ...update });
    this.flush();
    return update_id;
  }

  private flush(): void {
    if (!this.updates.length) return;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.resolve(this.updates);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const type = req.headers['content-type'] ?? '';
    // Files come as multipart/form-data, as the Bot API takes uploads.
    const multipart = type.startsWith('multipart/form-data');
    const raw = multipart ? '' : Buffer.concat(chunks).toString('utf8');
    const body = multipart
      ? await formFields(Buffer.concat(chunks), type)
      : ((raw ? JSON.parse(raw) : {}) as Record<string, unknown>);
    if (!match) return send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (match[1] !== this.token) return send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const method = match[2]!;
    const call: (typeof this.calls)[number] = { method, body, raw, at: Date.now() };
    this.calls.push(call);
    const fault =
      this.faults.get(method)?.shift() ??
      (method === 'sendMessage' && Date.now() < this.throttledUntil
        ? {
            error_code: 429,
            description: `Too Many Requests: retry after ${this.throttleRetryAfter}`,
            retry_after: this.throttleRetryAfter,
          }
        : undefined);
    try {
      if (fault) throw fault;
      const result = await this.call(method, body);
      call.status = 200;
      send(res, 200, { ok: true, result });
    } catch (f) {
      call.status = (f as Fault).error_code;
      error(res, f as Fault);
    }
  }

  private async call(method: string, body: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case 'getMe':
        return BOT;
      case 'getUpdates':
        return this.getUpdates(Number(body.offset ?? 0), Number(body.timeout ?? 0), Number(body.limit ?? 100));
      case 'setMyCommands':
      case 'deleteWebhook':
        if (method === 'deleteWebhook') this.webhook = '';
        return true;
      case 'setWebhook':
        this.webhook = String(body.url ?? '');
        return true;
      case 'answerCallbackQuery':
        if (!body.callback_query_id)
          throw bad('Bad Request: query is too old and response timeout expired or query ID is invalid');
        return true;
      case 'sendMessage':
        return this.sendMessage(body);
      case 'editMessageText':
        return this.editMessageText(body);
      case 'sendDocument':
        return this.sendDocument(body);
      case 'createChatInviteLink':
        return this.createChatInviteLink(body);
      case 'approveChatJoinRequest':
      case 'declineChatJoinRequest':
        return this.answerJoinRequest(body, method === 'approveChatJoinRequest');
      case 'banChatMember':
        return this.banChatMember(body);
      case 'unbanChatMember':
        return this.unbanChatMember(body);
      case 'getChat':
        return this.groupChat(Number(body.chat_id), this.group(body.chat_id).title);
      case 'getChatMember':
        return this.getChatMember(body);
      default:
        throw { error_code: 404, description: 'Not Found: method not found' };
    }
  }

  private getUpdates(offset: number, timeout: number, limit: number): Promise<unknown[]> {
    // Asking with an offset confirms every update before it, as the real API does.
    if (offset) this.updates = this.updates.filter((u) => u.update_id >= offset);
    if (this.updates.length || !timeout) return Promise.resolve(this.handOut(this.updates.slice(0, limit)));
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve: (u) => resolve(this.handOut((u as { update_id: number }[]).slice(0, limit))),
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve([]);
        }, Math.min(timeout, 2) * 1000),
      };
      this.waiters.push(waiter);
    });
  }

  private handOut(updates: { update_id: number }[]): { update_id: number }[] {
    const t = performance.now();
    for (const u of updates) if (!this.handedOut.has(u.update_id)) this.handedOut.set(u.update_id, t);
    return updates;
  }

  private checkOutgoing(body: Record<string, unknown>): { chatId: number; text: string } {
    const chatId = Number(body.chat_id);
    const text = String(body.text ?? '');
    if (!Number.isFinite(chatId)) throw bad('Bad Request: chat not found');
    if (this.blocked.has(chatId)) throw { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
    if (!text.trim()) throw bad('Bad Request: message text is empty');
    if (text.length > 4096) throw bad('Bad Request: message is too long');
    if (body.parse_mode) throw bad('Bad Request: this fake expects plain text only');
    const keyboard = (body.reply_markup as SentMessage['reply_markup'])?.inline_keyboard ?? [];
    for (const b of keyboard.flat()) {
      if (!b.text) throw bad('Bad Request: text buttons are unallowed in the inline keyboard');
      if (Buffer.byteLength(b.callback_data ?? '', 'utf8') > 64 || !b.callback_data)
        throw bad('Bad Request: BUTTON_DATA_INVALID');
    }
    return { chatId, text };
  }

  /** Both limits are checked before either counts the send, so a refused send uses up no allowance. */
  private rateLimit(chatId: number): void {
    const t = Date.now();
    if (this.globalLimitPerSecond) {
      this.recentSends = this.recentSends.filter((s) => t - s < 1000);
      if (this.recentSends.length >= this.globalLimitPerSecond) {
        this.tooMany++;
        throw { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 };
      }
    }
    const inGroup = chatId < 0 ? (this.groupSends.get(chatId) ?? []).filter((s) => t - s < 60_000) : [];
    if (chatId < 0 && this.groupLimitPerMinute !== undefined && inGroup.length >= this.groupLimitPerMinute) {
      this.groupThrottled++;
      // Telegram names the wait until the window has room again.
      const retryAfter = Math.max(1, Math.ceil((inGroup[0]! + 60_000 - t) / 1000));
      throw { error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, retry_after: retryAfter };
    }
    if (this.globalLimitPerSecond) this.recentSends.push(t);
    if (chatId < 0) this.groupSends.set(chatId, [...inGroup, t]);
  }

  private sendMessage(body: Record<string, unknown>): unknown {
    const { chatId, text } = this.checkOutgoing(body);
    this.rateLimit(chatId);
    const message: SentMessage = {
      message_id: this.nextMessageId++,
      seq: ++this.seq,
      chat_id: chatId,
      text,
      ...(body.reply_markup ? { reply_markup: body.reply_markup as SentMessage['reply_markup'] } : {}),
    };
    this.messages.push(message);
    this.onMessage?.(message);
    return {
      message_id: message.message_id,
      date: now(),
      chat: this.chatOf(chatId),
      from: BOT,
      text,
      ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
    };
  }

  private sendDocument(body: Record<string, unknown>): unknown {
    const chatId = Number(body.chat_id);
    const upload = body.document;
    if (!Number.isFinite(chatId)) throw bad('Bad Request: chat not found');
    if (this.blocked.has(chatId)) throw { error_code: 403, description: 'Forbidden: bot was blocked by the user' };
    if (!isUpload(upload)) throw bad('Bad Request: there is no document in the request');
    const caption = String(body.caption ?? '');
    if (caption.length > 1024) throw bad('Bad Request: message caption is too long');
    this.rateLimit(chatId);
    const document = { file_name: upload.name, bytes: Buffer.from(upload.bytes) };
    const message: SentMessage = {
      message_id: this.nextMessageId++,
      seq: ++this.seq,
      chat_id: chatId,
      text: caption,
      document,
    };
    this.messages.push(message);
    this.onMessage?.(message);
    const file = {
      file_id: `doc-${message.message_id}`,
      file_unique_id: `u${message.message_id}`,
      file_name: upload.name,
      file_size: upload.bytes.length,
    };
    return {
      message_id: message.message_id,
      date: now(),
      chat: this.chatOf(chatId),
      from: BOT,
      document: file,
      ...(caption ? { caption } : {}),
    };
  }

  private editMessageText(body: Record<string, unknown>): unknown {
    const { chatId, text } = this.checkOutgoing(body);
    const index = this.messages.findIndex((m) => m.message_id === Number(body.message_id) && m.chat_id === chatId);
    if (index < 0) throw bad('Bad Request: message to edit not found');
    const old = this.messages[index]!;
    if (old.text === text && JSON.stringify(old.reply_markup) === JSON.stringify(body.reply_markup)) {
      throw bad(
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    // An edited message reads as new for the tests: it moves to the end, keeping its id.
    this.messages.splice(index, 1);
    const edited: SentMessage = {
      ...old,
      seq: ++this.seq,
      text,
      edited: true,
      ...(body.reply_markup
        ? { reply_markup: body.reply_markup as SentMessage['reply_markup'] }
        : { reply_markup: undefined }),
    };
    this.messages.push(edited);
    this.onMessage?.(edited);
    return { message_id: old.message_id, date: now(), edit_date: now(), chat: this.chatOf(chatId), from: BOT, text };
  }

  // --- groups in the Bot API ---------------------------------------------------------------

  private createChatInviteLink(body: Record<string, unknown>): unknown {
    const group = this.group(body.chat_id);
    if (!group.botIsAdmin) throw bad('Bad Request: not enough rights to manage chat invite links');
    const name = body.name === undefined ? undefined : String(body.name);
    const createsJoinRequest = body.creates_join_request === true;
    // Both are documented limits; Telegram answers 400, the descriptions here are only approximations of its wording.
    if (name !== undefined && name.length > 32) throw bad('Bad Request: invite link name is too long');
    if (createsJoinRequest && body.member_limit !== undefined)
      throw bad("Bad Request: member limit can't be specified for links requiring administrator approval");
    const link = `https://t.me/+${randomBytes(12).toString('base64url')}`;
    this.inviteLinks.push({
      chatId: Number(body.chat_id),
      link,
      ...(name !== undefined ? { name } : {}),
      createsJoinRequest,
    });
    return {
      invite_link: link,
      creator: BOT,
      creates_join_request: createsJoinRequest,
      is_primary: false,
      is_revoked: false,
      ...(name !== undefined ? { name } : {}),
      ...(body.expire_date !== undefined ? { expire_date: Number(body.expire_date) } : {}),
      ...(body.member_limit !== undefined ? { member_limit: Number(body.member_limit) } : {}),
    };
  }

  private answerJoinRequest(body: Record<string, unknown>, approve: boolean): true {
    const group = this.group(body.chat_id);
    if (!group.botIsAdmin) throw bad('Bad Request: CHAT_ADMIN_REQUIRED');
    const ref = { chatId: Number(body.chat_id), userId: Number(body.user_id) };
    // Telegram's answer for a request that was never made or was already answered.
    if (!group.pending.delete(ref.userId)) throw bad('Bad Request: HIDE_REQUESTER_MISSING');
    if (approve) group.members.add(ref.userId);
    (approve ? this.approved : this.declined).push(ref);
    return true;
  }

  /** A ban lasts until unbanned here, whatever until_date says. */
  private banChatMember(body: Record<string, unknown>): true {
    const group = this.group(body.chat_id);
    if (!group.botIsAdmin) throw bad('Bad Request: not enough rights to restrict/ban chat member');
    const ref = { chatId: Number(body.chat_id), userId: Number(body.user_id) };
    group.banned.add(ref.userId);
    group.pending.delete(ref.userId);
    if (group.members.delete(ref.userId)) this.removed.push(ref);
    return true;
  }

  private unbanChatMember(body: Record<string, unknown>): true {
    const group = this.group(body.chat_id);
    if (!group.botIsAdmin) throw bad('Bad Request: not enough rights to restrict/ban chat member');
    const ref = { chatId: Number(body.chat_id), userId: Number(body.user_id) };
    group.banned.delete(ref.userId);
    // As documented: without only_if_banned, unbanning a member removes her, a common way to kick.
    if (body.only_if_banned !== true && group.members.delete(ref.userId)) this.removed.push(ref);
    return true;
  }

  private getChatMember(body: Record<string, unknown>): unknown {
    const group = this.group(body.chat_id);
    const userId = Number(body.user_id);
    if (userId === BOT.id) {
      const user = { id: BOT.id, is_bot: true, first_name: BOT.first_name, username: BOT.username };
      if (!group.botIsAdmin) return { status: 'member', user };
      return {
        status: 'administrator',
        user,
        can_be_edited: false,
        is_anonymous: false,
        can_manage_chat: true,
        can_delete_messages: true,
        can_restrict_members: true,
        can_invite_users: true,
        can_promote_members: false,
        can_change_info: false,
        can_pin_messages: true,
      };
    }
    const person = this.people.get(userId);
    if (!person) throw bad('Bad Request: user not found');
    const user = { id: userId, is_bot: false, first_name: person.first_name };
    if (group.banned.has(userId)) return { status: 'kicked', user, until_date: 0 };
    return { status: group.members.has(userId) ? 'member' : 'left', user };
  }

  /** The group a Bot API call names; unknown chats answer as Telegram does for chats the bot is not in. */
  private group(chatId: unknown): Group {
    const group = this.groups.get(Number(chatId));
    if (!group) throw bad('Bad Request: chat not found');
    return group;
  }

  /** The group a test helper names; a missing one is a mistake in the test. */
  private knownGroup(chatId: number): Group {
    const group = this.groups.get(chatId);
    if (!group) throw new Error(`no group ${chatId}; call createGroup first`);
    return group;
  }

  private groupChat(chatId: number, title: string) {
    return { id: chatId, type: 'supergroup', title };
  }

  /** The chat object for updates and results; unregistered negative ids stay the officers' group of older tests. */
  private chatOf(chatId: number) {
    if (chatId >= 0) return { id: chatId, type: 'private' };
    return this.groupChat(chatId, this.groups.get(chatId)?.title ?? 'Officers');
  }
}

const now = () => Math.floor(Date.now() / 1000);
const privateChat = (u: FakeUser) => ({ id: u.id, type: 'private', first_name: u.first_name });
const bad = (description: string): Fault => ({ error_code: 400, description });

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function error(res: ServerResponse, f: Fault): void {
  send(res, f.error_code, {
    ok: false,
    error_code: f.error_code,
    description: f.description,
    ...(f.retry_after ? { parameters: { retry_after: f.retry_after } } : {}),
  });
}
