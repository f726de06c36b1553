// The parallel reader on every input path (issue #18) builds exactly the streaming path's model: same counts,
// columns, flags, groups, advantages, bad lines and notes. Moderately sized generated inputs (bench/shapes.ts) with
// small ranges, so that batches, groups and items straddle range boundaries; plus a JSON array full of the reader's
// edge cases (broken and empty items, invalid UTF-8, an unclosed end).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRunWithInput } from '../../../src/node/load-run';
import { loadRunParallel } from '../../../src/node/parallel-load';
import { compareParallel } from './parallel-compare';
import { generatedTexts, writeJsonArray, writeMixedFolder, writeNemoRl, writeParquet, writeRollFolder, writeTrl } from '../../../bench/shapes';

const dir = mkdtempSync(join(tmpdir(), 'rl-parallel-paths-'));
const text = generatedTexts();

test('TRL-shaped JSONL: re-logged batches found across ranges, identical model', async () => {
  const file = join(dir, 'trl.jsonl');
  writeTrl(file, 6 << 20, text, 3);
  // 100 kB ranges: every step batch (256 rows) spans several ranges.
  const { stream } = await compareParallel(file, 100_000);
  assert.equal(stream.detection?.format, 'trl');
  const relog = stream.notes.find((n) => /re-logged/.test(n.message));
  assert.ok(relog, 'the file has re-logged batches');
  assert.ok(stream.groups.grouping.groupOf.some((g) => g === -1), 're-logged rows are left out of groups');
});

test('NeMo-RL JSONL and a ROLL run folder (one columnar line per step file): identical', async () => {
  const nemo = join(dir, 'nemo.jsonl');
  writeNemoRl(nemo, 4 << 20, text, 4);
  assert.equal((await compareParallel(nemo, 64_000)).stream.detection?.format, 'nemo-rl');
  const roll = join(dir, 'roll');
  writeRollFolder(roll, 5, 600_000, text, 5);
  const r = await compareParallel(roll, 64_000);
  assert.equal(r.stream.detection?.format, 'roll');
  assert.equal(r.stream.files.length, 5);
});

test('a top-level JSON array: items cut across ranges, identical; record offsets too', async () => {
  const file = join(dir, 'array.json');
  writeJsonArray(file, 4 << 20, text, 6);
  for (const rb of [50_000, 1 << 20]) {
    const { stream } = await compareParallel(file, rb);
    assert.ok(stream.count > 500 && stream.groups.grouping.count > 50);
  }
  const p = await loadRunParallel(file, { analyse: true, workers: 2, minBytes: 0, rangeBytes: 50_000, keepOffsets: true });
  const { readInput } = await import('../../../src/node/read-input');
  const input = await readInput(file, { onRecord: () => undefined }, { keepOffsets: true });
  const want = (input.files[0].index as unknown as { offsets: import('../../../src/node/record-offsets').RecordOffsets }).offsets;
  const got = p?.files[0].offsets;
  assert.ok(got && got.count === want.count);
  for (let i = 0; i < want.count; i += 37) assert.deepEqual([got.offset(i), got.length(i), got.row(i)], [want.offset(i), want.length(i), want.row(i)]);
  for (const f of input.files) await f.index?.close();
});

test('JSON array edge cases: broken, empty and non-object items, invalid UTF-8, unclosed end', async () => {
  const file = join(dir, 'array-edge.json');
  writeJsonArray(file, 1 << 20, text, 7);
  const body = readFileSync(file, 'utf8');
  const items = body.slice(1, -1).split(/, (?=\{"input")/);
  const parts: Buffer[] = [Buffer.from('[')];
  items.forEach((it, i) => {
    let x: Buffer = Buffer.from(it);
    if (i % 41 === 3) x = Buffer.from(it.slice(0, it.length >> 1) + '"}'); // broken item
    if (i % 53 === 5) x = Buffer.from('42'); // not an object
    if (i % 37 === 9) x = Buffer.concat([Buffer.from(it.slice(0, 30)), Buffer.from([0xff, 0xfe]), Buffer.from(it.slice(30))]);
    parts.push(Buffer.from(i === 0 ? '' : i % 67 === 11 ? ', , ' : ', '), x);
  });
  // No closing bracket: the trainer is still writing.
  writeFileSync(file, Buffer.concat(parts));
  const { stream } = await compareParallel(file, 30_000);
  assert.ok(stream.badLines.length >= 5, `bad items: ${stream.badLines.length}`);
  assert.ok(stream.notes.some((n) => /not closed/.test(n.message)));
  assert.ok(stream.notes.some((n) => n.kind === 'invalid-utf8'));
});

test('TRL parquet read by spans of row groups, and a run folder mixing .jsonl and .json step files: identical', async () => {
  const pq = join(dir, 'completions.parquet');
  await writeParquet(pq, 3 << 20, text, 8, 128);
  const p = await compareParallel(pq, 100_000);
  assert.equal(p.stream.detection?.format, 'trl');
  assert.ok(p.stream.count >= 500, `rows: ${p.stream.count}`);
  const mixed = join(dir, 'mixed');
  writeMixedFolder(mixed, 6, 500_000, text, 9);
  const m = await compareParallel(mixed, 64_000);
  assert.equal(m.stream.files.length, 6);
  assert.ok(m.stream.files.some((f) => f.path.endsWith('.json')));
});

test('parquet for the viewer (keepOffsets): the workers\' rows, copied in order, read back as the streaming reader gives them', async () => {
  const pq = join(dir, 'completions-viewer.parquet');
  await writeParquet(pq, 2 << 20, text, 11, 64);
  const p = await loadRunParallel(pq, { analyse: true, workers: 2, minBytes: 0, rangeBytes: 30_000, keepOffsets: true });
  assert.ok(p !== null, 'the parallel reader takes parquet for the viewer');
  const { readInput } = await import('../../../src/node/read-input');
  const { SpilledRecords } = await import('../../../src/node/viewer/record-spill');
  const want: import('../../../src/core/types').RawRecord[] = [];
  await readInput(pq, { onRecord: (r) => want.push(r) }, {});
  const data = p.files[0].spilled;
  assert.ok(data !== undefined && p.files[0].offsets === undefined);
  assert.equal(data.records.length, want.length);
  assert.ok(data.sorted);
  const spilled = new SpilledRecords(data);
  for (let i = 0; i < want.length; i += 7) assert.deepEqual(await spilled.get(want[i].source.record), want[i]);
  assert.deepEqual(await spilled.get(want[want.length - 1].source.record), want[want.length - 1]);
  await spilled.close();
});

test('a run folder with a file the sniffer rejects goes to the streaming path (which reports that file)', async () => {
  const folder = join(dir, 'with-binary');
  writeMixedFolder(folder, 2, 300_000, text, 10);
  writeFileSync(join(folder, '3.jsonl'), Buffer.from([0x00, 0x01, 0x02, 0x03, 0x00]));
  assert.equal(await loadRunParallel(folder, { analyse: true, workers: 2, minBytes: 0 }), null);
  const stream = await loadRunWithInput(folder, { analyse: true, workers: 2 });
  assert.ok(stream.model.badLines.some((b) => (b.file ?? '').endsWith('3.jsonl')));
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
