// A many-step verl-style run written to disk (JSONL: input, output, gts, score, step), made of the demo's own
// completions: the run-health CLI test and the Charts-tab screenshots need a real file with a change in it.
// Completions are sorted by what the detectors say about them today, so a flag's rate can be set per step.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseCompletion } from '../../src/core/analyse';
import type { FlagKind } from '../../src/core/types';
import { PROJECT_ROOT } from './fixtures';
import { seeded } from './synthetic-run';

interface Row { input: string; output: string; gts: string; score: number }

function demoRows(): Row[] {
  const dir = join(PROJECT_ROOT, 'demo', 'verl');
  return readdirSync(dir).filter((f) => f.endsWith('.jsonl')).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row));
}

export interface HealthRunOptions {
  steps: number;
  /** Samples per prompt (the demo's prompts, every step). */
  size?: number;
  seed?: number;
  /** Probability that a sample is one with this flag, at step s. */
  flagRate?: { kind: FlagKind; rate(step: number): number };
  /** Probability of reward 1 at step s (default: the completion's own score). */
  pass?(step: number): number;
}

/** Writes the run; returns how many rows. */
export function writeHealthRun(path: string, o: HealthRunOptions): number {
  const rand = seeded(o.seed ?? 7);
  const rows = demoRows();
  const kinds = rows.map((r) => new Set(analyseCompletion({ completion: r.output, prompt: r.input }).flags.map((f) => f.kind)));
  const clean = rows.filter((_, i) => kinds[i].size === 0);
  const flagged = o.flagRate ? rows.filter((_, i) => kinds[i].has(o.flagRate!.kind) && kinds[i].size === 1) : [];
  if (clean.length === 0 || (o.flagRate && flagged.length === 0)) throw new Error('the demo has no completions of the kind asked for');
  const prompts = [...new Set(rows.map((r) => r.input))];
  const lines: string[] = [];
  for (let step = 1; step <= o.steps; step++) {
    for (const input of prompts) {
      for (let j = 0; j < (o.size ?? 4); j++) {
        // A completion of this prompt when there is one of the kind wanted (else any: its prompt comes with it).
        const useFlag = o.flagRate !== undefined && rand() < o.flagRate.rate(step);
        const all = useFlag ? flagged : clean;
        const own = all.filter((x) => x.input === input);
        const pool = own.length > 0 ? own : all;
        const r = pool[Math.floor(rand() * pool.length)];
        const score = o.pass ? (rand() < o.pass(step) ? 1 : 0) : r.score;
        lines.push(JSON.stringify({ input: r.input, output: r.output, gts: r.gts, score, step }));
      }
    }
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return lines.length;
}
