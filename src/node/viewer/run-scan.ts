// One streaming pass over a rollout file or run folder for the viewer: builds the run model, keeps record
// offsets (and the records of files that have no offsets, like parquet), and reports progress and the first
// rows as it goes. Runs in the calling thread or in a worker (viewer-worker.ts); its result is plain,
// structured-cloneable data either way.
import { stat } from 'node:fs/promises';
import { readInput } from '../read-input';
import { loadRunParallel, PARALLEL_MIN_BYTES } from '../parallel-load';
import { InputError } from '../read-types';
import type { RecordOffsets } from '../record-offsets';
import { RecordSpillWriter, type SpilledRecordsData } from './record-spill';
import { RunBuilder, type FileContext, type RunBuilderOptions, type RunModel } from '../../core/run/run-builder';
import { normaliseRecord } from '../../core/formats/normalise';
import { analyseCompletion } from '../../core/analyse';
import { agenticFields } from '../../core/trajectory/analyse-fields';
import { conventionsOfRecords } from '../../core/run/conventions';
import { completionText, promptText } from '../../core/run/sample-text';
import { previewOf } from '../../core/viewer/sample-detail';
import type { FormatDetection, RawRecord } from '../../core/types';
import type { ChartAggregates, HealthReport, SampleRow, ScanProgress, StepTrend } from '../../protocol/viewer-protocol';
import { chartAggregates } from '../../core/viewer/aggregates';
import { runTrends } from '../../core/viewer/trends';
import { runHealth } from '../../core/run/health';

export interface ScanOptions extends RunBuilderOptions {
  /** Rows shown while the scan goes on (default 50). */
  firstRows?: number;
  /** JSONL read buffer: records of one chunk are analysed without yielding, so it bounds the stalls (default 256 KiB ≈ 25 ms). */
  chunkSize?: number;
  /** Minimum milliseconds between progress events (default 100). */
  progressEveryMs?: number;
}

export interface ScanEvents {
  progress?(p: ScanProgress): void;
  firstRows?(rows: SampleRow[]): void;
}

export interface ScannedFile {
  path: string;
  container: 'jsonl' | 'json-array' | 'other';
  offsets: RecordOffsets | null;
  /** Records of files without offsets (parquet, one JSON object), in a temporary copy (the session removes it). */
  spilled: SpilledRecordsData | null;
  /** Compressed file: the decompressed temporary copy its offsets point into (the session removes it). */
  dataPath?: string;
}

export interface ScanResult {
  model: RunModel;
  files: ScannedFile[];
  isFolder: boolean;
  firstSamplesMs: number | null;
  /** Whole-run chart data and step trends, computed where the scan ran (the worker) so the host does not. */
  derived?: ScanDerived;
}

/** What the viewer shows as soon as a scan ends; on 1 GB these take ~200 ms of CPU, which must not land on the host. */
export interface ScanDerived {
  aggregates: ChartAggregates;
  trends: StepTrend[];
  health: HealthReport;
  steps: number;
  rewardRange: { min: number; max: number } | null;
  advantageRange: { min: number; max: number } | null;
}

export async function scanRun(path: string, opts: ScanOptions, events: ScanEvents = {}, signal?: AbortSignal): Promise<ScanResult> {
  const t0 = performance.now();
  let sent: number | null = null;
  if (opts.analyse ?? true) {
    const fast = await scanRunParallel(path, opts, events, signal, t0);
    if (fast.result) return fast.result;
    sent = fast.firstSamplesMs;
  }
  return scanRunStreaming(path, opts, events, signal, t0, sent);
}

/**
 * Large JSONL files and run folders: the first rows from a short streaming read of the first records (the rows the
 * streaming scan would send), then the whole run through the parallel reader (src/node/parallel-load.ts: worker
 * threads read, parse and analyse byte ranges; same model and offsets). Null when the input does not qualify.
 */
