// Parallel reading of large rollout files and run folders: each worker thread reads its own part of a file (a byte
// range of a JSONL file cut at line boundaries, a byte range of a JSON array's items cut after depth-1 commas, a
// span of parquet row groups), parses, normalises and analyses it (range-prepare.ts) and sends back compact columns;
// this thread only merges them, in file order, into the RunBuilder. The main thread therefore never parses the
// file nor ships completion strings to the workers: on 2 cores both do the parse and the analysis.
//
// The result is identical to the streaming path (read-input.ts + RunBuilder.addRecord + AnalysisPool): the format
// is detected here on the same first 20 records, line and record numbers are re-based range by range, and the
// reader's notes are replayed with the same file-wide limits. Inputs where that equivalence would need more than
// this (kept samples, single-object files, compressed files, files too small to be worth it) return null and
// the caller takes the streaming path.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { closeSync, openSync, readSync, promises as fsp } from 'node:fs';
import { basename, dirname } from 'node:path';
import { detectFormat } from '../core/formats/detect';
import { conventionsOfRecords } from '../core/run/conventions';
import { RunBuilder, type PreparedSample, type RunBuilderOptions, type RunModel } from '../core/run/run-builder';
import type { FieldMap, FormatDetection, JsonValue, ReadNote, Split } from '../core/types';
import { GROUP_KEY_SOURCES, type RangeResult, type RangeTask, type RangeUnit, type SampleResult, type SampleTask } from './range-messages';
import { planJsonArrayRanges } from './json-container';
import { parquetRowGroups } from './parquet-reader';
import type { ContainerKind } from './sniff';
import { listRunFolder, splitFromName, stepOfFile } from './input-files';
import { sniffContainer } from './sniff';
import { RecordOffsets } from './record-offsets';
import { RecordSpillWriter, type SpilledRecordsData } from './viewer/record-spill';
import { workerEntry } from './analysis-pool';
import { InputError } from './read-types';

/** Below this many bytes in total the streaming path is as fast (worker start-up dominates). */
export const PARALLEL_MIN_BYTES = 8 << 20;
/**
 * Target range size: large enough that per-task overhead is noise, small enough to keep both cores busy and the
 * workers' heaps small (with bounded young generations, see YOUNG_GENERATION_MB, peak RSS on 1 GB went from 353 to
 * 280 MB at the same CPU time).
 */
const RANGE_BYTES = 2 << 20;
const MAX_NOTES_PER_KIND = 100;

export interface ParallelLoadOptions extends RunBuilderOptions {
  signal?: AbortSignal;
  /** Bytes merged so far and in total, samples merged so far, files started. */
  onProgress?(done: number, total: number, samples: number, files: number): void;
  /** Worker threads (default: one per core). */
  workers?: number;
  /** Keep per-file record offsets for random access (the viewer). */
  keepOffsets?: boolean;
  /** Force the parallel path below PARALLEL_MIN_BYTES (tests). */
  minBytes?: number;
  /** Range size in bytes (tests use small ranges to put boundaries everywhere). */
  rangeBytes?: number;
}

export interface ParallelFile {
  path: string;
  container: ContainerKind;
  stepFromName: number | null;
  split: Split | null;
  size: number;
  records: number;
  badLines: number;
  offsets?: RecordOffsets;
  /** keepOffsets on a parquet file: its records in the viewer's temporary copy (record-spill.ts). */
  spilled?: SpilledRecordsData;
}

export interface ParallelLoaded {
  model: RunModel;
  files: ParallelFile[];
  /** Worker CPU time per range, summed (ms), for the bench. */
  workerMs: number;
  /** Longest synchronous stretch of this thread's own work (planning, one range's merge, finishing), in ms. */
  longestBlockMs: number;
}

interface PlannedFile {
  path: string;
  stepFromName: number | null;
  split: Split | null;
  size: number;
  container: ContainerKind;
}

/**
 * Files of the input if every one is JSONL, a JSON array or parquet (with kept offsets, parquet rows go to the
 * viewer's temporary copy: record-spill.ts). Null otherwise, and for any file the sniffer rejects: the
 * streaming path reports it as a per-file error and reads the rest.
 */
