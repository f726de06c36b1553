// The viewer's temporary copy of records that have no byte offsets (parquet rows, records nested in one JSON object):
// every record reads back equal to what the reader gave, NaN and ±Infinity included, and the copy is private and
// removed on close. The viewer session over a parquet file, in-thread and in its worker, shows the same samples.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { RecordSpillWriter, SpillChunkBuilder, SpilledRecords } from '../../../src/node/viewer/record-spill';
import { RunSession } from '../../../src/node/viewer/run-session';
import type { RawRecord } from '../../../src/core/types';
import { writeParquet } from '../../support/files';
import { withTempDir } from '../../support/temp-dir';
import { builtWorker } from '../../support/built-worker';

function record(n: number, value: RawRecord['value']): RawRecord {
  return { value, source: { file: 'x.parquet', line: null, record: n, byteOffset: null, rowIndex: n - 1 } };
}

test('spilled records read back equal, NaN and ±Infinity kept, a marker-like string stays a string', async () => {
  const big = 'é🙂'.repeat(300_000); // 2.1 MB of UTF-8 per record: the writer flushes several times
  const recs: RawRecord[] = [
    record(1, { reward: NaN, adv: Infinity, low: -Infinity, ok: 1.5, list: [NaN, 2] }),
    record(2, { text: '\u0000rollout-lens:non-finite', obj: { '\u0000rollout-lens:non-finite': 'NaN', other: 1 } }),
    record(3, { text: big, nested: { a: [1, { b: null }] } }),
    record(4, { text: big + 'x' }),
    record(5, { text: '~ starts with a tilde', n: -0.25 }),
  ];
  const w = new RecordSpillWriter();
  for (const r of recs) w.add(r);
  const data = w.finish();
  assert.equal(statSync(data.path).mode & 0o777, 0o600, 'the copy is readable by its owner only');
  const s = new SpilledRecords(data);
  assert.equal(s.size, 5);
  for (const r of [...recs].reverse()) assert.deepEqual(await s.get(r.source.record), r);
  const first = await s.get(1);
  assert.ok(first !== null && typeof first.value === 'object' && first.value !== null && !Array.isArray(first.value));
  assert.ok(Number.isNaN(first.value['reward']));
  assert.equal(first.value['adv'], Infinity);
  assert.equal(await s.get(6), null);
  assert.equal(await s.get(0), null);
  assert.deepEqual(await s.first(), recs[0]);
  await s.close();
  assert.equal(existsSync(data.path), false, 'close() removes the copy');
});

test('lines a range worker encodes read back equal: multi-byte text, a lone surrogate, NaN, a buffer grown many times', async () => {
  const recs: RawRecord[] = [
    record(1, { text: 'plain ascii', reward: NaN }),
    record(2, { text: '中文推理 🙂 é', lone: 'a\ud800b\udc00c' }),
    record(3, { text: '🙂'.repeat(400_000) }), // 1.6 MB of UTF-8 from 800,000 UTF-16 units: grows the 1 MB buffer
    record(4, { text: 'x'.repeat(3_000_000), n: -Infinity }),
    record(5, { text: 'é' }),
  ];
  const b = new SpillChunkBuilder();
  for (const r of recs) b.add(r);
  const chunk = b.finish();
  assert.equal(chunk.lengths.reduce((a, x) => a + x, 0), chunk.bytes.length, 'the lengths add up to the bytes written');
  const w = new RecordSpillWriter();
  w.addEncoded(chunk.bytes, chunk.lengths, chunk.records.map((r) => r - 1), 1);
  const s = new SpilledRecords(w.finish());
  for (const r of recs) assert.deepEqual(await s.get(r.source.record), r);
  await s.close();
});

test('records numbered out of order are still found', async () => {
  const w = new RecordSpillWriter();
  for (const n of [3, 1, 2]) w.add(record(n, { n }));
  const data = w.finish();
  assert.equal(data.sorted, false);
  const s = new SpilledRecords(data);
  for (const n of [1, 2, 3]) assert.deepEqual((await s.get(n))?.value, { n });
  await s.close();
});

test('discard() removes the copy of a scan that failed', async () => {
  const w = new RecordSpillWriter();
  w.add(record(1, { a: 1 }));
  await w.discard();
  assert.equal(existsSync(w.path), false);
});

test('the viewer over a parquet file: in-thread and worker scans show the same samples, NaN rewards included', { timeout: 60000 }, async () => {
  const worker = builtWorker('viewer-worker');
  await withTempDir(async (t) => {
    const p = join(t.dir, 'completions_00012.parquet');
    const n = 40;
    await writeParquet(p, [
      { name: 'step', data: Array.from({ length: n }, () => BigInt(12)), type: 'INT64' },
      { name: 'prompt', data: Array.from({ length: n }, (_, i) => `question ${Math.floor(i / 8)}`), type: 'STRING' },
      { name: 'completion', data: Array.from({ length: n }, (_, i) => `<think>step ${i} ✓</think><answer>\\boxed{${i % 3}}</answer>`), type: 'STRING' },
      { name: 'accuracy_reward', data: Array.from({ length: n }, (_, i) => (i === 5 ? NaN : i % 2)), type: 'DOUBLE' },
      { name: 'advantage', data: Array.from({ length: n }, (_, i) => (i % 2) - 0.5), type: 'DOUBLE' },
    ], { codec: 'UNCOMPRESSED', rowGroupSize: 16 });
    const a = new RunSession(p);
    const b = new RunSession(p, { workerScript: worker });
    const [ma, mb] = [await a.scan(), await b.scan()];
    assert.equal(ma.count, n);
    assert.equal(mb.count, n);
    for (const i of [0, 5, 17, 39]) {
      const ra = await a.rawRecord(i);
      const rb = await b.rawRecord(i);
      assert.ok(ra !== null && rb !== null, `sample ${i} is readable after the scan (the worker has ended)`);
      assert.deepEqual(rb, ra);
      assert.equal(ra.source.rowIndex, i);
      assert.equal((await b.detail(i))?.completion, `<think>step ${i} ✓</think><answer>\\boxed{${i % 3}}</answer>`);
    }
    const v = (await b.rawRecord(5))?.value;
    assert.ok(v !== null && typeof v === 'object' && !Array.isArray(v) && Number.isNaN(v['accuracy_reward']));
    assert.ok((await b.recordKeys()).includes('completion'));
    a.runQuery(1, { filter: {}, sort: 'index', descending: false });
    b.runQuery(1, { filter: {}, sort: 'index', descending: false });
    assert.deepEqual(await b.rows(1, 0, n), await a.rows(1, 0, n));
    await a.close();
    await b.close();
  }, 'rl-spill-');
});

test('temporary copies made in the scan worker outlive it: a parquet file and a gzipped JSONL file read after the worker ended', { timeout: 60000 }, async () => {
  const worker = builtWorker('viewer-worker');
  await withTempDir(async (t) => {
    const demo = join(__dirname, '..', '..', '..', 'demo');
    const gz = t.file('1.jsonl.gz', gzipSync(readFileSync(join(demo, 'verl', '1.jsonl'))));
    for (const p of [join(demo, 'trl', 'completions', 'completions_00001.parquet'), gz]) {
      const s = new RunSession(p, { workerScript: worker });
      const m = await s.scan();
      assert.ok(m.count > 0);
      // The worker's exit (its process 'exit' handlers) has run by now.
      await new Promise((r) => setTimeout(r, 500));
      assert.ok((await s.rawRecord(m.count - 1)) !== null, `${p}: the last sample is readable after the worker ended`);
      await s.close();
    }
  }, 'rl-spill-');
});
