import type { MetricFamily } from './ports.ts';

/**
 * The series of a one-label metric by that label's value, each made once: on a hot path a count is a Map
 * lookup with a string already at hand, no object built per call.
 */
export function seriesBy<S, L extends string>(family: MetricFamily<S, L>, label: L): (value: string) => S {
  return perKey((value) => family.with({ [label]: value } as Record<L, string>));
}

/** Seconds since `startMs` (a `performance.now()` reading), for the duration histograms. */
export const secondsSince = (startMs: number) => (performance.now() - startMs) / 1000;

/** A bundle of series per key (a platform), made on first use and kept. */
export function perKey<T>(make: (key: string) => T): (key: string) => T {
  const made = new Map<string, T>();
  return (key) => {
    let bundle = made.get(key);
    if (bundle === undefined) {
      bundle = make(key);
      made.set(key, bundle);
    }
    return bundle;
  };
}
