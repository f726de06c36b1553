// The one entry point the CLI, the extension and the bench use to read rollouts: a file of any container
// (detected by content) or a folder of step files read as one run.
import { promises as fsp } from 'node:fs';
import { basename, dirname } from 'node:path';
import { explainNonRollout, isJsonObject, type NotRollout } from '../core/columnar';
import { parseJsonTolerant } from '../core/json-tolerant';
import type { JsonObject, RawRecord, Split } from '../core/types';
import { listRunFolder, siblingMetadataPath, splitFromName, stepFromName } from './input-files';
import { readJsonObjectFile, scanJsonArray } from './json-container';
import { scanJsonl, type ScanStats } from './jsonl-scan';
import { readParquet } from './parquet-reader';
import { InputError, type ReadHandlers } from './read-types';
import { JsonlRecordIndex } from './record-index';
import { sniffContainer, type ContainerKind } from './sniff';

export { InputError } from './read-types';
export type { ContainerKind } from './sniff';

export interface InputFileInfo {
  path: string;
  stepFromName: number | null;
  split: Split | null;
  container: ContainerKind;
}

export interface ReadInputHandlers extends ReadHandlers {
  /** Called before the records of each file. */
  onFile?(info: InputFileInfo): void;
}

export interface ReadInputOptions {
  signal?: AbortSignal;
  /** Keep record offsets of JSONL and JSON-array files for random access (FileReadResult.index). */
  keepOffsets?: boolean;
  /** JSONL read buffer size: smaller chunks let an interactive caller (the viewer) yield more often. */
  chunkSize?: number;
}

export interface FileReadResult {
  info: InputFileInfo;
  records: number;
  badLines: number;
  /** The file is a known object that holds no rollouts (trainer_state.json, verifiers metadata.json). */
  notRollout?: NotRollout;
  /** The whole file failed (only inside a folder; a single file throws InputError instead). */
  error?: string;
  /** Random access to the records (JSONL and JSON-array files with keepOffsets). Close it when done. */
  index?: JsonlRecordIndex;
  /** Scan details of a JSONL file (endOffset etc. for a live tail). */
  scan?: ScanStats;
}

export interface InputReadResult {
  path: string;
  isFolder: boolean;
  files: FileReadResult[];
  records: number;
  badLines: number;
  /** Run metadata found next to the rollouts (verifiers metadata.json: rollouts_per_example = group size). */
  metadata: JsonObject | null;
  /** Files of a folder left out on purpose. */
  skipped: { path: string; reason: string }[];
}

async function statOrThrow(path: string): Promise<import('node:fs').Stats> {
  try {
    return await fsp.stat(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError(`${path}: no such file or folder`, path, 'missing');
    throw new InputError(`${path}: cannot be read (${code ?? String(e)})`, path, 'unreadable');
  }
}

export async function readInput(path: string, handlers: ReadInputHandlers, opts: ReadInputOptions = {}): Promise<InputReadResult> {
  const st = await statOrThrow(path);
  const result: InputReadResult = { path, isFolder: st.isDirectory(), files: [], records: 0, badLines: 0, metadata: null, skipped: [] };
  if (st.isDirectory()) {
    const listing = await listRunFolder(path, opts.signal);
    result.skipped = listing.skipped;
    if (listing.files.length === 0) {
      throw new InputError(`${path}: no rollout files (.jsonl, .json, .parquet) in this folder`, path, 'no-rollout-files');
    }
    for (const f of listing.files) {
      let fr: FileReadResult;
      try {
        fr = await readOneFile(f.path, f.stepFromName, f.split, handlers, opts);
      } catch (e) {
        if (!(e instanceof InputError)) throw e; // aborts and programming errors are not per-file problems
        const error = e.message;
        handlers.onBadLine?.({ file: f.path, line: 0, error });
        fr = { info: { path: f.path, stepFromName: f.stepFromName, split: f.split, container: 'jsonl' }, records: 0, badLines: 0, error };
      }
      addFile(result, fr);
    }
    return result;
  }
  if (!st.isFile()) throw new InputError(`${path}: not a regular file`, path, 'unreadable');
  const rel = `${basename(dirname(path))}/${basename(path)}`;
  const fr = await readOneFile(path, stepFromName(basename(path)), splitFromName(rel), handlers, opts);
  addFile(result, fr);
  if (result.metadata === null) result.metadata = await readSiblingMetadata(path);
  return result;
}

function addFile(result: InputReadResult, fr: FileReadResult): void {
  result.files.push(fr);
  result.records += fr.records;
  result.badLines += fr.badLines;
  if (fr.notRollout?.kind === 'verifiers-metadata' && result.metadata === null) result.metadata = fr.notRollout.metadata;
}

async function readOneFile(
  path: string,
  step: number | null,
  split: Split | null,
  handlers: ReadInputHandlers,
  opts: ReadInputOptions,
): Promise<FileReadResult> {
  let size: number;
  try {
    const st = await fsp.stat(path);
    size = st.size;
  } catch (e) {
    throw new InputError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path, 'unreadable');
  }
  let container: ContainerKind;
  try {
    container = await sniffContainer(path, size);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path, 'unreadable');
  }
  const info: InputFileInfo = { path, stepFromName: step, split, container };
  handlers.onFile?.(info);
  try {
    return await readContainer(path, info, handlers, opts);
  } catch (e) {
    if (e instanceof InputError) throw e;
    // File system failures while reading (EACCES, EIO, the file vanished) become InputErrors naming the path.
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code !== 'ABORT_ERR') throw new InputError(`${path}: cannot be read (${code})`, path, 'unreadable');
    throw e;
  }
}

