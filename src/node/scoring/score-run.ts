// Scores a rollout file or run folder: rule-based rewards on every sample, batch rewards (the user's reward function,
// code execution) a batch at a time, recorded-vs-recomputed disagreements, and optionally a scored copy and/or a
// sidecar written atomically. Two passes so memory stays bounded on 1 GB files: the first builds groups and
// advantages from compact columns, the second streams the records again. Cancelling (signal) aborts both writers,
// so a cancelled run leaves no output file. Output is deterministic: the same input and rewards give the same bytes.
import { loadRun } from '../load-run';
import { readInput } from '../read-input';
import { AtomicWriter } from '../atomic-write';
import { InputError } from '../read-types';
import { normaliseRecord } from '../../core/formats/normalise';
import type { RunBuilderOptions, RunModel } from '../../core/run/run-builder';
import type { BadLine, JsonValue, Sample } from '../../core/types';
import type { BatchReward, BatchRewardInput } from '../../core/scoring/batch-reward';
import { compareRecorded, type Disagreement } from '../../core/scoring/disagreement';
import { comparedReward, explainDisagreement } from '../../core/scoring/score-samples';
import { batchInputOf, mergeBatchResult, scoreOne, type ScoredSample, type ScoringOptions } from '../../core/scoring/score-one';

export interface ScoreProgress {
  phase: 'reading' | 'scoring';
  bytesDone: number;
  bytesTotal: number;
  samples: number;
}

export interface ScoreRunOptions extends ScoringOptions {
  /** Reader options (format, field mapping, grouping, advantage estimator). */
  run?: RunBuilderOptions;
  batchRewards?: BatchReward[];
  /** Samples per batch-reward call (default 64). */
  batchSize?: number;
  /** Reward compared with the log: default the first batch reward, else `accuracy` when computed. null: none. */
  compareWith?: string | null;
  /** Scored copy: each input record plus a `rollout_lens` object. */
  out?: string | null;
  /** Sidecar next to the log (see sidecar.ts). */
  sidecar?: string | null;
  signal?: AbortSignal;
  onProgress?(p: ScoreProgress): void;
  /** Each result (or malformed line) in file order, as soon as it is final (the CLI prints them). */
  onLine?(line: ScoredSample | ScoreBadLine): void;
  /** Keep every result in memory (the editor tier; small files). */
  keepResults?: boolean;
  /** Only these sample indices (Score Sample / Score Group); their results are still in file order. */
  only?: ReadonlySet<number>;
  /** A model already built for this input with the same reader options (skips the first pass). */
  model?: RunModel;
}

/** A line that is not a usable record; `file` names its file inside a run folder (as `summary --json` does). */
export interface ScoreBadLine {
  file?: string;
  line: number;
  error: string;
}

export interface ScoreRunResult {
  model: RunModel;
  scored: number;
  badLines: number;
  /** Reward compared with the log (null when none). */
  compared: string | null;
  disagreements: { index: number; disagreement: Disagreement }[];
  /** Samples for which each batch reward reported an error. */
  errors: Record<string, number>;
  results: Map<number, ScoredSample> | null;
}

export class ScoringCancelled extends Error {
  override readonly name = 'AbortError';
  constructor() {
    super('scoring was cancelled');
  }
}

interface Pending {
  /** Every batch reward has answered. */
  done: boolean;
  index: number;
  sample: Sample;
  line: ScoredSample;
  raw: JsonValue;
}

const MAX_DISAGREEMENTS_KEPT = 100_000;

