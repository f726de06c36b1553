// `rollout-lens score`: one JSON line per sample, in file order, with recomputed rewards, flags, group and
// advantage (cli.md). Two passes over the input so memory stays bounded on 1 GB files: the first builds groups
// and advantages from compact columns, the second streams every record again and writes its result.
// --out writes a scored copy atomically (temp file + rename), never over the input.
import { resolve } from 'node:path';
import { loadRun } from '../node/load-run';
import { readInput } from '../node/read-input';
import { AtomicWriter } from '../node/atomic-write';
import { normaliseRecord } from '../core/formats/normalise';
import { scoreSample, type ScoreLine } from '../core/run/score-sample';
import type { BadLine, JsonValue, FlagKind } from '../core/types';
import { DEFAULT_REWARDS, UsageError, type CliOptions } from './args';
import { EXIT_FAIL_ON, progressReporter, runOptions } from './common';
import { InputError } from '../node/read-types';
import { getReward } from '../core/rewards/registry';

export async function runScore(opts: CliOptions): Promise<number> {
  const rewards = opts.rewards ?? DEFAULT_REWARDS;
  for (const r of rewards) if (!getReward(r)) throw new UsageError(`--rewards: unknown reward '${r}'`);
  if (opts.out !== null && resolve(opts.out) === resolve(opts.path)) {
    throw new UsageError('--out must not be the input file: the log is never modified');
  }
  const progress = progressReporter();
  const model = await loadRun(opts.path, { ...runOptions(opts), analyse: false, onProgress: progress.update });
  const det = model.detection;
  if (det === null || model.count === 0) {
    progress.done();
    throw new InputError(`${opts.path}: no record recognised as a rollout`, opts.path, 'unsupported');
  }
  if (model.groups.advantageError) throw new UsageError(model.groups.advantageError);

  const writer = opts.out !== null ? AtomicWriter.open(opts.out) : null;
  const hits = new Set<FlagKind>();
  let index = 0;
  let fileIndex = -1;
  const files = model.files;
  const lines: string[] = [];
  let buffered = 0;
  // stdout to a file or pipe is synchronous on Linux: write in ~1 MB batches, never the whole output at once.
  const emit = (text: string): void => {
    lines.push(text);
    buffered += text.length;
    if (buffered > 1 << 20) flush();
  };
  const flush = (): void => {
    if (lines.length === 0) return;
    process.stdout.write(lines.join(''));
    lines.length = 0;
    buffered = 0;
  };
  // The reader may hold a record back (it checks whether a file is one JSON object) while reporting a later
  // bad line; keep bad lines until the records before them are out, so output stays in file order.
  const heldBadLines: BadLine[] = [];
  const releaseBadLinesBefore = (line: number): void => {
    let keep = 0;
    for (const b of heldBadLines) {
      if (b.line < line) emit(opts.json ? JSON.stringify({ line: b.line, error: b.error }) + '\n' : `line ${b.line}: ${b.error}\n`);
      else heldBadLines[keep++] = b;
    }
    heldBadLines.length = keep;
  };
  try {
    await readInput(opts.path, {
      onFile: () => { fileIndex++; },
      onRecord: (raw) => {
        releaseBadLinesBefore(raw.source.line ?? Infinity);
        const ctx = files[Math.max(0, fileIndex)] ?? { stepFromName: null, split: null };
        const out = normaliseRecord(raw, det, { stepFromName: ctx.stepFromName, split: ctx.split });
        if (!Array.isArray(out)) {
          emit(JSON.stringify({ line: raw.source.line ?? raw.source.record, error: out.error }) + '\n');
          return;
        }
        for (const s of out) {
          const line: ScoreLine = scoreSample(s, index, model, { rewards, lang: opts.lang });
          index++;
          for (const f of line.flags) hits.add(f.kind);
          emit(opts.json ? JSON.stringify(line) + '\n' : humanLine(line) + '\n');
          writer?.write(JSON.stringify(scoredCopy(raw.value, line)) + '\n');
        }
      },
      onBadLine: (b) => { heldBadLines.push(b); },
      onProgress: progress.update,
    }, {});
    progress.done();
    releaseBadLinesBefore(Infinity);
    flush();
    writer?.commit();
  } catch (e) {
    writer?.abort();
    throw e;
  }
  return opts.failOn.some((k) => hits.has(k)) ? EXIT_FAIL_ON : 0;
}

function humanLine(l: ScoreLine): string {
  const scores = Object.entries(l.scores).map(([k, v]) => `${k}=${v === null ? '—' : Math.round(v * 1000) / 1000}`).join(' ');
  const flags = l.flags.length === 0 ? '' : `  [${l.flags.map((f) => f.message).join('; ')}]`;
  const where = l.line !== null ? `line ${l.line}` : `record ${l.record}`;
  return `${where}  group ${l.group ?? '—'}  reward ${l.reward ?? '—'}  adv ${l.advantage === null ? '—' : l.advantage.toFixed(3)}  ${scores}  answer ${l.answer ?? '—'}${flags}`;
}

function scoredCopy(value: JsonValue, line: ScoreLine): JsonValue {
  const { record: _r, line: _l, ...result } = line;
  const base = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : { value };
  return { ...base, rollout_lens: result as unknown as JsonValue };
}
