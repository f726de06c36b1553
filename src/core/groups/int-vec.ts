// Growable typed arrays: per-sample columns for hundreds of thousands of samples without boxed numbers.

type Typed = Int32Array | Float64Array | Uint8Array;

/** One growable vector over a typed array kind; `IntVec`, `FloatVec` and `ByteVec` only choose the kind. */
class TypedVec<T extends Typed> {
  private buf: T;
  length = 0;

  constructor(private readonly make: (n: number) => T, capacity: number) {
    this.buf = make(capacity);
  }

  push(v: number): void {
    if (this.length === this.buf.length) this.grow(this.buf.length * 2);
    this.buf[this.length++] = v;
  }

  get(i: number): number {
    return this.buf[i];
  }

  set(i: number, v: number): void {
    this.buf[i] = v;
  }

  /** A trimmed copy. */
  toArray(): T {
    return this.buf.slice(0, this.length) as T;
  }

  /** Empties the vector and keeps its buffer, for a caller that fills it again (range-prepare.ts reuses its columns). */
  clear(): void {
    this.length = 0;
  }

  /** Grows the capacity to at least `capacity` now, so that a known final size costs one buffer, not doublings. */
  reserve(capacity: number): void {
    if (capacity > this.buf.length) this.grow(capacity);
  }

  /**
   * The values, handing the buffer over when at most an eighth of it is unused (no copy: a copy of a column of a
   * million samples doubles its memory at the end of a load); a trimmed copy otherwise. The vector is empty after.
   */
  take(): T {
    const out = (this.length >= this.buf.length - (this.buf.length >> 3) ? this.buf.subarray(0, this.length) : this.buf.slice(0, this.length)) as T;
    this.buf = this.make(16);
    this.length = 0;
    return out;
  }

  private grow(capacity: number): void {
    const next = this.make(capacity);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
}

const ints = (n: number): Int32Array => new Int32Array(n);
const floats = (n: number): Float64Array => new Float64Array(n);
const bytes = (n: number): Uint8Array => new Uint8Array(n);

export class IntVec extends TypedVec<Int32Array> {
  constructor(capacity = 1024) {
    super(ints, capacity);
  }
}

export class FloatVec extends TypedVec<Float64Array> {
  constructor(capacity = 1024) {
    super(floats, capacity);
  }
}

/** Values 0–255 (flag bits, 0/1 verdicts): a quarter of an IntVec's memory per sample. */
export class ByteVec extends TypedVec<Uint8Array> {
  constructor(capacity = 1024) {
    super(bytes, capacity);
  }
}
