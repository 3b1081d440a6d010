import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type {
  CounterSeries,
  GaugeSeries,
  HistogramSeries,
  MetricFamily,
  Metrics,
  MetricSpec,
} from '../../src/core/ports.ts';

type Labels<L extends string> = Readonly<Record<L, string>>;

/** Seconds: a reply within 50 ms is normal, a handling past 10 s is a fault worth seeing. */
const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The metrics port over prom-client, on a registry of its own (several apps in one process, as in the
 * tests, do not share counters). Series are made once per label values and kept, so a count on a hot
 * path is one method call on an object already made.
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly families = new Map<string, MetricFamily<unknown, string>>();

  /** `defaults`: the process metrics of prom-client (RSS, CPU, event loop lag, heap, handles). */
  constructor(opts: { defaults?: boolean } = {}) {
    if (opts.defaults !== false) collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string = never>(spec: MetricSpec<L>): MetricFamily<CounterSeries, L> {
    return this.family(spec, () => {
      const c = new Counter({ ...this.base(spec), registers: [this.registry] });
      return (labels) => {
        const child = spec.labels?.length ? c.labels(labels) : c;
        return { inc: (by?: number) => child.inc(by ?? 1) };
      };
    });
  }

  gauge<L extends string = never>(
    spec: MetricSpec<L> & { collect?: (set: (labels: Labels<L>, value: number) => void) => void },
  ): MetricFamily<GaugeSeries, L> {
    return this.family(spec, () => {
      const collect = spec.collect;
      const g: Gauge<L> = new Gauge<L>({
        ...this.base(spec),
        registers: [this.registry],
        ...(collect
          ? {
              collect() {
                collect((labels, value) => (spec.labels?.length ? g.set(labels, value) : g.set(value)));
              },
            }
          : {}),
      });
      return (labels) => {
        const child = spec.labels?.length ? g.labels(labels) : g;
        return { set: (value: number) => child.set(value) };
      };
    });
  }

  histogram<L extends string = never>(
    spec: MetricSpec<L> & { buckets?: readonly number[] },
  ): MetricFamily<HistogramSeries, L> {
    return this.family(spec, () => {
      const h = new Histogram({
        ...this.base(spec),
        buckets: [...(spec.buckets ?? DEFAULT_BUCKETS)],
        registers: [this.registry],
      });
      return (labels) => {
        const child = spec.labels?.length ? h.labels(labels) : h;
        return { observe: (value: number) => child.observe(value) };
      };
    });
  }

  /** The text exposition format, and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private base<L extends string>(spec: MetricSpec<L>) {
    return { name: spec.name, help: spec.help, labelNames: [...(spec.labels ?? [])] as L[] };
  }

  /** The metric of this name, made once; its series made once per label values. */
  private family<S, L extends string>(spec: MetricSpec<L>, make: () => (labels: Labels<L>) => S): MetricFamily<S, L> {
    const known = this.families.get(spec.name);
    if (known) return known as MetricFamily<S, L>;
    const seriesOf = make();
    const series = new Map<string, S>();
    const names = spec.labels ?? [];
    const family: MetricFamily<S, L> = {
      with: (labels) => {
        const key = names.map((n) => labels[n]).join('\u0000');
        let s = series.get(key);
        if (!s) {
          s = seriesOf(labels);
          series.set(key, s);
        }
        return s;
      },
    };
    this.families.set(spec.name, family as MetricFamily<unknown, string>);
    return family;
  }
}
