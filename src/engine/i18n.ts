import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next, { type i18n } from 'i18next';
import type { Param, Text } from '../core/flow.ts';
import { LOCALES, type Locale } from '../core/model.ts';

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Reads `locales/<lng>/<namespace>.json`. */
export function loadResources(dir: string): Resources {
  const resources: Resources = {};
  for (const lng of readdirSync(dir)) {
    resources[lng] = {};
    for (const file of readdirSync(join(dir, lng)).filter((f) => f.endsWith('.json'))) {
      resources[lng]![file.slice(0, -5)] = JSON.parse(readFileSync(join(dir, lng, file), 'utf8'));
    }
  }
  return resources;
}

const FSI = '\u2068';
const PDI = '\u2069';

/**
 * In right-to-left text, runs of Latin letters and digits (names, numbers, /commands, dates)
 * are wrapped in first-strong isolates so the surrounding Arabic does not reorder them.
 */
export function isolateLtrRuns(text: string): string {
  // A link is one run: isolate marks inside it would break it.
  // `/` or `@` begins a command or handle only after a space: in a date ("1\u200f/10\u200f/2027") it is a separator.
  return text.replace(
    /https?:\/\/\S+|(?:(?<!\S)[/@])?[A-Za-z0-9\u00C0-\u024F](?:[A-Za-z0-9\u00C0-\u024F .,:/@'_-]*[A-Za-z0-9\u00C0-\u024F])?/g,
    (run) => FSI + run + PDI,
  );
}

/** "Thu 3.12. 17:30" in the reader's conventions; the zone is named when it is not Finland's. */
export function formatDate(iso: string, timeZone: string, locale: Locale, dayOnly = false): string {
  const tag = locale === 'fi' ? 'fi-FI' : locale === 'en' ? 'en-GB' : locale;
  const clock = dayOnly ? {} : ({ weekday: 'short', hour: '2-digit', minute: '2-digit' } as const);
  const text = new Intl.DateTimeFormat(tag, {
    day: 'numeric',
    month: 'numeric',
    year: 'numeric',
    ...clock,
    timeZone,
  }).format(new Date(iso));
  if (dayOnly) return text;
  return timeZone === 'Europe/Helsinki' ? text : `${text} (${timeZone})`;
}

export interface Translator {
  render(text: Text, locale: Locale): string;
  isRtl(locale: Locale): boolean;
}

export function createTranslator(resources: Resources): Translator {
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources,
    lng: 'en',
    fallbackLng: 'en',
    supportedLngs: [...LOCALES],
    ns: Object.keys(resources.en ?? {}),
    defaultNS: 'common',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const isRtl = (locale: Locale) => instance.dir(locale) === 'rtl';

  const raw = (text: Text, locale: Locale): string => {
    if ('literal' in text) return text.literal;
    const params: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(text.params ?? {})) params[name] = param(value, locale);
    return instance.t(text.key, { ...params, lng: typeof params.lng === 'string' ? params.lng : locale }) as string;
  };
  const param = (value: Param, locale: Locale): string | number => {
    if (typeof value === 'string' || typeof value === 'number') return value;
    if (Array.isArray(value))
      return new Intl.ListFormat(locale, { type: 'conjunction' }).format(value.map((v) => raw(v, locale)));
    if ('date' in value) return formatDate(value.date, value.timeZone, locale, value.dayOnly);
    return raw(value, locale);
  };

  return {
    render(text, locale) {
      const out = raw(text, locale);
      return isRtl(locale) ? isolateLtrRuns(out) : out;
    },
    isRtl,
  };
}
