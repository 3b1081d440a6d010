import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A posted Slack message as the fake keeps it. */
export interface SlackMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: {
    type: string;
    elements?: { text: { text: string }; value: string; action_id: string }[];
    text?: { text: string };
  }[];
  updated?: boolean;
  seq: number;
  /** A shared file (`files.uploadV2`); `text` is then its initial comment. */
  file?: { name: string; bytes: Buffer };
}

/** A channel created through `conversations.create`, as the fake keeps it. */
export interface SlackChannel {
  name: string;
  is_private: boolean;
  created: number;
  members: Set<string>;
}

/** The upload URL takes the bytes raw or as the first part of a multipart form (the WebClient sends a form). */
async function uploaded(bytes: Buffer, type: string): Promise<Buffer> {
  if (!type.startsWith('multipart/form-data')) return bytes;
  const [first] = [...(await new Response(bytes, { headers: { 'content-type': type } }).formData()).values()];
  if (first === undefined) return Buffer.alloc(0);
  return typeof first === 'string' ? Buffer.from(first, 'utf8') : Buffer.from(await first.arrayBuffer());
}

/** The bot's own user id, as `auth.test` reports it. */
const BOT_USER = 'UBOT';

/**
 * A local stand-in for the Slack Web API (`auth.test`, `conversations.open`, `conversations.create`,
 * `conversations.invite`, `conversations.kick`, `chat.postMessage`, `chat.update`, `views.open`, and the three
 * steps of a file upload: `files.getUploadURLExternal`, the upload itself, `files.completeUploadExternal`),
 * with Slack's JSON shapes and errors, driven by the real WebClient.
 */
export class FakeSlack {
  readonly token = 'xoxb-test';
  readonly team = 'T0TEST';
  readonly calls: { method: string; body: Record<string, unknown>; at: number }[] = [];
  readonly messages: SlackMessage[] = [];
  /** Channels that answer channel_not_found. */
  readonly missing = new Set<string>();
  /** Channels the bot created, by id. */
  readonly channels = new Map<string, SlackChannel>();
  private nextChannel = 0;
  private server: Server | undefined;
  private ts = 1_700_000_000;
  private seq = 0;
  private limited = new Map<string, number>();
  private held = new Set<string>();
  private releases: (() => void)[] = [];
  private base = '';
  /** Files uploaded but not yet completed into a channel. */
  private uploads = new Map<string, { name: string; length: number; bytes?: Buffer }>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return `${this.base}/api/`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  /** The next call to `method` is refused with 429 and this Retry-After (seconds). */
  rateLimitNext(method: string, retryAfter: number): void {
    this.limited.set(method, retryAfter);
  }

  /** Calls to `method` get no answer until `release()` (a call in flight when the bot dies). */
  hold(method: string): void {
    this.held.add(method);
  }

  release(): void {
    this.held.clear();
    for (const r of this.releases.splice(0)) r();
  }

  get mark(): number {
    return this.seq;
  }

  membersOfChannel(id: string): string[] {
    return [...(this.channels.get(id)?.members ?? [])];
  }

  in(channel: string): SlackMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  buttons(m: SlackMessage) {
    return m.blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
  }

