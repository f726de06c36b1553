// `rollout-lens score`: one JSON line per sample, in file order, with recomputed rewards, flags, group and
// advantage (cli.md). The scoring pipeline (src/node/scoring/score-run.ts) reads the input twice so memory stays
// bounded on 1 GB files. --out writes a scored copy atomically (temp file + rename), never over the input.
// --reward-fn path[:name] adds the user's own reward function (Python or JS/TS, TRL or verl signature), run out of
// process a batch at a time; --rewards may also name registered batch rewards (e.g. code execution).
import { resolve } from 'node:path';
import type { ScoredSample } from '../core/scoring/score-one';
import type { BatchReward } from '../core/scoring/batch-reward';
import { batchRewardFactory } from '../core/scoring/batch-registry';
import { RewardFnSpecError } from '../core/scoring/reward-fn-spec';
import { disagreementLabel } from '../core/scoring/disagreement';
import type { FlagKind } from '../core/types';
import { getReward } from '../core/rewards/registry';
import { withCodeTests } from '../core/code/score-line';
import { checkOutTarget } from '../node/out-guard';
import { setWeakSandboxAllowed } from '../node/code-sandbox/isolation';
import { interruptExitCode, interruptSignal } from './interrupt';
import { scoreRun, ScoringCancelled, type ScoreBadLine } from '../node/scoring/score-run';
import { createUserReward, RewardFnLoadError } from '../node/reward-fn/user-reward';
import { DEFAULT_REWARDS, UsageError, type CliOptions } from './args';
import { EXIT_FAIL_ON, progressReporter, runOptions, terminalSafe } from './common';

/** Interrupted with Ctrl-C (128 + SIGINT, as shells report it). */
const EXIT_CANCELLED = 130;

export async function runScore(opts: CliOptions): Promise<number> {
  const names = opts.rewards ?? DEFAULT_REWARDS;
  const rules: string[] = [];
  const batchNames: string[] = [];
  for (const r of names) {
    if (getReward(r)) rules.push(r);
    else if (batchRewardFactory(r)) batchNames.push(r);
    else throw new UsageError(`--rewards: unknown reward '${r}'`);
  }
  if (opts.out !== null && resolve(opts.out) === resolve(opts.path)) {
    throw new UsageError('--out must not be the input file: the log is never modified');
  }
  // By identity too: links, /proc/self/cwd, a step file of an input folder, anything inside the folder.
  if (opts.out !== null) checkOutTarget(opts.out, opts.path);
  const log = (text: string): void => { process.stderr.write(terminalSafe(text) + '\n'); };
  setWeakSandboxAllowed(opts.allowWeakSandbox === true);
  const pythonPath = opts.python ?? process.env.ROLLOUT_LENS_PYTHON ?? 'python3';
  const timeoutMs = opts.rewardTimeoutMs ?? undefined;
  const batch: BatchReward[] = [];
  try {
    for (const n of batchNames) batch.push(await batchRewardFactory(n)!.create({ cwd: process.cwd(), pythonPath, timeoutMs, log }));
    for (const spec of opts.rewardFns) batch.push(createUserReward(spec, { cwd: process.cwd(), pythonPath, timeoutMs, log }));
  } catch (e) {
    await Promise.all(batch.map((b) => b.dispose()));
    if (e instanceof RewardFnSpecError || e instanceof RewardFnLoadError) throw new UsageError(`--reward-fn: ${e.message}`);
    throw e;
  }

  const progress = progressReporter();
  const hits = new Set<FlagKind>();
  const chunks: string[] = [];
  let buffered = 0;
  // stdout to a file or pipe is synchronous on Linux: write in ~1 MB batches, never the whole output at once.
  const flush = (): void => {
    if (chunks.length === 0) return;
    process.stdout.write(chunks.join(''));
    chunks.length = 0;
    buffered = 0;
  };
  const emit = (text: string): void => {
    chunks.push(text);
    buffered += text.length;
    if (buffered > 1 << 20) flush();
  };
  // Ctrl-C, SIGTERM, SIGHUP (interrupt.ts): children are killed at once; here reading stops, the temp file of
  // --out is dropped (nothing half-written is left), and the exit code is 128 + the signal.
  try {
    const scored = await scoreRun(opts.path, {
      rewards: rules,
      lang: opts.lang,
      run: runOptions(opts),
      batchRewards: batch,
      out: opts.out,
      signal: interruptSignal,
      onProgress: (p) => progress.update(p.bytesDone, p.bytesTotal),
      onLine: (l) => {
        if ('error' in l && !('record' in l)) {
          emit(opts.json ? JSON.stringify(l) + '\n' : terminalSafe(badLineText(l)) + '\n');
          return;
        }
        const s = l as ScoredSample;
        for (const f of s.flags) hits.add(f.kind);
        emit(opts.json ? JSON.stringify(withCodeTests(s)) + '\n' : terminalSafe(humanLine(s)) + '\n');
      },
    });
    // What the reader noticed (incomplete last line, invalid UTF-8, NaN literals, a cut JSON array): stdout holds
    // only results, so these go to stderr, naming the file inside a folder as `summary` does.
    progress.done();
    for (const n of scored.model.notes) {
      const text = n.file && n.file !== opts.path ? `${n.file}: ${n.message}` : n.message;
      process.stderr.write(terminalSafe(`rollout-lens: note: ${text}`) + '\n');
    }
  } catch (e) {
    if (e instanceof RewardFnLoadError) throw new UsageError(`--reward-fn: ${e.message}`);
    if (e instanceof ScoringCancelled) {
      progress.done();
      flush();
      process.stderr.write(terminalSafe(`rollout-lens: cancelled${opts.out !== null ? `; ${opts.out} was not written` : ''}`) + '\n');
      return interruptExitCode() ?? EXIT_CANCELLED;
    }
    throw e;
  } finally {
    progress.done();
    flush();
    await Promise.all(batch.map((b) => b.dispose()));
  }
  return opts.failOn.some((k) => hits.has(k)) ? EXIT_FAIL_ON : 0;
}

function badLineText(l: ScoreBadLine): string {
  if (l.file === undefined) return `line ${l.line}: ${l.error}`;
  // Line 0 is a whole file that failed inside a folder; its message already names the file.
  if (l.line === 0) return l.error.startsWith(l.file) ? l.error : `${l.file}: ${l.error}`;
  return `${l.file}: line ${l.line}: ${l.error}`;
}

function humanLine(l: ScoredSample): string {
  const scores = Object.entries(l.scores).map(([k, v]) => `${k}=${v === null ? '—' : Math.round(v * 1000) / 1000}`).join(' ');
  const flags = l.flags.length === 0 ? '' : `  [${l.flags.map((f) => f.message).join('; ')}]`;
  const errors = l.errors ? `  errors: ${Object.entries(l.errors).map(([k, v]) => `${k}: ${v}`).join('; ')}` : '';
  const dis = l.disagreement ? `  ≠ ${disagreementLabel(l.disagreement)}` : '';
  const where = l.line !== null ? `line ${l.line}` : `record ${l.record}`;
  return `${where}  group ${l.group ?? '—'}  reward ${l.reward ?? '—'}  adv ${l.advantage === null ? '—' : l.advantage.toFixed(3)}  ${scores}  answer ${l.answer ?? '—'}${flags}${errors}${dis}`;
}