async function readContainer(path: string, info: InputFileInfo, handlers: ReadInputHandlers, opts: ReadInputOptions): Promise<FileReadResult> {
  const container = info.container;
  const counted = countBadLines(handlers);
  const base = { signal: opts.signal, displayName: path };
  switch (container) {
    case 'parquet': {
      const s = await readParquet(path, counted.handlers, base);
      return { info, records: s.records, badLines: counted.count() };
    }
    case 'json-array': {
      const s = await scanJsonArray(path, counted.handlers, { ...base, keepOffsets: opts.keepOffsets });
      const fr: FileReadResult = { info, records: s.records, badLines: counted.count() };
      if (s.offsets) fr.index = new JsonlRecordIndex(path, s.offsets, path, 1, 'json-array');
      return fr;
    }
    case 'json-object': {
      // Buffered so that a file that turns out not to be one object can be read as JSONL instead.
      const held: RawRecord[] = [];
      const r = await readJsonObjectFile(path, { ...counted.handlers, onRecord: (x) => held.push(x) }, base);
      if (r.kind === 'not-rollout') {
        handlers.onNote?.({ file: path, line: null, kind: 'info', message: `not a rollout file: ${r.notRollout.explanation}` });
        return { info, records: 0, badLines: 0, notRollout: r.notRollout };
      }
      if (r.kind === 'records') {
        for (const x of held) handlers.onRecord(x);
        return { info, records: r.records, badLines: counted.count() };
      }
      // Not one object after all (e.g. a JSONL file whose first line is broken): per-line errors are clearer.
      return readJsonl(path, { ...info, container: 'jsonl' }, handlers, opts);
    }
    case 'jsonl':
      return readJsonl(path, info, handlers, opts);
  }
}

/** JSONL, holding back the first record so that a one-line file with a known non-rollout object is explained. */
async function readJsonl(path: string, info: InputFileInfo, handlers: ReadInputHandlers, opts: ReadInputOptions): Promise<FileReadResult> {
  const counted = countBadLines(handlers);
  let first: RawRecord | null = null;
  let forwarded = 0;
  const onRecord = (r: RawRecord): void => {
    if (forwarded === 0 && first === null) {
      first = r;
      return;
    }
    if (first !== null) {
      handlers.onRecord(first);
      first = null;
      forwarded++;
    }
    handlers.onRecord(r);
    forwarded++;
  };
  const scan = await scanJsonl(path, { ...counted.handlers, onRecord }, {
    signal: opts.signal, keepOffsets: opts.keepOffsets, expandContainers: true, displayName: path, chunkSize: opts.chunkSize,
  });
  const fr: FileReadResult = { info, records: scan.records, badLines: counted.count(), scan };
  const held = first as RawRecord | null;
  if (held !== null) {
    const nr = forwarded === 0 && held.source.rowIndex === null && isJsonObject(held.value) ? explainNonRollout(held.value) : null;
    if (nr !== null) {
      handlers.onNote?.({ file: path, line: null, kind: 'info', message: `not a rollout file: ${nr.explanation}` });
      fr.notRollout = nr;
      fr.records = 0;
      fr.info = { ...info, container: 'json-object' }; // a one-line file holding a single object
    } else {
      handlers.onRecord(held);
    }
  }
  if (scan.offsets && fr.notRollout === undefined) fr.index = new JsonlRecordIndex(path, scan.offsets, path, 1, 'jsonl');
  return fr;
}

function countBadLines(handlers: ReadHandlers): { handlers: ReadHandlers; count: () => number } {
  let n = 0;
  return {
    handlers: { ...handlers, onBadLine: (b) => { n++; handlers.onBadLine?.(b); } },
    count: () => n,
  };
}

async function readSiblingMetadata(path: string): Promise<JsonObject | null> {
  const meta = siblingMetadataPath(path);
  if (meta === null) return null;
  try {
    const st = await fsp.stat(meta);
    if (st.size > 1 << 20) return null;
    const parsed = parseJsonTolerant(await fsp.readFile(meta, 'utf8'));
    if (!parsed.ok || !isJsonObject(parsed.value)) return null;
    return explainNonRollout(parsed.value)?.metadata ?? null;
  } catch {
    return null;
  }
}
