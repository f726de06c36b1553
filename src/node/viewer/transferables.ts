// The array buffers of a scan result, to move them to the extension host instead of copying them. A 1 GB scan's
// model is ~40 MB of typed arrays (columns, groups, trajectories, record offsets); cloned, both threads held a copy
// (plus the serialised one) at the moment the scan ends, which was the scan's peak resident memory.

/**
 * Every distinct ArrayBuffer under `value` (typed arrays and DataViews in objects, arrays and Maps), depth first.
 * Node Buffers are skipped (small ones share a pool that cannot be moved), as are SharedArrayBuffers (shared, not
 * moved). After the transfer the buffers are detached on the sending side: call it on a result the sender drops.
 */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (!Buffer.isBuffer(v) && v.buffer instanceof ArrayBuffer) found.add(v.buffer);
      continue;
    }
    if (v instanceof ArrayBuffer) {
      found.add(v);
      continue;
    }
    if (v instanceof Map) {
      for (const [k, x] of v) stack.push(k, x);
      continue;
    }
    if (v instanceof Set) {
      for (const x of v) stack.push(x);
      continue;
    }
    for (const x of Array.isArray(v) ? v : Object.values(v)) {
      // Strings, numbers and booleans make up most of a record: skip them without a push.
      if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  return [...found];
}
