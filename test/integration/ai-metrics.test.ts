import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PrometheusMetrics } from '../../adapters/metrics/prometheus.adapter.ts';
import { OpenAiAdapter, type OpenAiOptions } from '../../adapters/openai/openai.adapter.ts';
import type { AiRequest } from '../../src/core/ports.ts';
import { FakeOpenAI } from '../fakes/openai.ts';
import { ManualClock } from '../support/clock.ts';
import { recordingLogger } from '../support/logger.ts';

const Risk = z.object({ risk: z.enum(['none', 'low', 'high']), reason: z.string() });
const request: AiRequest<z.infer<typeof Risk>> = {
  feature: 'triage',
  system: 'Classify.',
  user: '[ACTOR] is tired.',
  schema: Risk,
  schemaName: 'triage',
};

function sample(body: string, series: string): number {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('the AI limits in the metrics', () => {
  const fake = new FakeOpenAI();
  const clock = new ManualClock(new Date('2027-03-01T10:00:00Z'));
  let baseURL: string;
  const setUp = (over: Partial<OpenAiOptions> = {}) => {
    const metrics = new PrometheusMetrics({ defaults: false });
    const ai = new OpenAiAdapter({
      apiKey: 'test-key',
      baseURL,
      model: 'fake-model',
      features: ['triage', 'digest'],
      dailyTokens: 10_000,
      clock,
      logger: recordingLogger(),
      timeoutMs: 400,
      metrics,
      ...over,
    });
    return { ai, scrape: async () => (await metrics.exposition()).body };
  };
  const triage = (outcome: string) => `womento_ai_requests_total{feature="triage",outcome="${outcome}"}`;

  beforeAll(async () => {
    baseURL = await fake.start();
  });
  afterAll(() => fake.stop());

  it('a failing model moves the error counter, then opens the breaker: gauge 1, breaker_open counted', async () => {
    const { ai, scrape } = setUp({ breaker: { failures: 2, openMs: 60_000 } });
    expect(sample(await scrape(), 'womento_ai_circuit_open')).toBe(0);
    fake.always = { kind: 'status', status: 500 };
    try {
      await ai.complete(request);
      await ai.complete(request);
      expect(await ai.complete(request)).toEqual({ ok: false, reason: 'circuit_open' });
    } finally {
      fake.always = undefined;
    }
    const body = await scrape();
    expect(sample(body, triage('error'))).toBe(2);
    expect(sample(body, triage('breaker_open'))).toBe(1);
    expect(sample(body, triage('ok'))).toBe(0);
    expect(sample(body, 'womento_ai_circuit_open')).toBe(1);

    // After its open time one trial call goes; its success closes the breaker again.
    clock.advance(61_000);
    fake.next({ kind: 'json', content: { risk: 'low', reason: 'Tired.' }, tokens: 40 });
    expect((await ai.complete(request)).ok).toBe(true);
    const after = await scrape();
    expect(sample(after, 'womento_ai_circuit_open')).toBe(0);
    expect(sample(after, triage('ok'))).toBe(1);
  });

  it('shows the tokens used today against the budget, and the requests refused by it', async () => {
    const { ai, scrape } = setUp({ dailyTokens: 100 });
    fake.next({ kind: 'json', content: { risk: 'none', reason: 'Fine.' }, tokens: 120 });
    expect((await ai.complete(request)).ok).toBe(true);
    expect(await ai.complete({ ...request, feature: 'digest' })).toEqual({ ok: false, reason: 'budget' });
    const body = await scrape();
    expect(sample(body, 'womento_ai_tokens_today')).toBe(120);
    expect(sample(body, 'womento_ai_tokens_budget')).toBe(100);
    expect(sample(body, 'womento_ai_requests_total{feature="digest",outcome="budget_exhausted"}')).toBe(1);
    // A new day (UTC): the count starts again.
    clock.advance(86_400_000);
    expect(sample(await scrape(), 'womento_ai_tokens_today')).toBe(0);
  });

  it('a refusal and an answer outside the schema are counted as such', async () => {
    const { ai, scrape } = setUp();
    fake.next({ kind: 'refusal' }, { kind: 'malformed' });
    await ai.complete(request);
    await ai.complete(request);
    const body = await scrape();
    expect(sample(body, triage('refused'))).toBe(1);
    expect(sample(body, triage('invalid'))).toBe(1);
  });
});
