// A line or array item far too long to be a record (issue #17: one 200 MB string cost ~900 MB of memory) is
// reported from its first byte and length and skipped unread; the records around it still load. The limit is
// lowered through the scanners' hugeValueBytes option so that small inputs exercise the same logic, with tiny
// chunks so that the value spans many of them; one test uses the real 16 MB limit end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanJsonl } from '../../../src/node/jsonl-scan';
import { scanJsonArray } from '../../../src/node/json-container';
import { classifyLine, HUGE_VALUE_BYTES } from '../../../src/node/jsonl-line';
import { readInput } from '../../../src/node/read-input';
import { loadRunWithInput } from '../../../src/node/load-run';
import { loadRunParallel } from '../../../src/node/parallel-load';
import { collect } from './helpers';
import { tempDir } from '../../support/temp-dir';

const rec = (i: number): string => JSON.stringify({ prompt: `q${i}`, completion: `<think>t${i}</think> a${i}`, reward: i % 2 });

test('JSONL: a huge string line spanning chunks is one bad line, not kept; the records around it load', async () => {
  const t = tempDir();
  try {
    const big = `"${'x'.repeat(5000)}"`;
    const p = t.file('a.jsonl', [rec(1), rec(2), big, rec(3), `[${'1,'.repeat(2000)}1]`, rec(4), ''].join('\n'));
    const c = collect();
    const s = await scanJsonl(p, c.handlers, { chunkSize: 64, hugeValueBytes: 1000 });
    assert.deepEqual(c.records.map((r) => r.source.line), [1, 2, 4, 6]);
    assert.deepEqual(c.bad.map((b) => [b.line, b.error]), [
      [3, 'line is a single 5 KB string, not a record; skipped without reading it'],
      [5, 'line is a single 4 KB JSON array, not a record; skipped without reading it'],
    ]);
    assert.equal(s.lines, 6);
    assert.equal(s.badLines, 2);
    assert.equal(s.endOffset, Buffer.byteLength([rec(1), rec(2), big, rec(3), `[${'1,'.repeat(2000)}1]`, rec(4), ''].join('\n')));
    // Below the limit the same line is parsed and described as before.
    const c2 = collect();
    await scanJsonl(p, c2.handlers, { chunkSize: 64, hugeValueBytes: 1 << 20 });
    assert.equal(c2.bad[0].error, 'line is a string, not an object');
  } finally {
    t.cleanup();
  }
});

test('JSONL: a huge object line is still read (ROLL columnar lines are hundreds of MB); a huge NUL block keeps its message', async () => {
  const t = tempDir();
  try {
    const obj = JSON.stringify({ prompt: 'p', completion: 'y'.repeat(5000), reward: 1 });
    const p = t.file('b.jsonl', Buffer.concat([Buffer.from(`${obj}\n`), Buffer.alloc(3000), Buffer.from(`\n${rec(2)}\n`)]));
    const c = collect();
    await scanJsonl(p, c.handlers, { chunkSize: 100, hugeValueBytes: 1000 });
    assert.equal(c.records.length, 2);
    assert.equal((c.records[0].value as { completion: string }).completion.length, 5000);
    assert.deepEqual(c.bad.map((b) => [b.line, b.error]), [[2, 'line is 3000 NUL bytes (a crash can leave the end of a file unwritten)']]);
  } finally {
    t.cleanup();
  }
});

test('JSONL: a huge unterminated last line that is not an object is reported, not left pending', async () => {
  const t = tempDir();
  try {
    const p = t.file('c.jsonl', `${rec(1)}\n"${'z'.repeat(3000)}`);
    const c = collect();
    const s = await scanJsonl(p, c.handlers, { chunkSize: 50, hugeValueBytes: 1000 });
    assert.equal(c.records.length, 1);
    assert.equal(c.bad.length, 1);
    assert.match(c.bad[0].error, /^line is a single 3 KB string, not a record/);
    assert.equal(s.pendingTail, false);
    assert.equal(s.nextLine, 2);
  } finally {
    t.cleanup();
  }
});