  async waitFor(
    channel: string,
    predicate: (m: SlackMessage) => boolean,
    opts: { since?: number; timeoutMs?: number } = {},
  ): Promise<SlackMessage> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    for (;;) {
      const found = this.in(channel).find((m) => m.seq > (opts.since ?? 0) && predicate(m));
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(
          `no matching Slack message in ${channel}; last: ${JSON.stringify(
            this.in(channel)
              .slice(-2)
              .map((m) => m.text.slice(0, 100)),
          )}`,
        );
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.url?.startsWith('/upload/')) {
      const id = req.url.slice('/upload/'.length);
      return this.receive(id, await uploaded(Buffer.concat(chunks), req.headers['content-type'] ?? ''), res);
    }
    const raw = Buffer.concat(chunks).toString('utf8');
    const body: Record<string, unknown> = req.headers['content-type']?.includes('json')
      ? JSON.parse(raw || '{}')
      : Object.fromEntries([...new URLSearchParams(raw)].map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
    const method = (req.url ?? '').replace(/^\/api\//, '');
    this.calls.push({ method, body, at: Date.now() });
    const json = (status: number, payload: object, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    const auth = req.headers.authorization ?? `Bearer ${body.token ?? ''}`;
    if (auth !== `Bearer ${this.token}`) return json(200, { ok: false, error: 'invalid_auth' });
    const retryAfter = this.limited.get(method);
    if (retryAfter !== undefined) {
      this.limited.delete(method);
      return json(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
    }
    if (this.held.has(method)) await new Promise<void>((r) => this.releases.push(r));
    const channel = String(body.channel ?? '');
    switch (method) {
      case 'auth.test':
        return json(200, {
          ok: true,
          url: 'https://womento.slack.test/',
          team: 'Womento',
          user: 'womento',
          team_id: this.team,
          user_id: BOT_USER,
          bot_id: 'BBOT',
        });
      case 'conversations.open':
        return json(200, { ok: true, channel: { id: `D${String(body.users).replace(/^U/, '')}` } });
      case 'conversations.create':
        return json(200, this.createChannel(body));
      case 'conversations.invite':
        return json(200, this.invite(channel, body.users));
      case 'conversations.kick':
        return json(200, this.kick(channel, String(body.user ?? '')));
      case 'views.open':
        return json(200, { ok: true, view: { id: 'V1' } });
      case 'chat.postMessage': {
        if (this.missing.has(channel)) return json(200, { ok: false, error: 'channel_not_found' });
        const ts = `${++this.ts}.000100`;
        this.messages.push({
          channel,
          ts,
          text: String(body.text ?? ''),
          blocks: (body.blocks as SlackMessage['blocks']) ?? [],
          seq: ++this.seq,
        });
        return json(200, { ok: true, channel, ts, message: { text: body.text, ts } });
      }
      case 'chat.update': {
        const i = this.messages.findIndex((m) => m.channel === channel && m.ts === body.ts);
        if (i < 0) return json(200, { ok: false, error: 'message_not_found' });
        const [old] = this.messages.splice(i, 1);
        this.messages.push({
          ...old!,
          text: String(body.text ?? ''),
          blocks: (body.blocks as SlackMessage['blocks']) ?? [],
          updated: true,
          seq: ++this.seq,
        });
        return json(200, { ok: true, channel, ts: body.ts, text: body.text });
      }
      case 'files.getUploadURLExternal': {
        const length = Number(body.length);
        if (!body.filename) return json(200, { ok: false, error: 'invalid_arguments' });
        if (!Number.isInteger(length) || length < 1) return json(200, { ok: false, error: 'invalid_length' });
        const id = `F0TEST${String(this.uploads.size + this.messages.length + 1).padStart(4, '0')}`;
        this.uploads.set(id, { name: String(body.filename), length });
        return json(200, { ok: true, upload_url: `${this.base}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal':
        return json(200, this.complete(body));
      default:
        return json(200, { ok: false, error: 'unknown_method' });
    }
  }

  /** The upload step: Slack answers plain text, and checks the length announced in step one. */
  private receive(id: string, bytes: Buffer, res: ServerResponse): void {
    const upload = this.uploads.get(id);
    const ok = upload && upload.length === bytes.length;
    if (ok) upload.bytes = bytes;
    res.writeHead(ok ? 200 : 400, { 'content-type': 'text/plain' });
    res.end(ok ? `OK - ${bytes.length}` : 'bad upload');
  }

  private complete(body: Record<string, unknown>): object {
    const files = Array.isArray(body.files) ? (body.files as { id: string; title?: string }[]) : [];
    const channel = String(body.channel_id ?? '');
    if (!files.length) return { ok: false, error: 'invalid_arguments' };
    if (channel && this.missing.has(channel)) return { ok: false, error: 'channel_not_found' };
    const shared = [];
    for (const f of files) {
      const upload = this.uploads.get(f.id);
      if (!upload?.bytes) return { ok: false, error: 'file_not_found' };
      this.uploads.delete(f.id);
      const ts = `${++this.ts}.000100`;
      const text = String(body.initial_comment ?? '');
      this.messages.push({
        channel,
        ts,
        text,
        blocks: [],
        seq: ++this.seq,
        file: { name: upload.name, bytes: upload.bytes },
      });
      shared.push({ id: f.id, name: upload.name, title: f.title ?? upload.name, size: upload.bytes.length });
    }
    return { ok: true, files: shared };
  }

  private createChannel(body: Record<string, unknown>): object {
    const name = String(body.name ?? '');
    // Slack's naming rule: lowercase letters, digits, hyphens and underscores, at most 80 characters.
    const invalid = !name
      ? 'invalid_name_required'
      : name.length > 80
        ? 'invalid_name_maxlength'
        : /[^a-z0-9_-]/.test(name)
          ? 'invalid_name_specials'
          : /^[-_]+$/.test(name)
            ? 'invalid_name_punctuation'
            : undefined;
    if (invalid) return { ok: false, error: invalid };
    if ([...this.channels.values()].some((c) => c.name === name)) return { ok: false, error: 'name_taken' };
    // Form-encoded calls carry booleans as text.
    const isPrivate = body.is_private === true || body.is_private === 'true';
    const id = `C0TEST${String(++this.nextChannel).padStart(4, '0')}`;
    this.channels.set(id, {
      name,
      is_private: isPrivate,
      created: Math.floor(Date.now() / 1000),
      members: new Set([BOT_USER]),
    });
    return { ok: true, channel: this.channelObject(id) };
  }

  private invite(id: string, users: unknown): object {
    const channel = this.knownChannel(id);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    const ids = (Array.isArray(users) ? users.map(String) : String(users ?? '').split(','))
      .map((u) => u.trim())
      .filter(Boolean);
    if (!ids.length) return { ok: false, error: 'no_user' };
    if (ids.includes(BOT_USER)) return { ok: false, error: 'cant_invite_self' };
    const fresh = ids.filter((u) => !channel.members.has(u));
    if (!fresh.length)
      return {
        ok: false,
        error: 'already_in_channel',
        errors: ids.map((user) => ({ user, ok: false, error: 'already_in_channel' })),
      };
    for (const u of fresh) channel.members.add(u);
    return { ok: true, channel: this.channelObject(id) };
  }

  private kick(id: string, user: string): object {
    const channel = this.knownChannel(id);
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (user === BOT_USER) return { ok: false, error: 'cant_kick_self' };
    if (!channel.members.delete(user)) return { ok: false, error: 'not_in_channel' };
    return { ok: true };
  }

  /** A created channel, unless a test marked it missing (as if deleted behind the bot's back). */
  private knownChannel(id: string): SlackChannel | undefined {
    return this.missing.has(id) ? undefined : this.channels.get(id);
  }

  /** The conversation object Slack returns for a channel, with the fields a bot reads. */
  private channelObject(id: string): object {
    const c = this.channels.get(id)!;
    return {
      id,
      name: c.name,
      name_normalized: c.name,
      is_channel: true,
      is_group: false,
      is_im: false,
      is_mpim: false,
      is_private: c.is_private,
      is_archived: false,
      is_general: false,
      is_member: c.members.has(BOT_USER),
      created: c.created,
      creator: BOT_USER,
    };
  }
}

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function signSlackRequest(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature };
}

/** Sends a signed request to the bot as Slack would (events as JSON, interactivity and commands as forms). */
export async function postToBot(
  url: string,
  secret: string,
  kind: 'event' | 'form',
  payload: object,
  opts: { timestamp?: number; badSignature?: boolean; headers?: Record<string, string> } = {},
) {
  const body =
    kind === 'event' ? JSON.stringify(payload) : new URLSearchParams(payload as Record<string, string>).toString();
  const signed = signSlackRequest(opts.badSignature ? 'wrong-secret-0000' : secret, body, opts.timestamp);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': kind === 'event' ? 'application/json' : 'application/x-www-form-urlencoded',
      ...signed,
      ...(opts.headers ?? {}),
    },
    body,
  });
}
