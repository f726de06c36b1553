// Random access to records of a JSONL file that was scanned with keepOffsets: one positioned read per record,
// never a re-read of the file. Used by the detail view and paging of files too large to keep in memory.
import { promises as fsp } from 'node:fs';
import { analyzeColumnar, columnarRow, describeJsonKind, expandTable, isJsonObject } from '../core/columnar';
import { parseJsonTolerant } from '../core/json-tolerant';
import type { BadLine, RawRecord } from '../core/types';
import type { RecordOffsets } from './record-offsets';
import { readFullyAt } from './read-at';

export type RecordOrBad = { ok: true; record: RawRecord } | { ok: false; bad: BadLine };

export interface RecordLocation {
  offset: number;
  length: number;
  /** 1-based line (JSONL) or item number (JSON array), for the SourceRef and messages. */
  line: number;
  /** Row inside an expanded container line; null for a plain record. */
  row: number | null;
  /** 1-based record number for the SourceRef. */
  record: number;
  /** JSON array items have no line: SourceRef.line is null and rowIndex is the item index. */
  item?: boolean;
}

/** Reads and parses the bytes [offset, offset+length) of `file` (a path or an open handle). */
export async function readRecordAt(
  file: string | fsp.FileHandle,
  offset: number,
  length: number,
  where: Partial<RecordLocation> & { file?: string } = {},
): Promise<RecordOrBad> {
  const name = where.file ?? (typeof file === 'string' ? file : '');
  const line = where.line ?? 0;
  const fh = typeof file === 'string' ? await fsp.open(file, 'r') : file;
  let buf: Buffer;
  try {
    buf = Buffer.allocUnsafe(length);
    const done = await readFullyAt(fh, buf, offset);
    if (done < length) {
      return { ok: false, bad: { file: name, line, error: `file changed: only ${done} of ${length} bytes at offset ${offset}` } };
    }
  } finally {
    if (typeof file === 'string') await fh.close();
  }
  const parsed = parseJsonTolerant(buf.toString('utf8'));
  if (!parsed.ok) return { ok: false, bad: { file: name, line, error: parsed.error } };
  let value = parsed.value;
  const row = where.row ?? null;
  if (row !== null) {
    // The line is a container (ROLL columnar step or W&B table): pick the one row without transposing the rest.
    if (!isJsonObject(value)) return { ok: false, bad: { file: name, line, error: 'file changed: container line is no longer an object' } };
    if (analyzeColumnar(value).kind === 'columnar') value = columnarRow(value, row);
    else {
      const cells = value['data'];
      const t = Array.isArray(cells) && row < cells.length ? expandTable({ columns: value['columns'], data: [cells[row]] }) : null;
      if (t === null || t.rows.length !== 1) return { ok: false, bad: { file: name, line, error: `file changed: row ${row} not found` } };
      value = t.rows[0];
    }
  } else if (!isJsonObject(value)) {
    return { ok: false, bad: { file: name, line, error: `line is ${describeJsonKind(value)}, not an object` } };
  }
  return {
    ok: true,
    record: {
      value,
      source: where.item
        ? { file: name, line: null, record: where.record ?? 0, byteOffset: offset, rowIndex: line - 1 }
        : { file: name, line: where.line ?? null, record: where.record ?? 0, byteOffset: offset, rowIndex: row },
    },
  };
}

/** Records of one scanned JSONL file (or JSON array file), addressable by 0-based index. Close it when done. */
export class JsonlRecordIndex {
  private handle: fsp.FileHandle | null = null;

  /**
   * @param firstRecord record number of index entry 0 (the scan's startRecord), so SourceRefs match the scan.
   */
  constructor(
    readonly path: string,
    private readonly offsets: RecordOffsets,
    private readonly displayName: string = path,
    private readonly firstRecord = 1,
    private readonly container: 'jsonl' | 'json-array' = 'jsonl',
  ) {}

  get count(): number {
    return this.offsets.count;
  }

  location(n: number): RecordLocation {
    this.check(n);
    return {
      offset: this.offsets.offset(n),
      length: this.offsets.length(n),
      line: this.offsets.line(n),
      row: this.offsets.row(n),
      record: this.firstRecord + n,
      item: this.container === 'json-array',
    };
  }

  /** Record n (0-based): one positioned read of its line. */
  async read(n: number): Promise<RecordOrBad> {
    const loc = this.location(n);
    this.handle ??= await fsp.open(this.path, 'r');
    return readRecordAt(this.handle, loc.offset, loc.length, { ...loc, file: this.displayName });
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    await h?.close();
  }

  private check(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n >= this.offsets.count) {
      throw new RangeError(`record ${n} is out of range (0..${this.offsets.count - 1})`);
    }
  }
}
