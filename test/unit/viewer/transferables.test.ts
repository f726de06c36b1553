import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { transferablesOf } from '../../../src/node/viewer/transferables';
import { RecordOffsets } from '../../../src/node/record-offsets';

test('transferablesOf: every distinct buffer under objects, arrays, Maps and class instances, once', () => {
  const shared = new Float64Array(8);
  const offsets = new RecordOffsets(4);
  offsets.push(0, 10, 1, -1);
  const view = new Int32Array(16);
  const value = {
    columns: { reward: shared, again: shared.subarray(2, 4), line: view.subarray(0, 3) },
    list: [new Uint8Array(3), { deep: [new DataView(new ArrayBuffer(5))] }],
    map: new Map<string, unknown>([['k', new Float32Array(2)]]),
    offsets,
    text: 'plain', n: 3, none: null,
  };
  const found = transferablesOf(value);
  assert.equal(new Set(found).size, found.length, 'no buffer listed twice');
  // reward (and its subarray), view, Uint8Array, DataView, Float32Array, and RecordOffsets' four arrays.
  assert.equal(found.length, 9);
  assert.ok(found.includes(shared.buffer as ArrayBuffer) && found.includes(view.buffer as ArrayBuffer));
});

test('transferablesOf: Node Buffers and SharedArrayBuffers stay where they are; cycles end', () => {
  const a: Record<string, unknown> = { b: Buffer.from('pooled'), s: new Int32Array(new SharedArrayBuffer(16)) };
  a.self = a;
  assert.deepEqual(transferablesOf(a), []);
  assert.deepEqual(transferablesOf(null), []);
});

test('transferablesOf: the moved model arrives whole and the sender arrays are detached', () => {
  const reward = Float64Array.from([0.5, NaN, 1]);
  const offsets = new RecordOffsets(2);
  offsets.push(0, 7, 1, -1);
  offsets.push(8, 9, 2, -1);
  const msg = { model: { columns: { reward }, groups: { groupOf: Int32Array.from([0, 0, 1]) } }, offsets };
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(msg, transferablesOf(msg));
  const got = receiveMessageOnPort(port2)?.message as typeof msg;
  port1.close();
  assert.deepEqual(Array.from(got.model.columns.reward), [0.5, NaN, 1]);
  assert.deepEqual(Array.from(got.model.groups.groupOf), [0, 0, 1]);
  Object.setPrototypeOf(got.offsets, RecordOffsets.prototype);
  assert.equal(got.offsets.count, 2);
  assert.deepEqual([got.offsets.offset(1), got.offsets.length(1), got.offsets.line(1)], [8, 9, 2]);
  assert.equal(reward.length, 0, 'moved, not copied: the sender\'s view is detached');
});
