import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { OpenAiAdapter, type OpenAiOptions } from '../../adapters/openai/openai.adapter.ts';
import type { AiRequest } from '../../src/core/ports.ts';
import { FakeOpenAI } from '../fakes/openai.ts';
import { ManualClock } from '../support/clock.ts';
import { recordingLogger } from '../support/logger.ts';

const Triage = z.object({ risk: z.enum(['none', 'low', 'high']), topics: z.array(z.string()), reason: z.string() });
const request: AiRequest<z.infer<typeof Triage>> = {
  feature: 'triage',
  system: 'Classify.',
  user: '[ACTOR] wants to quit.',
  schema: Triage,
  schemaName: 'triage',
};
const high = { risk: 'high', topics: ['wants_to_quit'], reason: 'She wants to quit.' };

describe('the OpenAI adapter against an OpenAI-compatible fake', () => {
  const fake = new FakeOpenAI();
  const clock = new ManualClock(new Date('2027-03-01T10:00:00Z'));
  let baseURL: string;
  const adapter = (over: Partial<OpenAiOptions> = {}) =>
    new OpenAiAdapter({
      apiKey: 'test-key',
      baseURL,
      model: 'fake-model',
      features: ['triage'],
      dailyTokens: 10_000,
      clock,
      logger: recordingLogger(),
      timeoutMs: 400,
      ...over,
    });

  beforeAll(async () => {
    baseURL = await fake.start();
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.always = undefined;
  });

  it('sends a strict JSON schema and returns the answer parsed by zod, with its tokens', async () => {
    fake.next({ kind: 'json', content: high, tokens: 150 });
    const r = await adapter().complete(request);
    expect(r).toEqual({ ok: true, value: high, tokens: 150 });
    const body = fake.requests[0]!.body as {
      model: string;
      response_format: { type: string; json_schema: { strict: boolean; schema: { required: string[] } } };
    };
    expect(body.model).toBe('fake-model');
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.strict).toBe(true);
    expect(body.response_format.json_schema.schema.required).toEqual(['risk', 'topics', 'reason']);
  });

  it('a refusal, malformed JSON and an answer outside the schema are failures, not retried', async () => {
    const ai = adapter();
    fake.next(
      { kind: 'refusal' },
      { kind: 'malformed' },
      { kind: 'json', content: { risk: 'extreme', topics: [], reason: '' } },
    );
    expect(await ai.complete(request)).toEqual({ ok: false, reason: 'refused' });
    expect(await ai.complete(request)).toEqual({ ok: false, reason: 'invalid' });
    expect(await ai.complete(request)).toEqual({ ok: false, reason: 'invalid' });
    expect(fake.requests).toHaveLength(3);
  });

  it('honours retry-after on a 429 and retries once', async () => {
    fake.next({ kind: 'status', status: 429, retryAfter: '1' }, { kind: 'json', content: high });
    const started = Date.now();
    const r = await adapter().complete(request);
    expect(r.ok).toBe(true);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('does not wait out a long retry-after: the fallback answers at once', async () => {
    fake.next({ kind: 'status', status: 429, retryAfter: '3600' });
    expect(await adapter().complete(request)).toEqual({ ok: false, reason: 'rate_limited' });
    expect(fake.requests).toHaveLength(1);
  });

  it('a 500 is retried once, then given up', async () => {
    fake.next({ kind: 'status', status: 500 }, { kind: 'status', status: 500 });
    expect(await adapter().complete(request)).toEqual({ ok: false, reason: 'failed' });
    expect(fake.requests).toHaveLength(2);
  });

  it('times out, retries once, then gives up', async () => {
    fake.next({ kind: 'hang', ms: 2_000 }, { kind: 'hang', ms: 2_000 });
    const started = Date.now();
    expect(await adapter().complete(request)).toEqual({ ok: false, reason: 'timeout' });
    expect(fake.requests).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1_800);
  });

  it('opens the circuit after repeated failures, and one trial call closes it again', async () => {
    const ai = adapter({ breaker: { failures: 2, openMs: 60_000 } });
    fake.always = { kind: 'status', status: 503 };
    await ai.complete(request);
    await ai.complete(request);
    const sent = fake.requests.length;
    expect(await ai.complete(request)).toEqual({ ok: false, reason: 'circuit_open' });
    expect(fake.requests).toHaveLength(sent);
    expect(ai.stats().circuit).toBe('open');
    clock.advance(61_000);
    fake.always = undefined;
    fake.next({ kind: 'json', content: high });
    expect((await ai.complete(request)).ok).toBe(true);
    expect(ai.stats().circuit).toBe('closed');
  });

  it('stops at the daily token budget counted from usage, and starts again the next day', async () => {
    const ai = adapter({ dailyTokens: 200 });
    fake.next({ kind: 'json', content: high, tokens: 150 }, { kind: 'json', content: high, tokens: 150 });
    expect((await ai.complete(request)).ok).toBe(true);
    expect((await ai.complete(request)).ok).toBe(true);
    expect(await ai.complete(request)).toEqual({ ok: false, reason: 'budget' });
    expect(fake.requests).toHaveLength(2);
    clock.advance(86_400_000);
    fake.next({ kind: 'json', content: high, tokens: 150 });
    expect((await ai.complete(request)).ok).toBe(true);
  });

  it('a feature left out of AI_FEATURES sends nothing', async () => {
    expect(await adapter({ features: [] }).complete(request)).toEqual({ ok: false, reason: 'disabled' });
    expect(fake.requests).toHaveLength(0);
  });

  it('the fake notices personal data in a request, however it is spaced or escaped', async () => {
    const watcher = new FakeOpenAI();
    const url = await watcher.start();
    try {
      watcher.forbid('Liisa Virtanen', '+358 40 765 4321');
      await adapter({ baseURL: url }).complete({
        ...request,
        user: 'LIISA VIRTANEN soitti numerosta 0407654321, +358407654321',
      });
      expect(watcher.leaks).toEqual(['Liisa Virtanen', '+358 40 765 4321']);
      expect(() => watcher.assertNoLeaks()).toThrow(/un-redacted/);
    } finally {
      await watcher.stop();
    }
  });
});
