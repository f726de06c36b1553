// Memory-bounded reading of ROLL step lines and large parquet row groups (issue #18): the row-at-a-time path must
// produce exactly what parsing the whole line (JSON.parse + columnarRows) or decoding the whole row group gives, and
// decline every line it would not read the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { columnarLineRow, scanColumnarLine } from '../../../src/node/columnar-line';
import { columnarRows } from '../../../src/core/columnar';
import type { JsonObject } from '../../../src/core/types';
import { readParquet } from '../../../src/node/parquet-reader';
import { firstRecordsOf } from '../../../src/node/detect-sample';
import { generatedTexts, writeRollFolder } from '../../../bench/shapes';
import { writeParquet } from '../../support/files';
import { collect } from './helpers';
import { compareParallel } from './parallel-compare';
import { tempDir } from '../../support/temp-dir';
import { mulberry32 } from '../../../src/core/random';

/** Rows by the scanner, or null when it declines. */
function scanned(text: string): JsonObject[] | null {
  const b = Buffer.from(text, 'utf8');
  const layout = scanColumnarLine(b, 0, b.length);
  if (layout === null) return null;
  return Array.from({ length: layout.rows }, (_, i) => columnarLineRow(b, layout, i));
}

function whole(text: string): JsonObject[] {
  const obj = JSON.parse(text) as JsonObject;
  return columnarRows(obj, (obj['responses'] as unknown[]).length);
}

test('a columnar line read cell by cell equals JSON.parse + transpose: escapes, unicode, nesting, numbers, key order', () => {
  const lines = [
    '{"responses": ["a", "b\\"c\\\\", "\\u00e9\\n\\ud83d\\ude00 é 😀"], "scores": [1, -0.5e+3, 0], "2": [true, false, null], "b": [{"x": [1, {"y": []}]}, [], {}]}',
    ' {"id":[],"responses":[],"scores":[]} ',
    '{"scores":[1.25E-2],"responses":["<think>x</think>"],"10":["k"],"1":[[1,2,3]],"a\\tb":[" "]}\r',
  ];
  for (const l of lines) {
    const got = scanned(l);
    assert.ok(got, `declined: ${l}`);
    assert.deepEqual(got, whole(l));
    for (let i = 0; i < got.length; i++) assert.deepEqual(Object.keys(got[i]), Object.keys(whole(l)[i]), 'same key order');
  }
});

test('the scanner declines what the whole-line parser must handle (errors, NaN, unequal or missing columns, odd keys)', () => {
  const declined = [
    '{"responses": ["a"], "scores": [NaN]}',
    '{"responses": ["a"], "scores": [-Infinity]}',
    '{"responses": ["a"], "scores": [1, 2]}',
    '{"responses": ["a"], "score": [1]}',
    '{"responses": ["a"], "scores": [1], "step": 3}',
    '{"responses": ["a"], "scores": [1], "scores": [2]}',
    '{"responses": ["a"], "scores": [1], "__proto__": [1]}',
    '{"responses": ["a"], "scores": [01]}',
    '{"responses": ["a"], "scores": [1.]}',
    '{"responses": ["a\\x"], "scores": [1]}',
    '{"responses": ["a\u0001"], "scores": [1]}',
    '{"responses": ["a",], "scores": [1]}',
    '{"responses": ["a"], "scores": [1],}',
    '{"responses": ["a"], "scores": [1]} x',
    '{"responses": ["a"], "scores": [tru]}',
    '{"responses": [' + '['.repeat(100) + ']'.repeat(100) + '], "scores": [1]}',
    '{}',
    '[1]',
    '{"responses": ["a"], "scores": [1]',
  ];
  for (const l of declined) assert.equal(scanned(l), null, l);
});

test('fuzz: whenever the scanner accepts a mutated line, JSON.parse accepts it and the rows are equal', () => {
  const base = '{"responses": ["x\\"y", "z\\u0041"], "scores": [1, 2.5e-1], "meta": [{"a": [true, null]}, -0]}';
  const alphabet = '{}[]",:\\ 0123456789.eE+-tfnaluxNI\u0001';
  const r = mulberry32(7);
  let accepted = 0;
  for (let n = 0; n < 3000; n++) {
    const chars = [...base];
    const edits = 1 + Math.floor(r() * 3);
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(r() * chars.length);
      const op = r();
      const c = alphabet[Math.floor(r() * alphabet.length)];
      if (op < 0.4) chars[at] = c;
      else if (op < 0.7) chars.splice(at, 1);
      else chars.splice(at, 0, c);
    }
    const text = chars.join('');
    const got = scanned(text);
    if (got === null) continue;
    accepted++;
    assert.deepEqual(got, whole(text), text);
  }
  assert.ok(accepted > 50, `only ${accepted} mutated lines were accepted: the fuzz tests little`);
});

