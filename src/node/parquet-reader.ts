// Parquet rollouts (TRL completions_*.parquet, prime-rl platform rows) through hyparquet. The file is read with
// positioned reads on an fs handle (AsyncBuffer), one row group at a time, so a large file is never in memory at
// once. Cells are converted to plain JSON values; NaN rewards stay NaN (a reward function that returned None).
import { promises as fsp } from 'node:fs';
import type { AsyncBuffer, Compressors, FileMetaData } from 'hyparquet';
import type { JsonObject, JsonValue } from '../core/types';
import { InputError, type ReadHandlers } from './read-types';
import { RecordEmitter } from './record-emitter';
import { readFullyAt } from './read-at';

export interface ParquetOptions {
  signal?: AbortSignal;
  displayName?: string;
  /** Only the row groups in [from, to) (the parallel reader gives each worker a span of row groups). */
  rowGroups?: { from: number; to: number };
  /** Stop after this many rows (the detection sample needs 20 rows, not a 100k-row group). */
  maxRows?: number;
}

/**
 * Decoded bytes per read: a row group is decoded in slices of about this many uncompressed bytes (hyparquet skips
 * the pages before a slice without decompressing them), so that a 100k-row group is never decoded, converted and
 * held at once. Slices of a 2,048-row group of rollouts are a few hundred rows.
 */
const SLICE_BYTES = 4 << 20;

/** Rows and compressed bytes of each row group, for planning a parallel read; throws InputError as readParquet would. */
export async function parquetRowGroups(path: string): Promise<{ rows: number; bytes: number }[]> {
  const { lib, compressors } = await loadHyparquet();
  const fh = await fsp.open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    let metadata: FileMetaData;
    try {
      metadata = await lib.parquetMetadataAsync(fileAsyncBuffer(fh, size));
    } catch (e) {
      throw new InputError(`${path}: not a readable parquet file (${e instanceof Error ? e.message : String(e)})`, path, 'unreadable');
    }
    checkCodecs(metadata, compressors, path);
    return metadata.row_groups.map((rg) => ({ rows: Number(rg.num_rows), bytes: Number(rg.total_compressed_size ?? rg.total_byte_size) }));
  } finally {
    await fh.close();
  }
}

export interface ParquetStats {
  rows: number;
  records: number;
  rowGroups: number;
  columns: string[];
}

const EMPTY_ROW: Record<string, unknown> = {};

/** Codecs hyparquet decodes without help. */
const BUILTIN_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY']);

/** hyparquet is ESM-only; a dynamic import keeps this module loadable from CommonJS (tests, CLI bundle). */
async function loadHyparquet(): Promise<{ lib: typeof import('hyparquet'); compressors: Compressors }> {
  const [lib, comp] = await Promise.all([import('hyparquet'), import('hyparquet-compressors')]);
  return { lib, compressors: comp.compressors };
}

function fileAsyncBuffer(fh: fsp.FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = Math.min(end ?? size, size);
      const length = Math.max(0, stop - start);
      const ab = new ArrayBuffer(length);
      await readFullyAt(fh, new Uint8Array(ab), start);
      return ab;
    },
  };
}

/** Converts a parquet cell to JSON: BigInt → number (string when unsafe), typed arrays → arrays, Date → ISO. */
export function toJsonValue(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'number':
    case 'string':
    case 'boolean':
      return v;
    case 'bigint':
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
    case 'object':
      break;
    default:
      return String(v);
  }
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (ArrayBuffer.isView(v)) {
    if (v instanceof Uint8Array) return Array.from(v);
    return Array.from(v as unknown as ArrayLike<number | bigint>, (x) => toJsonValue(x));
  }
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toJsonValue(x);
  return out;
}

function checkCodecs(metadata: FileMetaData, compressors: Compressors, file: string): void {
  for (const rg of metadata.row_groups) {
    for (const col of rg.columns) {
      const md = col.meta_data;
      if (!md) continue;
      if (!BUILTIN_CODECS.has(md.codec) && !(md.codec in compressors)) {
        throw new InputError(
          `${file}: parquet column ${md.path_in_schema.join('.')} uses codec ${md.codec} which is not supported`,
          file,
          'unsupported',
        );
      }
    }
  }
}

/** Reads every row of a parquet file as a RawRecord (rowIndex = 0-based row, line = null). */
export async function readParquet(path: string, handlers: ReadHandlers, opts: ParquetOptions = {}): Promise<ParquetStats> {
  const file = opts.displayName ?? path;
  const { lib, compressors } = await loadHyparquet();
  const fh = await fsp.open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const buffer = fileAsyncBuffer(fh, size);
    let metadata: FileMetaData;
    try {
      metadata = await lib.parquetMetadataAsync(buffer);
    } catch (e) {
      throw new InputError(`${file}: not a readable parquet file (${e instanceof Error ? e.message : String(e)})`, file, 'unreadable');
    }
    checkCodecs(metadata, compressors, file);
    const columns = lib.parquetSchema(metadata).children.map((c) => c.element.name);
    const emitter = new RecordEmitter(handlers, false, null);
    const stats: ParquetStats = { rows: 0, records: 0, rowGroups: metadata.row_groups.length, columns };
    let rowStart = 0;
    let bytesDone = 0;
    const from = opts.rowGroups?.from ?? 0;
    const to = opts.rowGroups?.to ?? metadata.row_groups.length;
    for (let g = 0; g < to; g++) {
      const rg = metadata.row_groups[g];
      opts.signal?.throwIfAborted();
      const rowEnd = rowStart + Number(rg.num_rows);
      if (g < from) {
        rowStart = rowEnd;
        continue;
      }
      const groupRows = rowEnd - rowStart;
      const perSlice = Math.max(1, Math.floor(groupRows * SLICE_BYTES / Math.max(1, Number(rg.total_byte_size))));
      for (let s = rowStart; s < rowEnd; s += perSlice) {
        const left = opts.maxRows === undefined ? Infinity : opts.maxRows - stats.rows;
        if (left <= 0) break;
        const e = Math.min(rowEnd, s + perSlice, s + left);
        let rows: Record<string, unknown>[] = [];
        try {
          await lib.parquetRead({
            file: buffer, metadata, compressors, rowStart: s, rowEnd: e, rowFormat: 'object',
            onComplete: (r) => {
              rows = r;
            },
          });
        } catch (err) {
          // The message names the whole row group, whichever slice of it failed.
          throw new InputError(`${file}: cannot decode parquet rows ${rowStart}–${rowEnd - 1}: ${err instanceof Error ? err.message : String(err)}`, file, 'unreadable');
        }
        for (let i = 0; i < rows.length; i++) {
          const row = toJsonValue(rows[i]);
          // Drop the decoded row as soon as it is converted: the slice's rows are then freed while being emitted.
          rows[i] = EMPTY_ROW;
          stats.records += emitter.emit(row, {
            file, line: null, badLineNumber: s + i + 1, byteOffset: null, byteLength: 0, rowIndex: s + i, unit: 'line',
          });
        }
        stats.rows += rows.length;
        opts.signal?.throwIfAborted();
      }
      rowStart = rowEnd;
      bytesDone += Number(rg.total_compressed_size ?? rg.total_byte_size);
      handlers.onProgress?.(Math.min(bytesDone, size), size);
    }
    return stats;
  } finally {
    await fh.close();
  }
}
