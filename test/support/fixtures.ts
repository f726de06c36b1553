// Where the shared fixtures live. Tests never name an absolute path: the root is `../shared/fixtures` beside the
// checkout (as CI lays it out), or whatever ROLLOUT_LENS_FIXTURES says. When a folder is absent, tests that need it
// are skipped with the reason instead of failing with ENOENT.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Project root: the folder holding package.json (tests run from it; scripts/test-*.mjs make sure of that). */
export const PROJECT_ROOT: string = resolve(__dirname, '..', '..');

export const FIXTURES_ROOT: string = resolve(process.env.ROLLOUT_LENS_FIXTURES ?? join(PROJECT_ROOT, '..', 'shared', 'fixtures'));
export const REAL: string = join(FIXTURES_ROOT, 'real');
export const REAL2: string = join(FIXTURES_ROOT, 'real2');
export const PEER: string = join(FIXTURES_ROOT, 'peer');

/** A path below the fixture root: `fixture('real2', 'verl-hecate', '2.jsonl')`. */
export function fixture(...parts: string[]): string {
  return join(FIXTURES_ROOT, ...parts);
}

/**
 * For node:test's `skip` option: false when every path exists, else the reason, so a clone without ../shared
 * reports the test as skipped rather than failing. `test('…', { skip: needFixtures(REAL2) }, …)`.
 */
export function needFixtures(...paths: string[]): string | false {
  const missing = paths.filter((p) => !existsSync(p));
  return missing.length === 0 ? false : `shared fixtures not found: ${missing.join(', ')} (set ROLLOUT_LENS_FIXTURES)`;
}

/** Every .json / .jsonl file below `dir`, recursively. */
export function jsonFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? jsonFilesUnder(p) : /\.jsonl?$/.test(n) ? [p] : [];
  });
}

/** Every string of at least `minLength` characters anywhere in a parsed JSON value, appended to `out`. */
export function stringsIn(v: unknown, minLength: number, out: string[]): void {
  if (typeof v === 'string') {
    if (v.length >= minLength) out.push(v);
  } else if (Array.isArray(v)) for (const x of v) stringsIn(x, minLength, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) stringsIn(x, minLength, out);
}
