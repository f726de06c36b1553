// Golden outputs: what a frozen implementation returned on a test's inputs, recorded once into test/golden/*.json so
// the tests compare the current code against those outputs instead of keeping the old code in the tree.
//
// A golden file holds sections (one per input set: a generated corpus, a seeded random set, one fixture file), each
// with a digest of its inputs (so a changed generator or fixture is reported as "re-record", never as a wrong result)
// and one row per input pointing into a table of distinct entries (many inputs give the same output).
//
// Recording: `node scripts/record-golden.mjs` restores the old implementations from git, runs the differential tests
// with ROLLOUT_LENS_RECORD_GOLDEN=1 (each test then computes its entries with the old code and writes them), and
// removes the old code again. See docs/testing.md.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { FIXTURES_ROOT, PROJECT_ROOT } from './fixtures';

export const GOLDEN_DIR: string = join(PROJECT_ROOT, 'test', 'golden');

/** True while scripts/record-golden.mjs runs the tests to write the golden files. */
export const RECORDING: boolean = process.env.ROLLOUT_LENS_RECORD_GOLDEN === '1';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface GoldenSection {
  inputs: string;
  rows: number[];
}

interface GoldenFileShape {
  about: string;
  sections: Record<string, GoldenSection>;
  entries: Json[];
}

/** Short hex digest (64 bits): of an input set, or of an output too large to store. */
export function digest(...parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('hex').slice(0, 16);
}

/** Digest of a fixture file's bytes and the section name that keys it (its path below the fixture root). */
export function fixtureSection(path: string): { name: string; inputs: string } {
  return { name: `fixture:${relative(FIXTURES_ROOT, path).split('\\').join('/')}`, inputs: createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16) };
}

/**
 * A value as an exact string: keys sorted (deepEqual ignores key order), and undefined, -0, NaN and ±Infinity kept
 * apart (JSON would merge them with null and 0), so equal strings mean deepStrictEqual values.
 */
export function canonical(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

/** A number or null as JSON that keeps -0, NaN and ±Infinity apart (compared with Object.is). */
export function exactNumber(v: number | null): Json {
  return v === null || (Number.isFinite(v) && !Object.is(v, -0)) ? v : String(v);
}

/**
 * Numbers compared with Object.is, as stored: the exact values while they are short, else a digest of them (long
 * fractions make most of a file's size). Compare with `canonical(exactNumbers(now)) === canonical(recorded)`.
 */
export function exactNumbers(values: readonly (number | null)[]): Json {
  const v = values.map(exactNumber);
  const s = JSON.stringify(v);
  return s.length <= 48 ? v : `#${digest(s)}`;
}

/**
 * One golden file. In a normal run `section(name, inputs)` returns the recorded entries of that input set (failing
 * with "re-record" when the inputs changed); while recording, `record(name, inputs, entries)` collects them and
 * `save()` writes the file.
 */
export class GoldenFile {
  private readonly path: string;
  private readonly data: GoldenFileShape;

  constructor(name: string, about: string) {
    this.path = join(GOLDEN_DIR, `${name}.json`);
    this.data = !RECORDING && existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as GoldenFileShape) : { about, sections: {}, entries: [] };
  }

  section(name: string, inputs: string): Json[] {
    const s = this.data.sections[name];
    if (!s) throw new Error(`${this.path}: no golden section '${name}' (new inputs? run node scripts/record-golden.mjs)`);
    if (s.inputs !== inputs) throw new Error(`${this.path}: the inputs of '${name}' changed since the golden outputs were recorded (digest ${inputs}, recorded ${s.inputs}); run node scripts/record-golden.mjs`);
    return s.rows.map((i) => this.data.entries[i]);
  }

  /**
   * The recorded entries of an input set; under ROLLOUT_LENS_RECORD_GOLDEN=1 they are first computed with `fromReference`
   * (the old implementation) and saved.
   */
  async entries(name: string, inputs: string, fromReference: () => Promise<Json[]>): Promise<Json[]> {
    if (RECORDING) {
      this.record(name, inputs, await fromReference());
      this.save();
    }
    return this.section(name, inputs);
  }

  record(name: string, inputs: string, entries: readonly Json[]): void {
    const index = new Map<string, number>(this.data.entries.map((e, i) => [JSON.stringify(e), i]));
    const rows = entries.map((e) => {
      const k = JSON.stringify(e);
      let i = index.get(k);
      if (i === undefined) {
        i = this.data.entries.push(e) - 1;
        index.set(k, i);
      }
      return i;
    });
    this.data.sections[name] = { inputs, rows };
  }

  /** Writes the file atomically (temporary file, then rename), sections in a stable order. */
  save(): void {
    const sections: Record<string, GoldenSection> = {};
    for (const k of Object.keys(this.data.sections).sort()) sections[k] = this.data.sections[k];
    const text = `{"about":${JSON.stringify(this.data.about)},\n"sections":{\n${Object.entries(sections).map(([k, s]) => `${JSON.stringify(k)}:${JSON.stringify(s)}`).join(',\n')}},\n"entries":[\n${this.data.entries.map((e) => JSON.stringify(e)).join(',\n')}]}\n`;
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, this.path);
  }
}

/**
 * The old implementation while recording (restored from git by scripts/record-golden.mjs; absent otherwise). The
 * path is relative to test/unit/ and computed, so the type-checker does not look for a file that is not in the tree.
 */
export async function loadReference<T>(pathBelowUnit: string): Promise<T> {
  if (!RECORDING) throw new Error('the reference implementations exist only while recording golden outputs');
  const p = join(PROJECT_ROOT, 'test', 'unit', pathBelowUnit);
  return (await import(p)) as T;
}
