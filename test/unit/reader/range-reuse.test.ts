// range-prepare.ts reuses one read buffer and its column vectors across the ranges a worker thread prepares (issue
// #18: a fresh 8 MB buffer and fresh columns per ROLL step file left dead ArrayBuffers waiting for a full GC). A
// range read after a longer one must hold exactly its own rows: nothing of the earlier range's bytes or columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareRange } from '../../../src/node/range-prepare';
import type { RangeTask } from '../../../src/node/range-messages';
import { detectFormat } from '../../../src/core/formats/detect';
import type { FormatDetection, JsonValue } from '../../../src/core/types';
import { withTempDir } from '../../support/temp-dir';

function row(i: number): Record<string, JsonValue> {
  return { data_source: 'gsm8k', prompt: `question ${Math.floor(i / 4)}`, response: `<think>step ${i}</think> answer ${i}`, reward: i / 100, step: 1 + Math.floor(i / 40), uid: `u${Math.floor(i / 4)}` };
}

test('consecutive ranges on one thread: a shorter range after a longer one holds only its own rows', async () => {
  await withTempDir(async (t) => {
    const rows = Array.from({ length: 200 }, (_, i) => row(i));
    const lines = rows.map((r) => JSON.stringify(r) + '\n');
    const p = t.file('rollouts.jsonl', lines.join(''));
    const det = detectFormat(rows.slice(0, 20)) as FormatDetection;
    assert.ok(det, 'recognised');
    const offsetOf = (k: number): number => lines.slice(0, k).reduce((a, l) => a + Buffer.byteLength(l), 0);
    const task = (id: number, from: number, to: number): RangeTask => ({
      type: 'range', id, path: p, start: offsetOf(from), end: offsetOf(to), last: to === rows.length, detection: det,
      stepFromName: null, split: null, analyse: true, keepFlags: false, keepOffsets: false, lang: 'auto',
    });
    const long = prepareRange(task(0, 0, 150));
    const short = prepareRange(task(1, 150, 170));
    const again = prepareRange(task(2, 150, 170));
    assert.deepEqual(Array.from(long.reward), rows.slice(0, 150).map((r) => r.reward));
    assert.deepEqual(Array.from(short.reward), rows.slice(150, 170).map((r) => r.reward));
    assert.deepEqual(Array.from(short.line), Array.from({ length: 20 }, (_, i) => i + 1));
    assert.equal(short.records, 20);
    assert.equal(short.lines, 20);
    // The same range twice gives the same columns: nothing carried over from the range before.
    for (const k of ['reward', 'step', 'chars', 'line', 'record', 'groupKey', 'promptKey', 'flagBits', 'turns'] as const) {
      assert.deepEqual(Array.from(again[k]), Array.from(short[k]), k);
    }
    assert.deepEqual(again.strings, short.strings);
    // The long range's result was not overwritten by the later ones (its columns are copies, not the reused vectors).
    assert.deepEqual(Array.from(long.reward), rows.slice(0, 150).map((r) => r.reward));
  });
});
