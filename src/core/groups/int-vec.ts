// Growable typed arrays: per-sample columns for hundreds of thousands of samples without boxed numbers.

export class IntVec {
  private buf: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Int32Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Int32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  get(i: number): number {
    return this.buf[i];
  }

  set(i: number, v: number): void {
    this.buf[i] = v;
  }

  /** A trimmed copy. */
  toArray(): Int32Array {
    return this.buf.slice(0, this.length);
  }

  /** Grows the capacity to at least `capacity` now, so that a known final size costs one buffer, not doublings. */
  reserve(capacity: number): void {
    if (capacity <= this.buf.length) return;
    const next = new Int32Array(capacity);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /**
   * The values, handing the buffer over when at most an eighth of it is unused (no copy: a copy of a column of a
   * million samples doubles its memory at the end of a load); a trimmed copy otherwise. The vector is empty after.
   */
  take(): Int32Array {
    const out = this.length >= this.buf.length - (this.buf.length >> 3) ? this.buf.subarray(0, this.length) : this.buf.slice(0, this.length);
    this.buf = new Int32Array(16);
    this.length = 0;
    return out;
  }
}

export class FloatVec {
  private buf: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buf = new Float64Array(capacity);
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  get(i: number): number {
    return this.buf[i];
  }

  set(i: number, v: number): void {
    this.buf[i] = v;
  }

  /** A trimmed copy. */
  toArray(): Float64Array {
    return this.buf.slice(0, this.length);
  }

  /** Grows the capacity to at least `capacity` now, so that a known final size costs one buffer, not doublings. */
  reserve(capacity: number): void {
    if (capacity <= this.buf.length) return;
    const next = new Float64Array(capacity);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  /**
   * The values, handing the buffer over when at most an eighth of it is unused (no copy: a copy of a column of a
   * million samples doubles its memory at the end of a load); a trimmed copy otherwise. The vector is empty after.
   */
  take(): Float64Array {
    const out = this.length >= this.buf.length - (this.buf.length >> 3) ? this.buf.subarray(0, this.length) : this.buf.slice(0, this.length);
    this.buf = new Float64Array(16);
    this.length = 0;
    return out;
  }
}