async function planFiles(path: string, signal?: AbortSignal): Promise<PlannedFile[] | null> {
  const st = await fsp.stat(path);
  const list: PlannedFile[] = [];
  if (st.isDirectory()) {
    const listing = await listRunFolder(path, signal);
    if (listing.files.length === 0) return null;
    for (const f of listing.files) list.push({ path: f.path, stepFromName: f.stepFromName, split: f.split, size: 0, container: 'jsonl' });
  } else if (st.isFile()) {
    const rel = `${basename(dirname(path))}/${basename(path)}`;
    list.push({ path, stepFromName: stepOfFile(path), split: splitFromName(rel), size: st.size, container: 'jsonl' });
  } else {
    return null;
  }
  for (const f of list) {
    // An entry that cannot be read (dangling link, symlink loop, no permission): the streaming path reads the
    // rest of the folder and reports this one as a bad file.
    const s = await fsp.stat(f.path).catch(() => null);
    if (s === null) return null;
    f.size = s.size;
    if (s.size === 0) return null;
    let c: ContainerKind | 'compressed';
    try {
      c = await sniffContainer(f.path, s.size);
    } catch {
      return null;
    }
    // A gzip or zstd stream cannot be cut into byte ranges: the streaming path decompresses it in one pass.
    if (c === 'compressed' || c === 'json-object') return null;
    f.container = c;
  }
  return list;
}

type PlannedUnit = { start: number; end: number; last: boolean; unit?: RangeUnit };
type RowGroupSizes = Awaited<ReturnType<typeof parquetRowGroups>>;

/** Spans of row groups of about `target` compressed bytes. */
function parquetUnits(groups: RowGroupSizes, target: number): PlannedUnit[] {
  const out: PlannedUnit[] = [];
  let from = 0;
  let bytes = 0;
  let start = 0;
  for (let g = 0; g < groups.length; g++) {
    bytes += groups[g].bytes;
    if (bytes >= target || g === groups.length - 1) {
      out.push({ start, end: start + bytes, last: g === groups.length - 1, unit: { kind: 'rows', fromGroup: from, toGroup: g + 1 } });
      start += bytes;
      bytes = 0;
      from = g + 1;
    }
  }
  return out;
}

/**
 * A file's tasks, in order, each handed to `emit` as soon as it is known: byte ranges of lines (found by probing near
 * each cut), byte ranges of a JSON array's items (found by scanning the whole array, which for 1 GB takes a second or
 * two: the workers start on the first ranges meanwhile) or spans of a parquet file's row groups (read before).
 */
async function planUnits(f: PlannedFile, target: number, parquetSpans: PlannedUnit[] | undefined, emit: (u: PlannedUnit) => void, signal?: AbortSignal): Promise<void> {
  if (f.container === 'json-array') {
    await planJsonArrayRanges(f.path, target, signal, (r) => emit({ start: r.start, end: r.end, last: r.last, unit: { kind: 'items', itemBase: r.itemBase, first: r.first } }));
    return;
  }
  if (f.container === 'parquet') {
    for (const u of parquetSpans ?? []) emit(u);
    return;
  }
  splitRanges(f.path, f.size, target).forEach(([start, end], k, all) => emit({ start, end, last: k === all.length - 1 }));
}