test('ROLL step files of megabyte lines: parallel (row at a time) equals streaming (whole line); the sample too', async () => {
  const t = tempDir();
  try {
    const roll = join(t.dir, 'roll');
    writeRollFolder(roll, 3, 1_300_000, generatedTexts(), 9);
    const { stream, parallel } = await compareParallel(roll);
    assert.equal(stream.detection?.format, 'roll');
    assert.ok(stream.count > 1000);
    // Decided on the same 20 records (the parallel path used every row of the first step line before).
    assert.equal(parallel.conventions?.sampled, 20);
    // The detection sample is the first 20 rows of the first step, as the streaming reader emits them.
    const first = join(roll, 'rollout_dump_data.step_1.jsonl');
    const sample = await firstRecordsOf(first, 'jsonl', 20);
    const c = collect();
    const { readInput } = await import('../../../src/node/read-input');
    await readInput(first, c.handlers);
    assert.deepEqual(sample, c.records.slice(0, 20).map((r) => r.value));
  } finally {
    t.cleanup();
  }
});

test('a large parquet row group is read in slices: every row once, in order, with its row index; maxRows stops early', async () => {
  const t = tempDir();
  try {
    const rows = 3000;
    const filler = 'lorem ipsum '.repeat(400); // ~4.8 kB a row: ~14 MB in one row group, several 4 MB slices
    const p = join(t.dir, 'completions.parquet');
    await writeParquet(p, [
      { name: 'step', data: Array.from({ length: rows }, (_, i) => BigInt(1 + Math.floor(i / 1000))), type: 'INT64' },
      { name: 'prompt', data: Array.from({ length: rows }, (_, i) => `p${Math.floor(i / 8)}`), type: 'STRING' },
      { name: 'completion', data: Array.from({ length: rows }, (_, i) => `${i} ${filler}`), type: 'STRING' },
      { name: 'reward', data: Array.from({ length: rows }, (_, i) => (i % 3) / 2), type: 'DOUBLE' },
    ], { codec: 'UNCOMPRESSED', rowGroupSize: rows });
    const c = collect();
    const stats = await readParquet(p, c.handlers);
    assert.equal(stats.rowGroups, 1);
    assert.equal(stats.rows, rows);
    assert.equal(c.records.length, rows);
    c.records.forEach((r, i) => {
      const v = r.value as JsonObject;
      assert.equal(r.source.rowIndex, i);
      assert.equal(r.source.record, i + 1);
      assert.equal(v['completion'], `${i} ${filler}`);
      assert.equal(v['reward'], (i % 3) / 2);
      assert.equal(v['step'], 1 + Math.floor(i / 1000));
    });
    const first = await firstRecordsOf(p, 'parquet', 20);
    assert.deepEqual(first, c.records.slice(0, 20).map((r) => r.value));
  } finally {
    t.cleanup();
  }
});

test('the detection sample of a megabyte ROLL line is read row by row, and equals the streaming reader on every first-line shape', async () => {
  const t = tempDir();
  try {
    const { readInput } = await import('../../../src/node/read-input');
    const rows = 400;
    const cols = {
      responses: Array.from({ length: rows }, (_, i) => `${i} é 😀 ${'word '.repeat(600)}`),
      scores: Array.from({ length: rows }, (_, i) => i % 2),
      prompt: Array.from({ length: rows }, (_, i) => `p${Math.floor(i / 8)}`),
      meta: Array.from({ length: rows }, (_, i) => ({ k: [i, null, true] })),
    };
    const line = JSON.stringify(cols);
    assert.ok(line.length > (1 << 20), 'the line is long enough for the row-at-a-time path');
    const few = JSON.stringify({ responses: cols.responses.slice(0, 10).map((r) => r.repeat(40)), scores: cols.scores.slice(0, 10) });
    assert.ok(few.length > (1 << 20));
    const shapes: [string, string][] = [
      ['LF-terminated', `${line}\n${line}\n`],
      ['CRLF-terminated', `${line}\r\n`],
      ['with a BOM', `\uFEFF${line}\n`],
      ['after a blank line', `\n${line}\n`],
      ['fewer rows than wanted, then another line', `${few}\n${line}\n`],
      ['NaN in a cell (the tolerant parser)', `${line.replace('"scores":[0,', '"scores":[NaN,')}\n`],
      ['unterminated, then nothing', `${line}`],
    ];
    for (const [name, content] of shapes) {
      const p = t.file(`${name.replace(/\W+/g, '-')}.jsonl`, content);
      const c = collect();
      await readInput(p, c.handlers);
      const want = c.records.slice(0, 20).map((r) => r.value);
      assert.deepEqual(await firstRecordsOf(p, 'jsonl', 20), want, name);
      if (name.startsWith('LF') || name.startsWith('CRLF')) assert.equal(want.length, 20, name);
    }
  } finally {
    t.cleanup();
  }
});