export async function scoreRun(path: string, opts: ScoreRunOptions): Promise<ScoreRunResult> {
  const signal = opts.signal;
  const check = (): void => {
    if (signal?.aborted) throw new ScoringCancelled();
  };
  const progress = (phase: ScoreProgress['phase'], done: number, total: number, samples: number): void =>
    opts.onProgress?.({ phase, bytesDone: done, bytesTotal: total, samples });

  const model = opts.model ?? await loadRun(path, { ...opts.run, lang: opts.lang, analyse: false, signal, onProgress: (d, t) => progress('reading', d, t, 0) });
  check();
  const det = model.detection;
  if (det === null || model.count === 0) {
    throw new InputError(`${path}: no record recognised as a rollout; if it holds rollouts, name their fields with --field completion=<name> --field prompt=<name> --field reward=<name>`, path, 'unsupported');
  }

  const batchRewards = opts.batchRewards ?? [];
  const compared = comparedReward(opts.rewards, batchRewards.map((b) => b.name), opts.compareWith);
  const batchSize = Math.max(1, opts.batchSize ?? 64);
  const result: ScoreRunResult = { model, scored: 0, badLines: 0, compared, disagreements: [], errors: {}, results: opts.keepResults ? new Map() : null };

  const copy = opts.out ? AtomicWriter.open(opts.out) : null;
  let side: AtomicWriter | null = null;
  try {
    side = opts.sidecar ? AtomicWriter.open(opts.sidecar) : null;
    // Entries wait here, in file order, until their batch rewards have answered.
    const queue: (Pending | { bad: BadLine })[] = [];
    let waitingSamples = 0;

    const finish = (p: Pending): void => {
      const line = p.line;
      if (compared !== null) {
        const d = compareRecorded(p.sample, compared, line.scores[compared] ?? null, () => explainDisagreement(p.sample, line, compared, opts.params));
        if (d) {
          line.disagreement = d;
          if (result.disagreements.length < MAX_DISAGREEMENTS_KEPT) result.disagreements.push({ index: p.index, disagreement: d });
        }
      }
      for (const k of Object.keys(line.errors ?? {})) result.errors[k] = (result.errors[k] ?? 0) + 1;
      result.scored++;
      result.results?.set(p.index, line);
      opts.onLine?.(line);
      const { record: _r, line: _l, ...rest } = line;
      copy?.write(JSON.stringify(scoredCopy(p.raw, rest as unknown as JsonValue)) + '\n');
      side?.write(JSON.stringify({ index: p.index, record: line.record, line: line.line, ...rest }) + '\n');
    };
    const emitBad = (b: BadLine): void => {
      result.badLines++;
      // A single file is named by the caller already; inside a folder the line number alone is ambiguous.
      const bad: ScoreBadLine = b.file && b.file !== path ? { file: b.file, line: b.line, error: b.error } : { line: b.line, error: b.error };
      opts.onLine?.(bad);
      side?.write(JSON.stringify(bad) + '\n');
    };
    /** Runs the batch rewards over the waiting samples (all of them, or only whole batches), then writes in order. */
    const flush = async (all: boolean): Promise<void> => {
      if (batchRewards.length > 0) {
        const waiting = queue.filter((e): e is Pending => 'index' in e && !e.done);
        const n = all ? waiting.length : waiting.length - (waiting.length % batchSize);
        for (let at = 0; at < n; at += batchSize) {
          check();
          const batch = waiting.slice(at, Math.min(n, at + batchSize));
          const inputs: BatchRewardInput[] = batch.map((p) => batchInputOf(p.sample, p.index));
          for (const br of batchRewards) {
            const rs = await br.score(inputs, signal ?? new AbortController().signal);
            check();
            batch.forEach((p, k) => mergeBatchResult(p.line, br.name, rs[k]));
          }
          for (const p of batch) p.done = true;
          waitingSamples -= batch.length;
        }
      }
      emitReady();
    };
    /** Everything at the head of the queue that is complete goes out. */
    const emitReady = (): void => {
      let k = 0;
      for (; k < queue.length; k++) {
        const e = queue[k];
        if ('bad' in e) { emitBad(e.bad); continue; }
        if (!e.done) break;
        finish(e);
      }
      queue.splice(0, k);
    };

    // The reader may hold a record back while reporting a later bad line: keep bad lines until the records
    // before them are queued, so output stays in file order (as `score` always did).
    const held: BadLine[] = [];
    const releaseBefore = (line: number): void => {
      let keep = 0;
      for (const b of held) {
        if (b.line < line) queue.push({ bad: b });
        else held[keep++] = b;
      }
      held.length = keep;
    };
    let index = 0;
    let fileIndex = -1;
    await readInput(path, {
      onFile: () => { fileIndex++; },
      onRecord: (raw) => {
        releaseBefore(raw.source.line ?? Infinity);
        const ctx = model.files[Math.max(0, fileIndex)] ?? { stepFromName: null, split: null };
        const out = normaliseRecord(raw, det, { stepFromName: ctx.stepFromName, split: ctx.split });
        if (!Array.isArray(out)) {
          queue.push({ bad: { file: raw.source.file, line: raw.source.line ?? raw.source.record, error: out.error } });
          return;
        }
        for (const s of out) {
          const i = index++;
          if (opts.only && !opts.only.has(i)) continue;
          queue.push({ done: batchRewards.length === 0, index: i, sample: s, line: scoreOne(s, i, model, opts), raw: raw.value });
          if (batchRewards.length > 0) waitingSamples++;
        }
        if (batchRewards.length === 0) emitReady();
      },
      onBadLine: (b) => { held.push(b); },
      onProgress: (d, t) => { progress('scoring', d, t, index); },
      drain: async () => {
        check();
        if (waitingSamples >= batchSize) await flush(false);
      },
    }, { signal });
    check();
    releaseBefore(Infinity);
    await flush(true);
    check();
    if (side) {
      // The sidecar is a cache of this run: it must not look newer than a log edited meanwhile, so it goes first.
      side.commit();
    }
    copy?.commit();
  } catch (e) {
    copy?.abort();
    side?.abort();
    if (signal?.aborted) throw new ScoringCancelled();
    throw e;
  }
  return result;
}

function scoredCopy(value: JsonValue, result: JsonValue): JsonValue {
  const base = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : { value };
  return { ...base, rollout_lens: result };
}
