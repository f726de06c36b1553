import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordOffsets } from '../../../src/node/record-offsets';

const rows = (o: RecordOffsets): (number | null)[][] => Array.from({ length: o.count }, (_, i) => [o.offset(i), o.length(i), o.line(i), o.row(i)]);

test('RecordOffsets.reserve keeps the records and sizes the table once; pushes past it still grow', () => {
  const o = new RecordOffsets(2);
  o.push(0, 10, 1, -1);
  o.push(11, 5, 2, 3);
  o.reserve(1000.4);
  const arrays = Object.values(o as unknown as Record<string, unknown>).filter((v): v is Float64Array | Uint32Array | Int32Array => ArrayBuffer.isView(v));
  assert.equal(arrays.length, 4);
  for (const a of arrays) assert.equal(a.length, 1001, 'one allocation of the reserved size');
  o.reserve(10); // smaller: nothing changes
  for (const a of Object.values(o as unknown as Record<string, unknown>).filter((v) => ArrayBuffer.isView(v))) assert.equal((a as Float64Array).length, 1001);
  const want: (number | null)[][] = [[0, 10, 1, null], [11, 5, 2, 3]];
  for (let i = 0; i < 1100; i++) {
    o.push(2 ** 40 + i, i, i + 3, -1);
    want.push([2 ** 40 + i, i, i + 3, null]);
  }
  assert.deepEqual(rows(o), want);
  // A table made empty still grows.
  const z = new RecordOffsets(0);
  z.push(1, 2, 3, -1);
  assert.deepEqual(rows(z), [[1, 2, 3, null]]);
});
