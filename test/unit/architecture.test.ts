import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/app.ts';

/*
 * The dependency rules (who may import whom) are dependency-cruiser's: .dependency-cruiser.cjs,
 * run by scripts/test.sh before the tests. What it cannot see, reading the environment, is checked here.
 */

function sources(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(relative(PROJECT_ROOT, full));
    }
  };
  walk(join(PROJECT_ROOT, dir));
  return out;
}

describe('configuration', () => {
  it('no code outside src/config.ts reads process.env', () => {
    const files = [...sources('src'), ...sources('flows'), ...sources('adapters')].filter((f) => f !== 'src/config.ts');
    const readers = files.filter((f) =>
      /process\.env(?!\s*,)/.test(readFileSync(join(PROJECT_ROOT, f), 'utf8').replace(/\{ \.\.\.process\.env/g, '')),
    );
    expect(readers).toEqual([]);
  });
});