test('JSON array: a huge string item is one bad item, not kept; the items around it load with their numbers', async () => {
  const t = tempDir();
  try {
    const big = `"${'x\\n\\"'.repeat(2000)}"`; // escapes everywhere, across chunk boundaries
    const p = t.file('a.json', `[${rec(1)},\n ${big} ,${rec(2)},${rec(3)}]`);
    const c = collect();
    const s = await scanJsonArray(p, c.handlers, { chunkSize: 37, hugeValueBytes: 1000 });
    assert.deepEqual(c.records.map((r) => r.source.rowIndex), [0, 2, 3]);
    assert.deepEqual(c.bad.map((b) => [b.line, b.error]), [[2, 'item 2 is a single 10 KB string, not a record; skipped without reading it']]);
    assert.equal(s.items, 4);
    assert.equal(s.closed, true);
    const c2 = collect();
    await scanJsonArray(p, c2.handlers, { chunkSize: 37 });
    assert.equal(c2.bad[0].error, 'item is a string, not an object');
  } finally {
    t.cleanup();
  }
});

test('classifyLine (the range workers\' rules): a huge non-object is bad without decoding; an object of the same size parses', () => {
  const s = Buffer.from(`"${'x'.repeat(2000)}"`);
  const c = classifyLine(s, 0, s.length, 10, 3, false, true, 1000);
  assert.deepEqual(c.outcome, { kind: 'bad', error: 'line is a single 2 KB string, not a record; skipped without reading it' });
  const o = Buffer.from(JSON.stringify({ a: 'x'.repeat(2000) }));
  assert.equal(classifyLine(o, 0, o.length, 10, 3, false, true, 1000).outcome.kind, 'value');
  const bom = Buffer.from('\ufeff{"a":1}\r');
  const b = classifyLine(bom, 0, bom.length, 0, 1, false, true);
  assert.equal(b.bom, true);
  assert.equal(b.offset, 3);
  assert.equal(b.length, 7);
  assert.deepEqual(b.outcome, { kind: 'value', value: { a: 1 }, nonFinite: false });
});

test('the real limit: a 17 MB string line and a 17 MB string item among records, streamed and in parallel', async () => {
  const t = tempDir();
  try {
    const big = `"${'a'.repeat(HUGE_VALUE_BYTES + (1 << 20))}"`;
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) {
      if (i === 5) lines.push(big);
      lines.push(rec(i));
    }
    const jsonl = t.file('big.jsonl', `${lines.join('\n')}\n`);
    const c = collect();
    const r = await readInput(jsonl, c.handlers);
    assert.equal(r.records, 40);
    assert.deepEqual(c.bad.map((b) => [b.line, b.error]), [[6, 'line is a single 17 MB string, not a record; skipped without reading it']]);
    const arr = t.file('big.json', `[${lines.join(',\n')}]`);
    const a = collect();
    const ra = await readInput(arr, a.handlers);
    assert.equal(ra.records, 40);
    assert.deepEqual(a.bad.map((b) => [b.line, b.error]), [[6, 'item 6 is a single 17 MB string, not a record; skipped without reading it']]);
    // The parallel reader (detection pre-pass, byte ranges, range workers) says the same as the streaming one.
    for (const path of [jsonl, arr]) {
      const streamed = (await loadRunWithInput(path, { analyse: true })).model;
      const par = await loadRunParallel(path, { analyse: true, workers: 2, minBytes: 0, rangeBytes: 1 << 20 });
      assert.ok(par !== null, 'the parallel path takes the file');
      assert.equal(par.model.count, 40);
      assert.equal(streamed.count, 40);
      assert.deepEqual(par.model.badLines, streamed.badLines);
    }
  } finally {
    t.cleanup();
  }
});
