// Where scoring results live next to a log: `<log>.rollout-lens.jsonl`, one line per sample in file order holding
// that sample's `rollout_lens` object plus `index`, `record` and `line`, so the viewer can join it to the run by
// sample index without copying the user's records. Written atomically by the pipeline; read back here.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Disagreement } from '../../core/scoring/disagreement';

export const SIDECAR_SUFFIX = '.rollout-lens.jsonl';

export function sidecarPathFor(logPath: string): string {
  return logPath.replace(/[\\/]+$/, '') + SIDECAR_SUFFIX;
}

/** What the viewer needs from a sidecar: the recomputed scores and the disagreements, by sample index. */
export interface SidecarSummary {
  path: string;
  samples: number;
  /** Sample index → disagreement. */
  disagreements: Map<number, Disagreement>;
  /** Sample index → recomputed scores. Kept only for runs up to `maxScores` samples. */
  scores: Map<number, Record<string, number | null>> | null;
}

interface SidecarLine {
  index?: number;
  scores?: Record<string, number | null>;
  disagreement?: Disagreement;
}

/**
 * Reads the sidecar of `logPath` if there is one that is at least as new as the log (an older sidecar describes
 * another version of the file and is ignored). Streams: a 1 GB run's sidecar is never held as one string.
 */
export async function readSidecar(logPath: string, opts: { maxScores?: number; signal?: AbortSignal } = {}): Promise<SidecarSummary | null> {
  const path = sidecarPathFor(logPath);
  if (!existsSync(path)) return null;
  try {
    if (statSync(path).mtimeMs < statSync(logPath).mtimeMs) return null;
  } catch {
    return null;
  }
  const maxScores = opts.maxScores ?? 200_000;
  const disagreements = new Map<number, Disagreement>();
  let scores: Map<number, Record<string, number | null>> | null = new Map();
  let samples = 0;
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8', signal: opts.signal }), crlfDelay: Infinity });
  for await (const text of rl) {
    if (text.length === 0) continue;
    let o: SidecarLine;
    try {
      o = JSON.parse(text) as SidecarLine;
    } catch {
      continue;
    }
    if (typeof o.index !== 'number') continue;
    samples++;
    if (o.disagreement) disagreements.set(o.index, o.disagreement);
    if (scores !== null && o.scores) {
      if (scores.size >= maxScores) scores = null;
      else scores.set(o.index, o.scores);
    }
  }
  return { path, samples, disagreements, scores };
}