/** Cuts [0, size) into ranges that end just after a '\n' (the last one at the end of the file). */
function splitRanges(path: string, size: number, target: number): [number, number][] {
  const out: [number, number][] = [];
  const fd = openSync(path, 'r');
  try {
    const probe = Buffer.allocUnsafe(1 << 16);
    let start = 0;
    while (start < size) {
      let cut = start + target;
      if (cut >= size) {
        out.push([start, size]);
        break;
      }
      // Find the next '\n' at or after `cut`.
      let end = -1;
      while (cut < size) {
        const n = readSync(fd, probe, 0, probe.length, cut);
        if (n === 0) break;
        const nl = probe.subarray(0, n).indexOf(0x0a);
        if (nl >= 0) {
          end = cut + nl + 1;
          break;
        }
        cut += n;
      }
      if (end < 0 || end >= size) {
        out.push([start, size]);
        break;
      }
      out.push([start, end]);
      start = end;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

function noteMessage(kind: 'bom' | 'invalid-utf8' | 'incomplete-last-line' | 'non-finite-number', line: number): string {
  switch (kind) {
    case 'bom':
      return 'UTF-8 byte order mark at the start of the file (ignored)';
    case 'invalid-utf8':
      return `line ${line} is not valid UTF-8; invalid bytes were replaced by U+FFFD`;
    case 'incomplete-last-line':
      return `incomplete last line ${line} (the trainer may still be writing)`;
    case 'non-finite-number':
      return `line ${line} has NaN/Infinity literals (Python json.dumps); read as NaN/±Infinity`;
  }
}

interface FileState {
  lineBase: number;
  recordBase: number;
  invalidUtf8: number;
  /** JSON-array items' invalid-UTF-8 notes (scanJsonArray lists the first 100 per file). */
  invalidUtf8Items: number;
  nonFinite: number;
  badLines: number;
}

/**
 * Loads `path` in parallel when it qualifies (see the file comment); null when the caller should stream instead.
 * Requires analyse (the workers exist for the analysis); the model equals loadRun's streaming result.
 */
export async function loadRunParallel(path: string, opts: ParallelLoadOptions = {}): Promise<ParallelLoaded | null> {
  try {
    return await loadParallel(path, opts);
  } catch (e) {
    throw asInputError(e, path);
  }
}

/**
 * A file system failure (a step file deleted or made unreadable between listing and reading, here or in a worker)
 * becomes the InputError naming the file that the streaming reader would raise, not a raw "ENOENT: …, open".
 */
function asInputError(e: unknown, path: string): unknown {
  if (e instanceof InputError) return e;
  const err = e as NodeJS.ErrnoException | null;
  const code = err?.code;
  if (typeof code !== 'string' || code === 'ABORT_ERR') return e; // aborts and programming errors pass through
  const file = typeof err?.path === 'string' ? err.path : path;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new InputError(`${file}: no such file or folder`, file, 'missing');
  return new InputError(`${file}: cannot be read (${code})`, file, 'unreadable');
}

async function loadParallel(path: string, opts: ParallelLoadOptions): Promise<ParallelLoaded | null> {
  if (!opts.analyse || opts.keepSamples || opts.deferAnalysis) return null;
  const planned = await planFiles(path, opts.signal);
  if (planned === null) return null;
  const total = planned.reduce((a, f) => a + f.size, 0);
  if (total < (opts.minBytes ?? PARALLEL_MIN_BYTES)) return null;
  const entry = workerEntry();
  const workers: Worker[] = [];
  let early: Error | undefined;
  const newWorker = (): Worker => {
    const w = new Worker(entry.file, { execArgv: entry.execArgv, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    // Until the merge loop listens, a worker's failure is kept here (an 'error' with no listener would throw).
    w.on('error', (e) => void (early ??= e));
    workers.push(w);
    return w;
  };
  try {
    return await loadWithWorkers(planned, total, opts, newWorker, workers, () => early);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * A range's parsed records die young: a bounded young generation keeps each worker's RSS down (what survives a
 * scavenge is promoted, and the old generation's garbage waits for a full GC that comes late, at 35–40 MB). ROLL's
 * 8 MB one-line ranges first showed it (16 MB → 8 MB: 266 → 241 MB on the 1 GB folder at the same CPU time). On the
 * 1 GB file of real model texts, alternated runs: 16 MB 291–308 MB peak RSS, 8 MB 258–274 MB, 4 MB 244–250 MB, the
 * CPU time within this machine's run-to-run spread each time (60–63 s at 8 MB and at 4 MB). 4 MB is what the viewer's
 * scan thread already had.
 */
const YOUNG_GENERATION_MB = 4;

/** The detection sample, read by a worker (detect-sample.ts): one ROLL line is megabytes, a row group 100k rows. */
function sampleInWorker(w: Worker, task: SampleTask, signal?: AbortSignal): Promise<JsonValue[]> {
  return new Promise<JsonValue[]>((resolve, reject) => {
    const onAbort = (): void => done(() => reject(signal?.reason ?? new Error('aborted')));
    const onError = (e: unknown): void => done(() => reject(e instanceof Error ? e : new Error(String(e))));
    const onMessage = (r: SampleResult): void => done(() => {
      if (r.values) return resolve(r.values);
      const err = r.error ?? { message: 'no sample', name: 'Error' };
      if (err.name === 'InputError' && err.path !== undefined) reject(new InputError(err.message, err.path, err.code as InputError['code']));
      else reject(Object.assign(new Error(err.message), { code: err.code, path: err.path }));
    });
    function done(then: () => void): void {
      w.off('message', onMessage);
      w.off('error', onError);
      signal?.removeEventListener('abort', onAbort);
      then();
    }
    if (signal?.aborted) return onAbort();
    w.once('message', onMessage);
    w.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    w.postMessage(task);
  });
}

async function loadWithWorkers(
  planned: PlannedFile[], total: number, opts: ParallelLoadOptions, newWorker: () => Worker, workers: Worker[],
  earlyError: () => Error | undefined,
): Promise<ParallelLoaded | null> {
  const head = planned[0];
  // The streaming path detects on the first records of the first file only (a shorter first file: it declines).
  const want = opts.detectWindow ?? 20;
  const values = await sampleInWorker(newWorker(), { type: 'sample', path: head.path, container: head.container, size: head.size, want }, opts.signal);
  if (values.length < want) return null;
  const det: FormatDetection | null = detectFormat(values, {
    fileName: planned[0].path,
    format: opts.format ?? 'auto',
    fields: opts.fields as Partial<FieldMap> | undefined,
  });
  // Not recognised: every record becomes a bad line (the streaming path says so). TRL's re-log detection runs here
  // on row hashes the workers compute (RangeResult.relogHash).
  if (det === null) return null;

  const builder = new RunBuilder(opts);
  const conventions = conventionsOfRecords(values, det, planned[0].path);
  builder.useDetection(det, conventions);
  // Parquet footers first: an unreadable one sends the whole input to the streaming path, which reports it per file.
  const target = opts.rangeBytes ?? RANGE_BYTES;
  const parquetSpans: (PlannedUnit[] | undefined)[] = [];
  for (let fi = 0; fi < planned.length; fi++) {
    if (planned[fi].container !== 'parquet') continue;
    try {
      parquetSpans[fi] = parquetUnits(await parquetRowGroups(planned[fi].path), target);
    } catch (e) {
      if (e instanceof InputError) return null;
      throw e;
    }
  }
  // Tasks are planned while the workers run (planTasks below): a JSON array's ranges are known only by scanning it.
  const tasks: RangeTask[] = [];
  const taskFile: number[] = [];
  const planTasks = async (add: () => void): Promise<void> => {
    for (let fi = 0; fi < planned.length; fi++) {
      const f = planned[fi];
      await planUnits(f, target, parquetSpans[fi], (u) => {
        tasks.push({
          type: 'range', id: tasks.length, path: f.path, start: u.start, end: u.end, last: u.last, unit: u.unit, detection: det,
          stepFromName: f.stepFromName, split: f.split, analyse: true, keepFlags: opts.keepFlags ?? false,
          keepOffsets: opts.keepOffsets ?? false, lang: opts.lang ?? 'auto', enabledFlags: opts.enabledFlags, conventions,
        });
        taskFile.push(fi);
        add();
      }, opts.signal);
    }
  };

  const files: ParallelFile[] = planned.map((f) => ({ ...f, records: 0, badLines: 0, offsets: opts.keepOffsets && f.container !== 'parquet' ? new RecordOffsets() : undefined }));
  // Parquet rows have no offsets to read them back by: the workers encode them, this thread writes them in order.
  const spills: (RecordSpillWriter | null)[] = planned.map((f) => (opts.keepOffsets && f.container === 'parquet' ? new RecordSpillWriter() : null));
  const discardSpills = async (): Promise<void> => {
    for (const w of spills) await w?.discard();
  };
  const states: FileState[] = planned.map(() => ({ lineBase: 0, recordBase: 0, invalidUtf8: 0, invalidUtf8Items: 0, nonFinite: 0, badLines: 0 }));
  let currentFile = -1;
  let doneBytes = 0;
  let workerMs = 0;
  let longestBlockMs = 0;
  let samples = 0;
  let reserved = false;

  const finishFile = (fi: number): void => {
    const st = states[fi];
    const file = planned[fi].path;
    if (st.invalidUtf8 > MAX_NOTES_PER_KIND) {
      builder.addNote({ file, line: null, kind: 'invalid-utf8', message: `${st.invalidUtf8} lines are not valid UTF-8 (only the first ${MAX_NOTES_PER_KIND} are listed)` });
    }
    if (st.nonFinite > 1) {
      builder.addNote({ file, line: null, kind: 'non-finite-number', message: `${st.nonFinite} lines have NaN/Infinity literals; read as NaN/±Infinity` });
    }
    files[fi].badLines = st.badLines;
  };

  const scratchTrajectory: NonNullable<PreparedSample['trajectory']> = { turns: 1, toolCalls: 0, toolErrors: 0, names: undefined };
  const scratch: PreparedSample = {
    reward: NaN, advantage: NaN, step: NaN, line: 0, record: 0, chars: 0, flagBits: 0,
    group: { step: null, split: null, groupKey: null, groupKeySource: 'none', promptKey: null },
    flags: undefined, trajectory: scratchTrajectory, relogHash: undefined,
  };
  const merge = (r: RangeResult): void => {
    const fi = taskFile[r.id];
    while (currentFile < fi) {
      if (currentFile >= 0) finishFile(currentFile);
      currentFile++;
      const f = planned[currentFile];
      builder.beginFile({ path: f.path, stepFromName: f.stepFromName, split: f.split });
    }
    const st = states[fi];
    const file = planned[fi].path;
    const lb = st.lineBase;
    for (const e of r.events) {
      if (e.kind === 'bad') {
        st.badLines++;
        builder.addBadLine({ file, line: (e.byRecord ? st.recordBase : lb) + e.line, error: e.error });
        continue;
      }
      if (e.kind === 'read-note') {
        if (!e.utf8Item || ++st.invalidUtf8Items <= MAX_NOTES_PER_KIND) builder.addNote({ file, ...e.note });
        continue;
      }
      const line = lb + e.line;
      let keep = true;
      if (e.note === 'invalid-utf8') keep = ++st.invalidUtf8 <= MAX_NOTES_PER_KIND;
      else if (e.note === 'non-finite-number') keep = ++st.nonFinite === 1;
      if (keep) builder.addNote({ file, line, kind: e.note, message: noteMessage(e.note, line) } satisfies ReadNote);
    }
    const n = r.reward.length;
    if (!reserved && n > 0) {
      // Size the run's columns once from the first range's samples per byte (+5 %), instead of doubling them.
      reserved = true;
      const t = tasks[r.id];
      builder.reserve((n / Math.max(1, t.end - t.start)) * total * 1.05);
    }
    const s = r.strings;
    let nameAt = 0;
    // One object filled for every sample (addPrepared keeps none of it) instead of three new ones: this loop runs for
    // every sample of the run on the merging thread. (That thread's young generation still grows to its maximum: the
    // results it deserialises and the group keys it keeps survive scavenges.)
    const p = scratch;
    const g = p.group;
    const traj = scratchTrajectory;
    for (let i = 0; i < n; i++) {
      const stepV = r.step[i];
      const called = r.toolNameCount[i];
      traj.names = called === 0 ? undefined : Array.from(r.toolNameIds.subarray(nameAt, nameAt + called), (k) => r.toolNameList[k]);
      nameAt += called;
      const sp = r.split[i];
      const gk = r.groupKey[i];
      const pk = r.promptKey[i];
      p.reward = r.reward[i];
      p.advantage = r.advantage[i];
      p.step = stepV;
      p.line = r.line[i] === 0 ? 0 : lb + r.line[i];
      p.record = st.recordBase + r.record[i];
      p.chars = r.chars[i];
      p.flagBits = r.flagBits[i];
      g.step = Number.isNaN(stepV) ? null : stepV;
      g.split = sp < 0 ? null : (s[sp] as Split);
      g.groupKey = gk < 0 ? null : s[gk];
      g.groupKeySource = GROUP_KEY_SOURCES[r.groupKeySource[i]];
      g.promptKey = pk < 0 ? null : s[pk];
      p.flags = r.flags?.[i];
      traj.turns = r.turns[i];
      traj.toolCalls = r.toolCalls[i];
      traj.toolErrors = r.toolErrors[i];
      p.relogHash = r.relogHash?.[i];
      builder.addPrepared(p, fi);
    }
    builder.addToolNames(r.toolNames, r.malformedCalls);
    const offs = files[fi].offsets;
    if (offs && r.offsets) {
      const o = r.offsets;
      if (offs.count === 0 && o.byteOffset.length > 0) {
        // The file's table sized once from its first range's records per byte (+5 %), as the columns above: grown
        // by doubling it ended up to twice the records (10 MB for 334,704 records) and held both sizes meanwhile.
        const t = tasks[r.id];
        offs.reserve((o.byteOffset.length / Math.max(1, t.end - t.start)) * planned[fi].size * 1.05);
      }
      for (let i = 0; i < o.byteOffset.length; i++) offs.push(o.byteOffset[i], o.byteLength[i], lb + o.line[i], o.row[i]);
    }
    if (r.spill) {
      const w = spills[fi];
      if (w === null) throw new Error(`range ${r.id}: rows to keep for a file that keeps none`);
      w.addEncoded(r.spill.bytes, r.spill.lengths, r.spill.records, st.recordBase);
    }
    st.lineBase += r.lines;
    st.recordBase += r.records;
    files[fi].records += r.records;
    workerMs += r.ms;
    doneBytes += tasks[r.id].end - tasks[r.id].start;
    samples += n;
    opts.onProgress?.(doneBytes, total, samples, currentFile + 1);
  };

  // Enough workers for the tasks to come (ranges are cut at about `target` bytes; parquet spans are known already).
  const expected = planned.reduce((a, f, fi) => a + (f.container === 'parquet' ? (parquetSpans[fi]?.length ?? 0) : Math.ceil(f.size / target)), 0);
  const size = Math.max(1, Math.min(opts.workers ?? availableParallelism(), expected));
  while (workers.length < size) newWorker();
  try {
    await new Promise<void>((resolve, reject) => {
      const results = new Map<number, RangeResult>();
      let next = 0; // next task to send
      let merged = 0; // next task to merge
      let failed = false;
      const fail = (e: unknown): void => {
        if (failed) return;
        failed = true;
        reject(e instanceof Error ? e : new Error(String(e)));
      };
      const onAbort = (): void => fail(opts.signal?.reason ?? new Error('aborted'));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      // Workers that asked for a task before the planner had one: served in order as tasks are planned.
      const waiting: Worker[] = [];
      let plannedAll = false;
      const send = (w: Worker): void => {
        if (next < tasks.length) w.postMessage(tasks[next++]);
        else if (!plannedAll) waiting.push(w);
      };
      const settleIfDone = (): void => {
        if (!failed && plannedAll && merged === tasks.length) {
          opts.signal?.removeEventListener('abort', onAbort);
          resolve();
        }
      };
      const e0 = earlyError();
      if (e0 !== undefined) fail(e0);
      for (const w of workers) {
        w.on('error', fail);
        w.on('message', (r: RangeResult) => {
          if (failed) return;
          // Keep each worker two ranges deep so it never waits for this thread's merge.
          send(w);
          results.set(r.id, r);
          const m0 = performance.now();
          try {
            // A cancel during a merge (from a progress callback) stops the merging at once.
            while (!failed && results.has(merged)) {
              const ready = results.get(merged) as RangeResult;
              results.delete(merged);
              merge(ready);
              merged++;
            }
          } catch (e) {
            fail(e);
            return;
          }
          longestBlockMs = Math.max(longestBlockMs, performance.now() - m0);
          settleIfDone();
        });
        send(w);
        send(w);
      }
      planTasks(() => {
        while (waiting.length > 0 && next < tasks.length && !failed) (waiting.shift() as Worker).postMessage(tasks[next++]);
      }).then(() => {
        plannedAll = true;
        settleIfDone();
      }, fail);
    });
    opts.signal?.throwIfAborted();
  } catch (e) {
    await discardSpills();
    throw e;
  }
  // Every range is merged: the workers' heaps (30–40 MB each, much of it garbage no full GC has collected yet) go
  // before finish() allocates the groups, instead of after it (the peak RSS of a 1 GB load was at that moment).
  await Promise.all(workers.map((w) => w.terminate()));
  const f0 = performance.now();
  if (currentFile >= 0) finishFile(currentFile);
  builder.endInput();
  const model = builder.finish();
  spills.forEach((w, fi) => {
    if (w) files[fi].spilled = w.finish();
  });
  longestBlockMs = Math.max(longestBlockMs, performance.now() - f0);
  return { model, files, workerMs, longestBlockMs };
}
