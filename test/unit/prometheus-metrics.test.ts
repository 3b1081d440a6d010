import { describe, expect, it } from 'vitest';
import { PrometheusMetrics } from '../../adapters/metrics/prometheus.adapter.ts';
import { seriesBy } from '../../src/core/metrics.ts';

/** The value of one sample line of the exposition, e.g. `x_total{platform="telegram"}`. */
function sample(body: string, series: string): number | undefined {
  const line = body.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('the Prometheus metrics adapter', () => {
  it('exposes counters, gauges and histograms with their labels and values after some counts', async () => {
    const m = new PrometheusMetrics({ defaults: false });
    const sent = seriesBy(m.counter({ name: 't_sent_total', help: 'sent', labels: ['platform'] }), 'platform');
    sent('telegram').inc();
    sent('telegram').inc(2);
    sent('slack').inc();
    m.gauge({ name: 't_due', help: 'due' }).with({}).set(7);
    const seconds = m.histogram({ name: 't_seconds', help: 'time', labels: ['platform'], buckets: [0.1, 1] });
    seconds.with({ platform: 'telegram' }).observe(0.05);
    seconds.with({ platform: 'telegram' }).observe(0.5);

    const { body, contentType } = await m.exposition();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toContain('# HELP t_sent_total sent');
    expect(body).toContain('# TYPE t_sent_total counter');
    expect(sample(body, 't_sent_total{platform="telegram"}')).toBe(3);
    expect(sample(body, 't_sent_total{platform="slack"}')).toBe(1);
    expect(sample(body, 't_due')).toBe(7);
    expect(sample(body, 't_seconds_bucket{le="0.1",platform="telegram"}')).toBe(1);
    expect(sample(body, 't_seconds_bucket{le="1",platform="telegram"}')).toBe(2);
    expect(sample(body, 't_seconds_count{platform="telegram"}')).toBe(2);
  });

  it('reads a collected gauge at each scrape', async () => {
    const m = new PrometheusMetrics({ defaults: false });
    let tokens = 10;
    m.gauge({ name: 't_tokens', help: 'tokens', collect: (set) => set({}, tokens) });
    expect(sample((await m.exposition()).body, 't_tokens')).toBe(10);
    tokens = 250;
    expect(sample((await m.exposition()).body, 't_tokens')).toBe(250);
  });

  it('gives the same metric for the same name, so two components can share one', async () => {
    const m = new PrometheusMetrics({ defaults: false });
    const spec = { name: 't_limited_total', help: '429s', labels: ['platform', 'source'] as const };
    m.counter(spec).with({ platform: 'telegram', source: 'reply' }).inc();
    m.counter(spec).with({ platform: 'telegram', source: 'outbox' }).inc();
    m.counter(spec).with({ platform: 'telegram', source: 'reply' }).inc();
    const { body } = await m.exposition();
    expect(sample(body, 't_limited_total{platform="telegram",source="reply"}')).toBe(2);
    expect(sample(body, 't_limited_total{platform="telegram",source="outbox"}')).toBe(1);
  });

  it('includes the process metrics (RSS, event loop lag) by default', async () => {
    const { body } = await new PrometheusMetrics().exposition();
    expect(body).toContain('process_resident_memory_bytes');
    expect(body).toContain('nodejs_eventloop_lag_seconds');
  });
});
