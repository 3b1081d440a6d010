import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/app.ts';

/** Every .ts file under a folder, with the modules it imports (resolved to project paths where relative). */
function sources(dir: string): { file: string; imports: string[] }[] {
  const out: { file: string; imports: string[] }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
        const text = readFileSync(full, 'utf8');
        const imports = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'|import\('([^']+)'\)/g)].map((m) => {
          const spec = (m[1] ?? m[2])!;
          return spec.startsWith('.') ? relative(PROJECT_ROOT, resolve(dirname(full), spec)) : spec;
        });
        out.push({ file: relative(PROJECT_ROOT, full), imports });
      }
    }
  };
  walk(join(PROJECT_ROOT, dir));
  return out;
}

const SDKS = /^(telegraf|@slack\/|mongoose|mongodb|openai|node-cron|pino)/;
const offenders = (files: ReturnType<typeof sources>, bad: (imp: string, file: string) => boolean) =>
  files.flatMap((f) => f.imports.filter((i) => bad(i, f.file)).map((i) => `${f.file} -> ${i}`));

describe('dependency rules', () => {
  it('src/core imports nothing of ours outside itself, and no platform SDK', () => {
    expect(offenders(sources('src/core'), (i) => SDKS.test(i) || (!i.startsWith('src/core') && !/^(zod|luxon|node:)/.test(i)))).toEqual([]);
  });

  it('flows and the engine know no platform, database or SDK', () => {
    const files = [...sources('flows'), ...sources('src/engine')];
    expect(offenders(files, (i) => SDKS.test(i) || i.startsWith('adapters/'))).toEqual([]);
    expect(offenders(sources('flows'), (i) => i.startsWith('src/') && !i.startsWith('src/core/'))).toEqual([]);
  });

  it('each adapter imports src/core and its own SDK, never flows or another adapter', () => {
    const files = sources('adapters');
    expect(
      offenders(files, (i, file) => {
        const own = file.split('/')[1];
        return i.startsWith('flows/') || (i.startsWith('adapters/') && !i.startsWith(`adapters/${own}/`)) || (i.startsWith('src/') && !i.startsWith('src/core/'));
      }),
    ).toEqual([]);
  });

  it('only the composition root and main import adapters', () => {
    expect(offenders(sources('src'), (i, file) => i.startsWith('adapters/') && !['src/app.ts', 'src/main.ts'].includes(file))).toEqual([]);
  });

  it('no code outside src/config.ts reads process.env', () => {
    const files = [...sources('src'), ...sources('flows'), ...sources('adapters')].filter((f) => f.file !== 'src/config.ts');
    const readers = files.filter((f) => /process\.env(?!\s*,)/.test(readFileSync(join(PROJECT_ROOT, f.file), 'utf8').replace(/\{ \.\.\.process\.env/g, '')));
    expect(readers.map((f) => f.file)).toEqual([]);
  });
});
