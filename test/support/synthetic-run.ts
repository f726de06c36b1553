// A run model of many steps built straight from numbers (no text, no detectors), for the run-health tests:
// per step, `groups` prompts × `size` samples with a chosen pass rate, flag rates and mean length.
import { RunBuilder, FLAG_BIT } from '../../src/core/run/run-builder';
import type { RunModel } from '../../src/core/run/run-builder';
import { ROLES, type FieldMap, type FlagKind } from '../../src/core/types';
import { mulberry32 } from '../../src/core/random';

export interface StepSpec {
  pass: number;
  flags: Partial<Record<FlagKind, number>>;
  length: number;
}

/** mulberry32, as in the code under test but seeded separately. */
export const seeded: (seed: number) => () => number = mulberry32;

export interface SyntheticOptions {
  steps: number;
  groups: number;
  size: number;
  seed: number;
  /** The run's parameters at step s (1-based). */
  spec(step: number): StepSpec;
  /** Per-prompt difficulty spread (0 = every prompt alike): a prompt's pass rate is pass ± spread. */
  spread?: number;
}

export function syntheticRun(o: SyntheticOptions): RunModel {
  const rand = seeded(o.seed);
  const fields = Object.fromEntries(ROLES.map((r) => [r, null])) as FieldMap;
  const b = new RunBuilder({ groupBy: 'auto' });
  b.beginFile({ path: 'synthetic.jsonl', stepFromName: null, split: null });
  b.useDetection({ format: 'generic', reason: 'synthetic', confidence: 1, fields, keepsOrder: true });
  let record = 0;
  for (let step = 1; step <= o.steps; step++) {
    const sp = o.spec(step);
    for (let g = 0; g < o.groups; g++) {
      const p = Math.min(1, Math.max(0, sp.pass + (o.spread ?? 0.3) * (rand() * 2 - 1)));
      for (let j = 0; j < o.size; j++) {
        let bits = 0;
        for (const [k, rate] of Object.entries(sp.flags) as [FlagKind, number][]) if (rand() < rate) bits |= FLAG_BIT[k];
        const len = Math.max(1, Math.round(sp.length * Math.exp(0.5 * (rand() + rand() + rand() - 1.5))));
        b.addPrepared({
          reward: rand() < p ? 1 : 0, advantage: Number.NaN, step, line: record + 1, record, chars: len, flagBits: bits,
          group: { step, split: null, groupKey: `s${step}g${g}`, groupKeySource: 'explicit', promptKey: null },
        }, 0);
        record++;
      }
    }
  }
  return b.finish();
}
