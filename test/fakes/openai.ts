import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OpenAI-compatible server for `POST /v1/chat/completions`, reached through the adapter's base URL.
 * Each request is answered by the next scripted behaviour, else by `answer` (structured output).
 *
 * It is also the last line of the privacy tests: every request body is searched for the seeded
 * participants' personal data (`forbid`), and `leaks` names what was found; `assertNoLeaks` fails the test.
 */
export type Behaviour =
  | { kind: 'json'; content: unknown; tokens?: number }
  | { kind: 'refusal'; text?: string }
  | { kind: 'malformed' }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'hang'; ms: number };

export interface ReceivedRequest {
  at: number;
  raw: string;
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    response_format?: { json_schema?: { name?: string } };
  };
}

export class FakeOpenAI {
  readonly requests: ReceivedRequest[] = [];
  readonly leaks: string[] = [];
  /** Structured answer for requests no behaviour was scripted for; by schema name. */
  answer: (schemaName: string, request: ReceivedRequest) => unknown = () => ({});
  /** What every later request must not contain (names, phones, e-mails, identity codes, IBANs, addresses). */
  private forbidden: string[] = [];
  private script: Behaviour[] = [];
  /** Used for every request while set (a model that is down), after the script. */
  always: Behaviour | undefined;
  private server: Server | undefined;
  private timers = new Set<NodeJS.Timeout>();

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.route(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  forbid(...samples: string[]): void {
    this.forbidden.push(...samples.filter((s) => s.trim().length >= 3));
  }

  next(...behaviours: Behaviour[]): void {
    this.script.push(...behaviours);
  }

  assertNoLeaks(): void {
    if (this.leaks.length) throw new Error(`un-redacted personal data reached the model: ${this.leaks.join(', ')}`);
  }

  /** The user message of each request: what the model was shown. */
  get shown(): string[] {
    return this.requests.map((r) => r.body.messages?.find((m) => m.role === 'user')?.content ?? '');
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions'))
      return send(res, 404, { error: { message: 'not found' } });
    let body: ReceivedRequest['body'];
    try {
      body = JSON.parse(raw);
    } catch {
      return send(res, 400, { error: { message: 'bad json' } });
    }
    const received = { at: Date.now(), raw, body };
    this.requests.push(received);
    this.checkLeaks(raw);
    const behaviour = this.script.shift() ?? this.always;
    const schema = body.response_format?.json_schema?.name ?? '';
    const b: Behaviour = behaviour ?? { kind: 'json', content: this.answer(schema, received) };
    switch (b.kind) {
      case 'json':
        return send(
          res,
          200,
          completion(body.model, { content: JSON.stringify(b.content), refusal: null }, b.tokens ?? 120),
        );
      case 'refusal':
        return send(
          res,
          200,
          completion(body.model, { content: null, refusal: b.text ?? "I can't help with that." }, 20),
        );
      case 'malformed':
        return send(res, 200, completion(body.model, { content: '{"risk": "high", "topics": [', refusal: null }, 30));
      case 'status':
        return send(
          res,
          b.status,
          { error: { message: `fake ${b.status}`, type: 'fake' } },
          b.retryAfter ? { 'retry-after': b.retryAfter } : {},
        );
      case 'hang': {
        const t = setTimeout(() => {
          this.timers.delete(t);
          if (!res.writableEnded && !res.destroyed)
            send(res, 200, completion(body.model, { content: '{}', refusal: null }, 1));
        }, b.ms);
        this.timers.add(t);
      }
    }
  }

  /** Exact, case-insensitive, and for numbers also without their spaces and dashes. */
  private checkLeaks(raw: string): void {
    // Compared on the parsed strings, so a name with "ä" or in Cyrillic is matched as written, not escaped.
    const decoded = strings(JSON.parse(raw)).join('\n').toLowerCase();
    const digits = decoded.replace(/[\s-]/g, '');
    for (const s of this.forbidden) {
      const needle = s.toLowerCase();
      const bare = needle.replace(/[\s-]/g, '');
      const numeric = /\d{5,}/.test(bare);
      if (decoded.includes(needle) || (numeric && digits.includes(bare))) this.leaks.push(s);
    }
  }
}

function completion(
  model: string | undefined,
  message: { content: string | null; refusal: string | null },
  tokens: number,
) {
  return {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: model ?? 'fake',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: tokens - 10, completion_tokens: 10, total_tokens: tokens },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}
