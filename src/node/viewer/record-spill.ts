// Records of files that have no byte offsets to read them back by (parquet rows, records nested in one JSON object),
// written once during the viewer's scan to a private temporary JSONL file and read back one at a time. Held in
// memory instead, 1 GB of parquet text took 2.6 GB of the extension host's memory (the records in the scan thread,
// their structured clone, the host's copy) and three times the CPU in garbage collection.
import { closeSync, openSync, writevSync, promises as fsp } from 'node:fs';
import type { JsonValue, RawRecord } from '../../core/types';
import { newSpillPath, removeSpill } from '../decompress';
import { readFullyAt } from '../read-at';

/** What the scan hands over (typed arrays move between threads without a copy). */
export interface SpilledRecordsData {
  path: string;
  /** Record numbers (SourceRef.record), increasing unless `sorted` is false. */
  records: Float64Array;
  sorted: boolean;
  /** Byte offset and length of each record's line in `path`, in the order of `records`. */
  offsets: Float64Array;
  lengths: Float64Array;
}

/** Key of the object that stands for NaN or ±Infinity, which JSON has no literal for (a parquet float can be NaN). */
const NON_FINITE = '\u0000rollout-lens:non-finite';
/** First byte of a line that holds such an object: only those lines are parsed with a reviver. */
const MARKED = 0x7e; // '~'
const FLUSH_BYTES = 4 << 20;

/** One record as a line of the copy: its value and source; a line holding NaN or ±Infinity starts with '~' (MARKED). */
function encodeSpillLine(raw: RawRecord): Buffer {
  return Buffer.from(spillLineText(raw), 'utf8');
}

/**
 * A range worker's lines of the copy, encoded straight into one growing buffer of its own (one allocation per
 * doubling, not one per record), which moves to the scan thread without a copy.
 */
export class SpillChunkBuilder {
  private buf = Buffer.from(new ArrayBuffer(1 << 20));
  private used = 0;
  private readonly lengths: number[] = [];
  private readonly records: number[] = [];

  add(raw: RawRecord): void {
    const text = spillLineText(raw);
    const n = Buffer.byteLength(text, 'utf8');
    if (this.used + n > this.buf.length) {
      const bigger = Buffer.from(new ArrayBuffer(Math.max(this.buf.length * 2, this.used + n)));
      this.buf.copy(bigger, 0, 0, this.used);
      this.buf = bigger;
    }
    this.buf.write(text, this.used, 'utf8');
    this.used += n;
    this.lengths.push(n);
    this.records.push(raw.source.record);
  }

  finish(): { bytes: Uint8Array; lengths: Float64Array; records: Float64Array } {
    return { bytes: new Uint8Array(this.buf.buffer, 0, this.used), lengths: Float64Array.from(this.lengths), records: Float64Array.from(this.records) };
  }
}

function spillLineText(raw: RawRecord): string {
  let marked = false;
  const json = JSON.stringify({ s: raw.source, v: raw.value }, (_k, x: unknown) => {
    if (typeof x === 'number' && !Number.isFinite(x)) {
      marked = true;
      return { [NON_FINITE]: String(x) };
    }
    return x;
  });
  return marked ? `~${json}\n` : `${json}\n`;
}

/** Writes the records of one file, synchronously (the readers' callbacks are synchronous). */
export class RecordSpillWriter {
  private readonly fd: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private pos = 0;
  private count = 0;
  private records: Float64Array<ArrayBuffer> = new Float64Array(1024);
  private offsets: Float64Array<ArrayBuffer> = new Float64Array(1024);
  private lengths: Float64Array<ArrayBuffer> = new Float64Array(1024);
  private lastRecord = -Infinity;
  private sorted = true;

  constructor(readonly path: string = newSpillPath()) {
    // 'wx': a new file in a new private folder (newSpillPath); never an existing one.
    this.fd = openSync(path, 'wx', 0o600);
  }

  add(raw: RawRecord): void {
    this.push(raw.source.record, encodeSpillLine(raw));
  }

