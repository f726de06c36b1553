// Which files of a run folder hold rollouts, which step and split each one is, and in what order to read them
// (docs/formats.md §2.7: numeric step order, 10 after 2). Names follow the writers in docs/formats.md §3.
import { promises as fsp } from 'node:fs';
import { isOwnOutput } from './own-output';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import type { Split } from '../core/types';
import { stepFromFolders } from '../core/formats/path-step';
import { stripCompressionSuffix } from './decompress';
import { primeTraceFile } from './prime-trace-layout';

export interface StepFile {
  path: string;
  /** Path relative to the folder, with '/' separators (for messages and sorting). */
  rel: string;
  stepFromName: number | null;
  split: Split | null;
}

const ROLLOUT_EXTENSIONS = new Set(['.jsonl', '.json', '.parquet', '.ndjson']);
/** Files that sit in run folders but never hold rollouts (metrics, configs, tokenizers). */
const NOT_ROLLOUT_NAMES = new Set([
  'metrics.jsonl', 'aggregated_results.jsonl', 'config.json', 'generation_config.json', 'tokenizer.json',
  'tokenizer_config.json', 'special_tokens_map.json', 'adapter_config.json', 'vocab.json', 'added_tokens.json',
  'preprocessor_config.json', 'training_args.json', 'package.json', 'package-lock.json', 'tsconfig.json',
]);
/** Folders not to descend into: model checkpoints, VCS, dependencies. */
const SKIP_DIR = /^(\.|node_modules$|__pycache__$|checkpoint-\d+$|global_step_\d+_ckpt|wandb$)/;
const MAX_DEPTH = 6;

/** Step number from a file path (relative to the folder): file name first, then enclosing folders. */
export function stepFromName(rel: string): number | null {
  const parts = rel.split(/[\\/]/);
  const file = stripCompressionSuffix(parts[parts.length - 1]);
  const base = file.slice(0, file.length - extname(file).length);
  const dirs = parts.slice(0, -1).reverse();
  // AReaL: <version>/<task_id>.jsonl, the folder is the step even when a task id is numeric.
  if (dirs.length > 0 && /^\d+$/.test(dirs[0])) return Number(dirs[0]);
  let m = /^(\d+)$/.exec(base); // verl <step>.jsonl
  if (m) return Number(m[1]);
  m = /completions_(\d+)$/.exec(base); // TRL completions_00042.parquet
  if (m) return Number(m[1]);
  m = /step[_-]?(\d+)/i.exec(base); // NeMo-RL *_data_step<N>, ROLL .step_<N>, generic *step*<N>*
  if (m) return Number(m[1]);
  m = /iter[_-]?(\d+)/i.exec(base); // ORZ iter<N>_generation_results
  if (m) return Number(m[1]);
  for (const d of dirs) {
    m = /(?:^|[^a-z])step[_-]?(\d+)/i.exec(d); // prime-rl step_<N>/…, SkyRL global_step_<N>_evals
    if (m) return Number(m[1]);
  }
  return null;
}

/**
 * Step of a file opened on its own: its name (`12.jsonl`, `iter30_…`), else an explicit step word in its folders
 * (`global_step_250/`, `checkpoint-400/`), never a bare number folder (a year would read as a step).
 */
export function stepOfFile(path: string): number | null {
  return stepFromName(basename(path)) ?? stepFromFolders(path)?.step ?? null;
}

/** Split from the words of a path: val_data_step3 → val, eval-rollout/ → eval, train/ → train. */
export function splitFromName(rel: string): Split | null {
  const parts = rel.split(/[\\/]/).reverse();
  for (const p of parts) {
    const words = p.toLowerCase().split(/[^a-z]+/);
    if (words.some((w) => w === 'val' || w === 'validation' || w === 'valid')) return 'val';
    if (words.some((w) => w === 'eval' || w === 'evals' || w === 'evaluation' || w === 'test')) return 'eval';
    if (words.some((w) => w === 'train' || w === 'training')) return 'train';
  }
  return null;
}

