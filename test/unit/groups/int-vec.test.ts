import test from 'node:test';
import assert from 'node:assert/strict';
import { FloatVec, IntVec } from '../../../src/core/groups/int-vec';

test('reserve keeps the values and take hands them over once', () => {
  const v = new IntVec(4);
  for (let i = 0; i < 5; i++) v.push(i * 3);
  v.reserve(100);
  v.push(99);
  assert.deepEqual(Array.from(v.toArray()), [0, 3, 6, 9, 12, 99]);
  // Mostly empty buffer: a trimmed copy.
  const taken = v.take();
  assert.deepEqual(Array.from(taken), [0, 3, 6, 9, 12, 99]);
  assert.equal(taken.buffer.byteLength, 6 * 4);
  // The vector starts over and never writes into what it handed out.
  assert.equal(v.length, 0);
  v.push(7);
  assert.deepEqual(Array.from(taken), [0, 3, 6, 9, 12, 99]);
});

test('take hands over a nearly full buffer without copying', () => {
  const f = new FloatVec(8);
  f.reserve(16);
  for (let i = 0; i < 15; i++) f.push(i + 0.5);
  const taken = f.take();
  assert.equal(taken.length, 15);
  assert.equal(taken.buffer.byteLength, 16 * 8, 'no copy when at most an eighth is unused');
  assert.equal(taken[14], 14.5);
  f.push(1);
  assert.equal(taken[0], 0.5, 'later pushes go to a new buffer');
});
