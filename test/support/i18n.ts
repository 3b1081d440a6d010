import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/app.ts';
import { t } from '../../src/core/flow.ts';
import type { Locale } from '../../src/core/model.ts';
import { createTranslator, loadResources } from '../../src/engine/i18n.ts';

/** The project's own translations, so tests find buttons and replies as a person reads them. */
export const i18n = createTranslator(loadResources(join(PROJECT_ROOT, 'locales')));
export const L = (lng: Locale, key: string, params?: Record<string, string | number>) =>
  i18n.render(t(key, params), lng);