async function scanRunParallel(
  path: string, opts: ScanOptions, events: ScanEvents, signal: AbortSignal | undefined, t0: number,
): Promise<{ result: ScanResult | null; firstSamplesMs: number | null }> {
  const declined = { result: null, firstSamplesMs: null };
  if (opts.keepSamples) return declined;
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(path);
  } catch {
    return declined; // the streaming scan reports a missing or unreadable path
  }
  if (st.isFile() && st.size < PARALLEL_MIN_BYTES) return declined;
  const wanted = opts.firstRows ?? 50;
  let firstSamplesMs: number | null = null;
  let rowsSent = false;
  const sendFirstRows = async (): Promise<void> => {
    const early: { raw: RawRecord; file: number }[] = [];
    const contexts: FileContext[] = [];
    const probe = new RunBuilder({ ...opts, analyse: false });
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await readInput(path, {
        onFile: (info) => {
          const ctx = { path: info.path, stepFromName: info.stepFromName, split: info.split };
          contexts.push(ctx);
          probe.beginFile(ctx);
        },
        onRecord: (r) => {
          if (early.length >= wanted) return;
          early.push({ raw: r, file: Math.max(0, contexts.length - 1) });
          probe.addRecord(r);
          if (early.length >= wanted) stop.abort();
        },
      }, { signal: stop.signal, chunkSize: 256 << 10 });
    } catch (e) {
      if (!stop.signal.aborted) throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    signal?.throwIfAborted();
    probe.endInput();
    const det = probe.currentDetection;
    if (det === null || early.length < wanted) return; // a small input: the streaming scan decides
    firstSamplesMs = performance.now() - t0;
    rowsSent = true;
    events.firstRows?.(provisionalRows(early, det, opts, contexts));
  };
  await sendFirstRows();
  if (!rowsSent) return declined;
  let lastEmit = 0;
  const every = opts.progressEveryMs ?? 100;
  let last: ScanProgress | null = null;
  const loaded = await loadRunParallel(path, {
    ...opts,
    analyse: true,
    keepOffsets: true,
    signal,
    onProgress: (done, total, samples, files) => {
      const now = performance.now();
      last = { bytesDone: done, bytesTotal: total, samples, files, elapsedMs: now - t0 };
      if (now - lastEmit < every) return;
      lastEmit = now;
      events.progress?.(last);
    },
  });
  // Declined after the first rows went out (e.g. TRL): the streaming scan must not send them again.
  if (loaded === null) return { result: null, firstSamplesMs };
  if (last) events.progress?.({ ...(last as ScanProgress), elapsedMs: performance.now() - t0 });
  return {
    result: {
      model: loaded.model,
      files: loaded.files.map((f) => ({
        path: f.path, container: f.container === 'parquet' ? 'other' : f.container === 'json-array' ? 'json-array' : 'jsonl', offsets: f.offsets ?? null, spilled: f.spilled ?? null,
      })),
      isFolder: st.isDirectory(),
      firstSamplesMs,
    },
    firstSamplesMs,
  };
}