  /**
   * Lines a range worker encoded (SpillChunkBuilder) for consecutive records: `bytes` holds them back to back,
   * `lengths` their sizes, `records` their numbers within the range, which `recordBase` makes the file's.
   */
  addEncoded(bytes: Uint8Array, lengths: Float64Array, records: ArrayLike<number>, recordBase: number): void {
    let at = 0;
    for (let i = 0; i < lengths.length; i++) {
      this.push(recordBase + records[i], bytes.subarray(at, at + lengths[i]));
      at += lengths[i];
    }
  }

  private push(record: number, line: Uint8Array): void {
    // Readers number a file's records 1, 2, 3…; anything else is still found, by a linear search.
    if (record <= this.lastRecord) this.sorted = false;
    this.lastRecord = record;
    if (this.count === this.records.length) this.grow();
    this.records[this.count] = record;
    this.offsets[this.count] = this.pos;
    this.lengths[this.count] = line.length;
    this.count++;
    this.pos += line.length;
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
  }

  /** Flushes and closes the file; the data reads it back. */
  finish(): SpilledRecordsData {
    this.flush();
    closeSync(this.fd);
    return {
      path: this.path,
      records: this.records.slice(0, this.count),
      sorted: this.sorted,
      offsets: this.offsets.slice(0, this.count),
      lengths: this.lengths.slice(0, this.count),
    };
  }

  /** Closes and deletes the file (a scan that failed or was cancelled). */
  async discard(): Promise<void> {
    try {
      closeSync(this.fd);
    } catch {
      // already closed by finish()
    }
    await removeSpill(this.path);
  }

  private flush(): void {
    let list = this.pending;
    while (list.length > 0) {
      let n = writevSync(this.fd, list);
      // A short write: drop the buffers written whole, keep the rest of a partial one.
      let i = 0;
      while (i < list.length && n >= list[i].length) n -= list[i++].length;
      list = list.slice(i);
      if (n > 0) list[0] = list[0].subarray(n);
    }
    this.pending = [];
    this.pendingBytes = 0;
  }

  private grow(): void {
    const bigger = (a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.records = bigger(this.records);
    this.offsets = bigger(this.offsets);
    this.lengths = bigger(this.lengths);
  }
}

/** Reads spilled records back by record number: one positioned read each. Close it to delete the file. */
export class SpilledRecords {
  private handle: fsp.FileHandle | null = null;

  constructor(private readonly data: SpilledRecordsData) {}

  get size(): number {
    return this.data.records.length;
  }

  /** The record numbered `record`, or null when the file holds none by that number. */
  async get(record: number): Promise<RawRecord | null> {
    const n = this.find(record);
    return n < 0 ? null : this.readAt(n);
  }

  /** The first record, for the field-mapping picker. */
  async first(): Promise<RawRecord | null> {
    return this.size > 0 ? this.readAt(0) : null;
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = null;
    await h?.close().catch(() => undefined);
    await removeSpill(this.data.path);
  }

  private async readAt(n: number): Promise<RawRecord> {
    this.handle ??= await fsp.open(this.data.path, 'r');
    const length = this.data.lengths[n];
    const buf = Buffer.allocUnsafe(length);
    if ((await readFullyAt(this.handle, buf, this.data.offsets[n])) < length) {
      throw new Error(`the viewer's temporary copy ${this.data.path} is shorter than written`);
    }
    const marked = buf[0] === MARKED;
    const text = buf.toString('utf8', marked ? 1 : 0, length - 1);
    const parsed = (marked ? JSON.parse(text, reviveNonFinite) : JSON.parse(text)) as { s: RawRecord['source']; v: JsonValue };
    // The table's number: a range worker's lines carry numbers relative to its range.
    return { value: parsed.v, source: { ...parsed.s, record: this.data.records[n] } };
  }

  private find(record: number): number {
    const r = this.data.records;
    if (!this.data.sorted) return r.indexOf(record);
    let lo = 0;
    let hi = r.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (r[mid] === record) return mid;
      if (r[mid] < record) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

function reviveNonFinite(_k: string, x: unknown): unknown {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) return x;
  const o = x as Record<string, unknown>;
  const v = o[NON_FINITE];
  return typeof v === 'string' && Object.keys(o).length === 1 ? Number(v) : x;
}
