// Test input shared by the reward differential tests: every non-empty string of a JSON or JSONL file, of the real
// fixtures, of a generated dump.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateRolloutFile } from '../../../bench/generate';
import { withTempDir } from '../../support/temp-dir';


function stringsOf(v: unknown, out: string[]): void {
  if (typeof v === 'string') {
    if (v.length > 0) out.push(v);
  } else if (Array.isArray(v)) {
    for (const x of v) stringsOf(x, out);
  } else if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) stringsOf(x, out);
  }
}

export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

export function jsonStrings(path: string): string[] {
  const out: string[] = [];
  const text = readFileSync(path, 'utf8');
  if (path.endsWith('.json')) stringsOf(JSON.parse(text), out);
  else for (const line of text.split('\n')) if (line.trim()) stringsOf(JSON.parse(line), out);
  return out;
}

/** The JSON and JSONL files below `dir`, each with its strings (jsonStrings), in filesUnder's order. */
export function jsonFilesStrings(dir: string): { file: string; texts: string[] }[] {
  return filesUnder(dir).filter((f) => /\.jsonl?$/.test(f)).map((file) => ({ file, texts: jsonStrings(file) }));
}

/** The strings of a generated verl dump of about `bytes` (bench/generate.ts, seed 1), written to a temporary folder. */
export function generatedDumpStrings(bytes: number): Promise<string[]> {
  return withTempDir(async ({ dir }) => {
    const file = join(dir, 'gen.jsonl');
    await generateRolloutFile(file, bytes);
    return jsonStrings(file);
  }, 'rl-gen-strings-');
}
