// Compact, growable table of where each record lives in a JSONL file: typed arrays instead of one object per
// record, so that indexing a 10M-record file costs ~200 MB less heap than an array of {offset, length}.

export class RecordOffsets {
  private offsets: Float64Array;
  private lengths: Uint32Array;
  private lines: Uint32Array;
  /** Row inside an expanded container line (ROLL columnar, W&B table); -1 for a plain record. */
  private rows: Int32Array;
  private n = 0;

  constructor(capacity = 1024) {
    this.offsets = new Float64Array(capacity);
    this.lengths = new Uint32Array(capacity);
    this.lines = new Uint32Array(capacity);
    this.rows = new Int32Array(capacity);
  }

  get count(): number {
    return this.n;
  }

  push(offset: number, length: number, line: number, row: number): void {
    if (this.n === this.offsets.length) this.grow();
    const i = this.n++;
    this.offsets[i] = offset;
    this.lengths[i] = length;
    this.lines[i] = line;
    this.rows[i] = row;
  }

  offset(i: number): number {
    return this.offsets[i];
  }
  length(i: number): number {
    return this.lengths[i];
  }
  line(i: number): number {
    return this.lines[i];
  }
  /** Row inside the line's container, or null for a plain record. */
  row(i: number): number | null {
    const r = this.rows[i];
    return r < 0 ? null : r;
  }

  /** Room for `capacity` records now (a known final size costs one allocation instead of doublings). */
  reserve(capacity: number): void {
    if (capacity > this.offsets.length) this.resize(Math.ceil(capacity));
  }

  private grow(): void {
    this.resize(Math.max(16, this.offsets.length * 2));
  }

  private resize(cap: number): void {
    this.offsets = grown(this.offsets, new Float64Array(cap));
    this.lengths = grown(this.lengths, new Uint32Array(cap));
    this.lines = grown(this.lines, new Uint32Array(cap));
    this.rows = grown(this.rows, new Int32Array(cap));
  }
}

/** `to` holding `from`'s values first (a typed array grown to `to`'s size). */
function grown<T extends Float64Array | Uint32Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