async function walk(root: string, dir: string, depth: number, out: string[], signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  let entries;
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch {
    return; // an unreadable subfolder is skipped; the root itself was checked by the caller
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (depth < MAX_DEPTH && !SKIP_DIR.test(e.name)) await walk(root, p, depth + 1, out, signal);
    } else if (e.isFile() || e.isSymbolicLink()) {
      // `12.jsonl.gz`, `traces.jsonl.zst`: the name without the compression suffix says what is inside.
      const inner = stripCompressionSuffix(e.name);
      if (!ROLLOUT_EXTENSIONS.has(extname(inner).toLowerCase())) continue;
      if (NOT_ROLLOUT_NAMES.has(inner.toLowerCase()) || e.name.startsWith('.')) continue;
      out.push(p);
    }
  }
}

const SPLIT_ORDER: Record<Split, number> = { train: 0, val: 1, eval: 2 };
const collator = new Intl.Collator('en', { numeric: true });

export interface FolderListing {
  files: StepFile[];
  /** Files left out on purpose, with the reason (e.g. prime-rl effective/ when all/ exists). */
  skipped: { path: string; reason: string }[];
}

/** Rollout files of a run folder, in numeric step order. */
export async function listRunFolder(folder: string, signal?: AbortSignal): Promise<FolderListing> {
  const paths: string[] = [];
  await walk(folder, folder, 0, paths, signal);
  const rootName = basename(folder);
  const skipped: { path: string; reason: string }[] = [];
  const chunks = new Map<string, number>();
  let files: StepFile[] = [];
  for (const p of paths) {
    const rel = relative(folder, p).split(sep).join('/');
    const prime = primeTraceFile(`${rootName}/${rel}`);
    if (prime?.skip) {
      skipped.push({ path: p, reason: prime.skip });
      continue;
    }
    // Chunk numbers of a prime-rl episode stream are positions, not steps: each episode carries its own step.
    if (prime) chunks.set(rel, prime.chunk ?? 0);
    files.push({ path: p, rel, stepFromName: prime ? null : stepFromName(rel), split: prime ? null : splitFromName(`${rootName}/${rel}`) });
  }
  const relSet = new Set(files.map((f) => f.rel));
  files = files.filter((f) => {
    // A sealed chunk next to its plain file: the seal was under way; both hold the same lines.
    if (chunks.has(f.rel) && f.rel.endsWith('.zst') && relSet.has(f.rel.slice(0, -4))) {
      skipped.push({ path: f.path, reason: 'sealed twin of a prime-rl chunk whose plain file is still there (read once)' });
      return false;
    }
    return true;
  });
  // Our own outputs (sidecars, scored copies carrying `rollout_lens`) are never read back as rollouts.
  const own = await Promise.all(files.map((f) => isOwnOutput(f.path)));
  files = files.filter((f, i) => {
    if (!own[i]) return true;
    skipped.push({ path: f.path, reason: 'written by Rollout Lens (a scored copy or sidecar), not a rollout log' });
    return false;
  });
  // prime-rl writes step_N/<split>/all/traces.jsonl and a subset in effective/: reading both would double count.
  files = files.filter((f) => {
    const m = /^(.*)\/effective\/([^/]+)$/.exec(f.rel);
    if (m && relSet.has(`${m[1]}/all/${m[2]}`)) {
      skipped.push({ path: f.path, reason: 'prime-rl effective/ episodes are a subset of all/' });
      return false;
    }
    return true;
  });
  files.sort((a, b) => {
    const sa = a.stepFromName ?? Number.POSITIVE_INFINITY;
    const sb = b.stepFromName ?? Number.POSITIVE_INFINITY;
    if (sa !== sb) return sa < sb ? -1 : 1;
    const pa = a.split === null ? 3 : SPLIT_ORDER[a.split];
    const pb = b.split === null ? 3 : SPLIT_ORDER[b.split];
    if (pa !== pb) return pa - pb;
    return collator.compare(a.rel, b.rel);
  });
  return { files, skipped };
}

/** verifiers writes <prefix>results.jsonl next to <prefix>metadata.json. */
export function siblingMetadataPath(path: string): string | null {
  const name = basename(path);
  const m = /^(.*)results\.jsonl$/.exec(name);
  return m ? join(dirname(path), `${m[1]}metadata.json`) : null;
}
