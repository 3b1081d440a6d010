import OpenAI from 'openai';
import { ContentFilterFinishReasonError } from 'openai/error';
import { zodResponseFormat } from 'openai/helpers/zod';
import {
  type AiFailure,
  type AiFeature,
  type AiPort,
  type AiRequest,
  type AiResult,
  type Clock,
  type CounterSeries,
  type Logger,
  type Metrics,
  NO_METRICS,
} from '../../src/core/ports.ts';
import { CircuitBreaker } from './circuit-breaker.ts';

export interface OpenAiOptions {
  apiKey: string;
  /** Azure, a local OpenAI-compatible server, the tests' fake; the SDK's default without it. */
  baseURL?: string;
  model: string;
  features: readonly AiFeature[];
  /** Tokens a day (UTC) counted from the answers' `usage`; past it the fallbacks serve until midnight. */
  dailyTokens: number;
  clock: Clock;
  logger: Logger;
  timeoutMs?: number;
  /** A 429 asking to wait longer than this is not retried: the fallback answers now instead. */
  maxRetryAfterMs?: number;
  breaker?: { failures: number; openMs: number };
  /** Requests by feature and outcome, tokens used today, the breaker's state. */
  metrics?: Metrics;
}

/** What a request came to, as /metrics names it. */
const OUTCOME: Record<Exclude<AiFailure, 'disabled'>, string> = {
  budget: 'budget_exhausted',
  circuit_open: 'breaker_open',
  timeout: 'timeout',
  rate_limited: 'rate_limited',
  refused: 'refused',
  invalid: 'invalid',
  failed: 'error',
};

const DAY = 86_400_000;
type Attempt<T> =
  | { ok: true; value: T; tokens: number }
  | { ok: false; reason: AiFailure; retryInMs?: number; tokens?: number };

/**
 * The AI port over the official SDK: `chat.completions.parse` with a zod response format. The SDK's own
 * retries (two) and timeout (ten minutes) are replaced by ours: 15 s, at most one retry, and a 429's
 * `retry-after` honoured when it is short.
 */
export class OpenAiAdapter implements AiPort {
  private readonly client: OpenAI;
  private readonly breaker: CircuitBreaker;
  private day = -1;
  private used = 0;
  private readonly requests: (feature: AiFeature, outcome: string) => CounterSeries;

  constructor(private readonly o: OpenAiOptions) {
    this.client = new OpenAI({
      apiKey: o.apiKey,
      ...(o.baseURL ? { baseURL: o.baseURL } : {}),
      timeout: o.timeoutMs ?? 15_000,
      maxRetries: 0,
    });
    this.breaker = new CircuitBreaker(o.breaker?.failures ?? 3, o.breaker?.openMs ?? 60_000);
    this.requests = this.instrument(o.metrics ?? NO_METRICS);
  }

  /** The request counter's series, made up front (a handful); the gauges are read from stats() at each scrape. */
  private instrument(metrics: Metrics): (feature: AiFeature, outcome: string) => CounterSeries {
    const family = metrics.counter({
      name: 'womento_ai_requests_total',
      help:
        'Requests for a model answer, by feature and outcome (ok, refused, invalid, timeout, rate_limited, ' +
        'error, breaker_open, budget_exhausted)',
      labels: ['feature', 'outcome'],
    });
    const series = new Map<string, CounterSeries>();
    for (const feature of this.o.features)
      for (const outcome of ['ok', ...Object.values(OUTCOME)])
        series.set(`${feature}:${outcome}`, family.with({ feature, outcome }));
    metrics.gauge({
      name: 'womento_ai_tokens_today',
      help: "Tokens used today (UTC) by all AI calls together, counted from the answers' usage",
      collect: (set) => set({}, this.stats().tokensToday),
    });
    metrics
      .gauge({ name: 'womento_ai_tokens_budget', help: 'Tokens a day allowed for AI calls (AI_DAILY_TOKENS)' })
      .with({})
      .set(this.o.dailyTokens);
    metrics.gauge({
      name: 'womento_ai_circuit_open',
      help: 'The AI circuit breaker: 0 closed, 1 open (or half open, waiting for its trial call)',
      collect: (set) => set({}, this.stats().circuit === 'closed' ? 0 : 1),
    });
    return (feature, outcome) => series.get(`${feature}:${outcome}`) ?? family.with({ feature, outcome });
  }

  enabled(feature: AiFeature): boolean {
    return this.o.features.includes(feature);
  }

