// The one entry point the CLI, the extension and the bench use to read rollouts: a file of any container
// (detected by content) or a folder of step files read as one run.
import { promises as fsp } from 'node:fs';
import { basename, dirname } from 'node:path';
import { explainNonRollout, isJsonObject, type NotRollout } from '../core/columnar';
import { parseJsonTolerant } from '../core/json-tolerant';
import type { JsonObject, RawRecord, Split } from '../core/types';
import { listRunFolder, siblingMetadataPath, splitFromName, stepOfFile } from './input-files';
import { readJsonObjectFile, scanJsonArray } from './json-container';
import { scanJsonl, type ScanStats } from './jsonl-scan';
import { readParquet } from './parquet-reader';
import { InputError, type ReadHandlers } from './read-types';
import { JsonlRecordIndex } from './record-index';
import { sniffInput, type ContainerKind } from './sniff';
import { CorruptArchiveError, DecompressedSource, encodingName, removeSpill, spillDecompressed, type Encoding } from './decompress';

export { InputError } from './read-types';
export type { ContainerKind } from './sniff';

export interface InputFileInfo {
  path: string;
  stepFromName: number | null;
  split: Split | null;
  /** The container of the content (inside the archive for a compressed file). */
  container: ContainerKind;
  /** gzip / zstd file, decompressed as it is read; or UTF-16 text, decoded to UTF-8 as it is read. */
  compression?: Encoding;
  /**
   * A compressed file read with keepOffsets: its decompressed copy (a temporary file) that the offsets point into.
   * The reader of the offsets owns it and removes it with removeSpill() (decompress.ts).
   */
  dataPath?: string;
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
  const fr = await readOneFile(path, stepOfFile(path), splitFromName(rel), handlers, opts);
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
  let compression: Encoding | null;
  try {
    ({ container, compression } = await sniffInput(path, size));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path, 'unreadable');
  }
  const info: InputFileInfo = { path, stepFromName: step, split, container };
  if (compression !== null) info.compression = compression;
  handlers.onFile?.(info);
  try {
    return compression === null ? await readContainer(path, path, info, handlers, opts) : await readCompressed(path, info, compression, size, handlers, opts);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof CorruptArchiveError) throw new InputError(e.message, path, 'unreadable');
    // File system failures while reading (EACCES, EIO, the file vanished) become InputErrors naming the path.
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code !== 'ABORT_ERR') throw new InputError(`${path}: cannot be read (${code})`, path, 'unreadable');
    throw e;
  }
}

/**
 * A gzip / zstd file, or UTF-16 text (decoded the same way). One streaming pass decompresses JSONL and JSON arrays as they are scanned (nothing on disk);
 * with keepOffsets (the viewer's random access) and for a whole-file object, the decompressed bytes are written
 * once to a temporary file that is then read like any other (docs/recognition.md: what random access costs).
 */
async function readCompressed(
  path: string, info: InputFileInfo, compression: Encoding, size: number, handlers: ReadInputHandlers, opts: ReadInputOptions,
): Promise<FileReadResult> {
  if (compression === 'utf-16le' || compression === 'utf-16be') {
    handlers.onNote?.({ file: path, line: null, kind: 'info', message: `${encodingName(compression)} text, decoded to UTF-8 as it is read (the file is unchanged)` });
  }
  if (opts.keepOffsets || info.container === 'json-object') {
    const { path: spill, failure } = await spillDecompressed(path, compression, opts.signal);
    if (failure !== null) handlers.onNote?.({ file: path, line: null, kind: 'info', message: failure });
    let fr: FileReadResult;
    try {
      fr = await readContainer(spill, path, info, handlers, opts);
    } catch (e) {
      await removeSpill(spill);
      throw e;
    }
    if (fr.index) {
      fr.info = { ...fr.info, dataPath: spill };
      info.dataPath = spill;
    } else {
      await removeSpill(spill);
    }
    return fr;
  }
  const source = new DecompressedSource(path, compression, size, opts.signal);
  // Progress is the compressed bytes read against the size on disk (the decompressed size is not known).
  const progress = handlers.onProgress ? { ...handlers, onProgress: () => handlers.onProgress?.(source.compressedRead, size) } : handlers;
  let fr: FileReadResult;
  if (info.container === 'json-array') {
    const counted = countBadLines(progress);
    const s = await scanJsonArray(path, counted.handlers, { signal: opts.signal, displayName: path, source });
    fr = { info, records: s.records, badLines: counted.count() };
  } else {
    fr = await readJsonl(path, path, info, progress, opts, source);
  }
  if (source.failure !== null) handlers.onNote?.({ file: path, line: null, kind: 'info', message: source.failure });
  return fr;
}

/** Reads `src` (the file, or the decompressed copy of a compressed `path`), naming records and errors after `path`. */
async function readContainer(src: string, path: string, info: InputFileInfo, handlers: ReadInputHandlers, opts: ReadInputOptions): Promise<FileReadResult> {
  const container = info.container;
  const counted = countBadLines(handlers);
  const base = { signal: opts.signal, displayName: path };
  switch (container) {
    case 'parquet': {
      const s = await readParquet(src, counted.handlers, base);
      return { info, records: s.records, badLines: counted.count() };
    }
    case 'json-array': {
      const s = await scanJsonArray(src, counted.handlers, { ...base, keepOffsets: opts.keepOffsets });
      const fr: FileReadResult = { info, records: s.records, badLines: counted.count() };
      if (s.offsets) fr.index = new JsonlRecordIndex(src, s.offsets, path, 1, 'json-array');
      return fr;
    }
    case 'json-object': {
      // Buffered so that a file that turns out not to be one object can be read as JSONL instead.
      const held: RawRecord[] = [];
      const r = await readJsonObjectFile(src, { ...counted.handlers, onRecord: (x) => held.push(x) }, base);
      if (r.kind === 'not-rollout') {
        handlers.onNote?.({ file: path, line: null, kind: 'info', message: `not a rollout file: ${r.notRollout.explanation}` });
        return { info, records: 0, badLines: 0, notRollout: r.notRollout };
      }
      if (r.kind === 'records') {
        for (const x of held) handlers.onRecord(x);
        return { info, records: r.records, badLines: counted.count() };
      }
      // Not one object after all (e.g. a JSONL file whose first line is broken): per-line errors are clearer.
      return readJsonl(src, path, { ...info, container: 'jsonl' }, handlers, opts);
    }
    case 'jsonl':
      return readJsonl(src, path, info, handlers, opts);
  }
}

/** JSONL, holding back the first record so that a one-line file with a known non-rollout object is explained. */
async function readJsonl(
  src: string, path: string, info: InputFileInfo, handlers: ReadInputHandlers, opts: ReadInputOptions, source?: DecompressedSource,
): Promise<FileReadResult> {
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
  const scan = await scanJsonl(src, { ...counted.handlers, onRecord }, {
    signal: opts.signal, keepOffsets: source ? false : opts.keepOffsets, expandContainers: true, displayName: path, chunkSize: opts.chunkSize, source,
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
  if (scan.offsets && fr.notRollout === undefined) fr.index = new JsonlRecordIndex(src, scan.offsets, path, 1, 'jsonl');
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
