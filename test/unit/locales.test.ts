import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/app.ts';
import { t } from '../../src/core/flow.ts';
import { LOCALES } from '../../src/core/model.ts';
import { createTranslator, isolateLtrRuns, loadResources } from '../../src/engine/i18n.ts';

const resources = loadResources(join(PROJECT_ROOT, 'locales'));
const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every key path of a nested object, e.g. "summary.line.name". */
function paths(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) =>
    v && typeof v === 'object' ? paths(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

describe('locales', () => {
  const english = resources.en!;

  it.each(LOCALES.filter((l) => l !== 'en'))('%s has every key English has, with its own plural forms', (lng) => {
    const categories = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
    for (const [ns, tree] of Object.entries(english)) {
      const mine = new Set(paths((resources[lng]?.[ns] ?? {}) as Record<string, unknown>));
      const missing: string[] = [];
      for (const key of paths(tree)) {
        if (!PLURAL.test(key)) {
          if (!mine.has(key)) missing.push(`${ns}:${key}`);
          continue;
        }
        const base = key.replace(PLURAL, '');
        for (const c of categories) if (!mine.has(`${base}_${c}`)) missing.push(`${ns}:${base}_${c}`);
      }
      expect(missing, `${lng} lacks`).toEqual([]);
    }
  });

  it.each(LOCALES)('%s keeps every {{placeholder}} of English', (lng) => {
    for (const [ns, tree] of Object.entries(english)) {
      const flat = (o: Record<string, unknown>) =>
        Object.fromEntries(
          paths(o).map((p) => [p, p.split('.').reduce<unknown>((a, k) => (a as Record<string, unknown>)?.[k], o)]),
        );
      const en = flat(tree);
      const mine = flat((resources[lng]?.[ns] ?? {}) as Record<string, unknown>);
      for (const [key, value] of Object.entries(mine)) {
        const enValue = en[key] ?? en[key.replace(PLURAL, '_other')];
        const want = new Set(String(enValue ?? '').match(/\{\{\w+\}\}/g) ?? []);
        const have = new Set(String(value).match(/\{\{\w+\}\}/g) ?? []);
        expect([...have].sort(), `${lng} ${ns}:${key}`).toEqual([...want].sort());
      }
    }
  });

  it("chooses plural forms by each language's rules", () => {
    const i18n = createTranslator(resources);
    const years = (lng: 'en' | 'ru' | 'ar', n: number) =>
      i18n.render(t('registration:summary.line.experience', { count: n }), lng);
    expect(years('en', 1)).not.toBe(years('en', 2).replace('2', '1'));
    // Russian: 1 год, 3 года, 5 лет: three different words.
    expect(new Set([years('ru', 1), years('ru', 3).replace('3', '1'), years('ru', 5).replace('5', '1')]).size).toBe(3);
    // Arabic distinguishes two, few (3-10) and many (11-99).
    expect(
      new Set([years('ar', 2), years('ar', 3), years('ar', 11)].map((s) => s.replace(/[\d\u2068\u2069]/g, ''))).size,
    ).toBe(3);
  });

  it('isolates Latin names, numbers and commands inside Arabic text', () => {
    expect(isolateLtrRuns('مرحبا Anna Smith، لديك 7 سنوات. أرسلي /start')).toBe(
      'مرحبا \u2068Anna Smith\u2069، لديك \u20687\u2069 سنوات. أرسلي \u2068/start\u2069',
    );
    // An Arabic date keeps its separators outside the numbers' isolates, so it reads 1/10/2027 from the right.
    expect(isolateLtrRuns('من 1\u200f/10\u200f/2027')).toBe(
      'من \u20681\u2069\u200f/\u206810\u2069\u200f/\u20682027\u2069',
    );
    // A link stays one piece, so it still opens.
    expect(isolateLtrRuns('انضمي هنا: https://t.me/+AbC_12-x?x=1')).toBe(
      'انضمي هنا: \u2068https://t.me/+AbC_12-x?x=1\u2069',
    );
    const i18n = createTranslator(resources);
    expect(i18n.isRtl('ar')).toBe(true);
    expect(i18n.isRtl('fi')).toBe(false);
    expect(i18n.render(t('registration:done.actor', { name: 'Anna' }), 'ar')).toContain('\u2068Anna\u2069');
    expect(i18n.render(t('registration:done.actor', { name: 'Anna' }), 'fi')).not.toContain('\u2068');
  });
});