async function scanRunStreaming(
  path: string, opts: ScanOptions, events: ScanEvents, signal: AbortSignal | undefined, t0: number, rowsSentAt: number | null,
): Promise<ScanResult> {
  const builder = new RunBuilder({ ...opts, analyse: opts.analyse ?? true });
  const wanted = opts.firstRows ?? 50;
  const early: { raw: RawRecord; file: number }[] = [];
  let earlySent = rowsSentAt !== null;
  let firstSamplesMs: number | null = rowsSentAt;
  let records = 0;
  let files = 0;
  let doneBefore = 0;
  let lastDone = 0;
  let lastTotal = 0;
  let lastEmit = 0;
  const every = opts.progressEveryMs ?? 100;
  const spillByPath = new Map<string, RecordSpillWriter>();
  let currentSpill: RecordSpillWriter | null = null;
  const contexts: FileContext[] = [];

  const sendEarly = (): void => {
    const det = builder.currentDetection;
    if (earlySent || det === null) return;
    earlySent = true;
    firstSamplesMs = performance.now() - t0;
    events.firstRows?.(provisionalRows(early, det, opts, contexts));
  };

  const discardSpills = async (): Promise<void> => {
    for (const w of spillByPath.values()) await w.discard();
  };
  const input = await readInput(path, {
    onFile: (info) => {
      if (files > 0) doneBefore += lastTotal;
      lastDone = 0;
      lastTotal = 0;
      files++;
      const ctx = { path: info.path, stepFromName: info.stepFromName, split: info.split };
      contexts.push(ctx);
      builder.beginFile(ctx);
      currentSpill = info.container === 'jsonl' || info.container === 'json-array' ? null : new RecordSpillWriter();
      if (currentSpill) spillByPath.set(info.path, currentSpill);
    },
    onRecord: (r) => {
      records++;
      currentSpill?.add(r);
      builder.addRecord(r);
      if (!earlySent) {
        if (early.length < wanted) early.push({ raw: r, file: Math.max(0, files - 1) });
        if (early.length >= wanted) sendEarly();
      }
    },
    onBadLine: (b) => builder.addBadLine(b),
    onNote: (n) => builder.addNote(n),
    onProgress: (done, total) => {
      lastDone = done;
      lastTotal = total;
      const now = performance.now();
      if (now - lastEmit < every) return;
      lastEmit = now;
      events.progress?.({ bytesDone: doneBefore + done, bytesTotal: doneBefore + total, samples: records, files, elapsedMs: now - t0 });
    },
  }, { signal, keepOffsets: true, chunkSize: opts.chunkSize ?? 256 << 10 }).catch(async (e: unknown) => {
    await discardSpills();
    throw e;
  });
  if (input.records === 0) {
    const known = input.files.find((f) => f.notRollout)?.notRollout;
    if (known) {
      await discardSpills();
      throw new InputError(`${path}: not a rollout file: ${known.explanation}`, path, 'unsupported');
    }
  }
  const model = builder.finish();
  sendEarly();
  if (!earlySent && model.count > 0) {
    firstSamplesMs = performance.now() - t0;
    events.firstRows?.([]);
  }
  events.progress?.({ bytesDone: doneBefore + lastDone, bytesTotal: doneBefore + lastTotal, samples: records, files, elapsedMs: performance.now() - t0 });
  const scanned: ScannedFile[] = input.files.map((f) => ({
    path: f.info.path,
    container: f.info.container === 'jsonl' || f.info.container === 'json-array' ? f.info.container : 'other',
    // The index's offsets travel as data; RunSession reopens the file itself (a worker's handles stay there).
    offsets: f.index ? f.scan?.offsets ?? offsetsOf(f.index) : null,
    spilled: spillByPath.get(f.info.path)?.finish() ?? null,
    ...(f.info.dataPath ? { dataPath: f.info.dataPath } : {}),
  }));
  for (const f of input.files) await f.index?.close();
  return { model, files: scanned, isFolder: input.isFolder, firstSamplesMs };
}

/** The offsets table of a JSON-array index (its scan stats are not returned; the table is the index's constructor argument). */
function offsetsOf(index: object): RecordOffsets {
  return (index as unknown as { offsets: RecordOffsets }).offsets;
}

/** Rows for the first records while the scan goes on: no group or recomputed advantage yet. */
function provisionalRows(early: { raw: RawRecord; file: number }[], det: FormatDetection, opts: ScanOptions, contexts: FileContext[]): SampleRow[] {
  const rows: SampleRow[] = [];
  // The same conventions the run builder decides on these records, so provisional flags match the final ones.
  const conventions = conventionsOfRecords(early.map((e) => e.raw.value), det);
  for (const { raw, file } of early) {
    const ctx = contexts[file];
    const out = normaliseRecord(raw, det, { stepFromName: ctx?.stepFromName ?? null, split: ctx?.split ?? null });
    if (!Array.isArray(out)) continue;
    for (const s of out) {
      const text = completionText(s.completion);
      const a = analyseCompletion({ completion: text, prompt: promptText(s.prompt), finishReason: s.finishReason, targetLanguage: opts.lang ?? 'auto', enabled: opts.enabledFlags, conventions, ...agenticFields(s) });
      rows.push({
        index: rows.length, reward: s.reward, advantage: s.advantage, group: null, step: s.step, length: text.length,
        flags: [...new Set(a.flags.map((f) => f.kind))], preview: previewOf(s),
      });
    }
  }
  return rows;
}

function finiteRange(a: Float64Array): { min: number; max: number } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of a) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return lo <= hi ? { min: lo, max: hi } : null;
}

/** The whole-run figures the viewer posts when a scan ends (see ScanDerived). */
export function deriveScan(model: RunModel): ScanDerived {
  const steps = new Set<number>();
  for (const s of model.columns.step) if (!Number.isNaN(s)) steps.add(s);
  return {
    aggregates: chartAggregates(model),
    trends: runTrends(model),
    health: runHealth(model),
    steps: steps.size,
    rewardRange: finiteRange(model.columns.reward),
    advantageRange: finiteRange(model.groups.advantage),
  };
}