  /** Tokens used today and whether the breaker is open, for logs and reports. */
  stats(): { tokensToday: number; circuit: 'closed' | 'open' | 'half_open' } {
    const now = this.o.clock.now().getTime();
    this.rollDay(now);
    return { tokensToday: this.used, circuit: this.breaker.state(now) };
  }

  async complete<T>(request: AiRequest<T>): Promise<AiResult<T>> {
    const result = await this.completeOnce(request);
    if (result.ok) this.requests(request.feature, 'ok').inc();
    else if (result.reason !== 'disabled') this.requests(request.feature, OUTCOME[result.reason]).inc();
    return result;
  }

  private async completeOnce<T>(request: AiRequest<T>): Promise<AiResult<T>> {
    const log = this.o.logger.child({ component: 'ai', feature: request.feature });
    if (!this.enabled(request.feature)) return { ok: false, reason: 'disabled' };
    const now = this.o.clock.now().getTime();
    this.rollDay(now);
    if (this.used >= this.o.dailyTokens) {
      log.warn({ tokensToday: this.used, budget: this.o.dailyTokens }, 'daily AI token budget used up: fallback');
      return { ok: false, reason: 'budget' };
    }
    if (!this.breaker.allow(now)) {
      log.info({}, 'AI circuit open: fallback');
      return { ok: false, reason: 'circuit_open' };
    }
    // Only redacted text reaches this port, so it is what the debug log shows.
    log.debug({ text: request.user }, 'asking the model');
    let result = await this.attempt(request);
    this.used += result.tokens ?? 0;
    const maxWait = this.o.maxRetryAfterMs ?? 20_000;
    if (!result.ok && result.retryInMs !== undefined && result.retryInMs <= maxWait) {
      const wait = result.retryInMs;
      log.info({ reason: result.reason, retryInMs: wait }, 'AI call failed: one retry');
      await new Promise((r) => setTimeout(r, wait));
      result = await this.attempt(request);
      this.used += result.tokens ?? 0;
    }
    const after = this.o.clock.now().getTime();
    if (result.ok) {
      this.breaker.success();
      log.info({ tokens: result.tokens, tokensToday: this.used }, 'AI answer');
      return { ok: true, value: result.value, tokens: result.tokens };
    }
    // A refusal is the model working as meant; everything else counts towards opening the breaker.
    if (result.reason !== 'refused' && this.breaker.failure(after))
      log.warn({ reason: result.reason }, 'AI circuit opened after repeated failures');
    log.warn({ reason: result.reason }, 'AI call failed: fallback');
    return { ok: false, reason: result.reason };
  }

  private rollDay(now: number): void {
    const day = Math.floor(now / DAY);
    if (day !== this.day) {
      this.day = day;
      this.used = 0;
    }
  }

  private async attempt<T>(request: AiRequest<T>): Promise<Attempt<T>> {
    try {
      const completion = await this.client.chat.completions.parse({
        model: this.o.model,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.user },
        ],
        response_format: zodResponseFormat(request.schema, request.schemaName),
      });
      const tokens = completion.usage?.total_tokens ?? 0;
      const message = completion.choices[0]?.message;
      if (message?.refusal) return { ok: false, reason: 'refused', tokens };
      const parsed = message?.parsed;
      if (parsed === null || parsed === undefined) return { ok: false, reason: 'invalid', tokens };
      return { ok: true, value: parsed as T, tokens };
    } catch (err) {
      return classify(err);
    }
  }
}

/** What a thrown SDK error means for us, and when a retry may come. */
function classify(err: unknown): { ok: false; reason: AiFailure; retryInMs?: number } {
  if (err instanceof OpenAI.APIConnectionTimeoutError) return { ok: false, reason: 'timeout', retryInMs: 0 };
  if (err instanceof OpenAI.APIConnectionError) return { ok: false, reason: 'failed', retryInMs: 500 };
  if (err instanceof OpenAI.RateLimitError)
    return { ok: false, reason: 'rate_limited', retryInMs: retryAfter(err.headers) ?? 1_000 };
  if (err instanceof OpenAI.APIError && (err.status ?? 0) >= 500)
    return { ok: false, reason: 'failed', retryInMs: 500 };
  if (err instanceof OpenAI.APIError) return { ok: false, reason: 'failed' };
  if (err instanceof ContentFilterFinishReasonError) return { ok: false, reason: 'refused' };
  // Malformed JSON (SyntaxError), an answer that does not fit the schema (ZodError), a cut-off answer.
  return { ok: false, reason: 'invalid' };
}

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date. */
export function retryAfter(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
