// The parallel reader (workers read byte ranges) must build exactly the model of the streaming path: same columns,
// groups, advantages, flags, bad lines and notes in file order. Checked on the real fixtures, on a generated verl
// dump and on a file full of the reader's edge cases, with ranges small enough to put boundaries everywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRunWithInput } from '../../../src/node/load-run';
import { loadRunParallel } from '../../../src/node/parallel-load';
import { generateRolloutFile } from '../../../bench/generate';
import { readInput } from '../../../src/node/read-input';
import { scanRun } from '../../../src/node/viewer/run-scan';
import type { RecordOffsets } from '../../../src/node/record-offsets';

import { REAL, needFixtures } from '../../support/fixtures';
import { assertSameModel, bothPaths } from './parallel-compare';
const dir = mkdtempSync(join(tmpdir(), 'rl-parallel-'));

test('real fixtures: identical to the streaming path', { skip: needFixtures(REAL) }, async () => {
  for (const f of ['reward-kit/gsm8k_regenerated_think_traces.jsonl', 'reward-kit/openr1_math_regenerated_think_traces.jsonl', 'rl-logging-board/eval_poem_task_data.jsonl']) {
    for (const rb of [1 << 12, 1 << 16]) {
      const { stream, parallel } = await bothPaths(join(REAL, f), rb);
      assert.ok(stream.count > 0);
      assertSameModel(stream, parallel);
    }
  }
});

test('generated verl dump and a run folder of step files: identical, flags found', async () => {
  const file = join(dir, 'gen.jsonl');
  await generateRolloutFile(file, 6 << 20); // v3 text: about 1,650 records
  const { stream, parallel } = await bothPaths(file, 200_000);
  assert.ok(stream.count > 1000);
  assert.ok(stream.flagCounts.repetition > 0 && stream.flagCounts['language-mix'] > 0);
  assertSameModel(stream, parallel);
  // The same lines cut into verl step files 1.jsonl…5.jsonl.
  const folder = join(dir, 'run');
  mkdirSync(folder);
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  const per = Math.ceil(lines.length / 5);
  for (let i = 0; i < 5; i++) writeFileSync(join(folder, `${i + 1}.jsonl`), lines.slice(i * per, (i + 1) * per).join('\n') + '\n');
  const run = await bothPaths(folder, 100_000);
  assert.equal(run.stream.files.length, 5);
  assertSameModel(run.stream, run.parallel);
});

test('reader edge cases: BOM, CRLF, blank, broken, NaN, invalid UTF-8, non-object lines and an unterminated tail', { skip: needFixtures(REAL) }, async () => {
  const good = readFileSync(join(REAL, 'reward-kit/gsm8k_regenerated_think_traces.jsonl'), 'utf8').split('\n').filter((l) => l.length > 0);
  const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf])];
  good.forEach((l, i) => {
    let line = l;
    if (i % 17 === 5) line = l.slice(0, l.length >> 1); // broken JSON
    if (i % 23 === 7) line = '[1, 2, 3]'; // not an object
    if (i % 29 === 3) line = line.replace(/}\s*$/, ', "extra": NaN}');
    parts.push(Buffer.from(line + (i % 3 === 0 ? '\r\n' : '\n')));
    if (i % 11 === 0) parts.push(Buffer.from('\n   \n'));
    if (i % 31 === 9) parts.push(Buffer.concat([Buffer.from(good[0].slice(0, 40)), Buffer.from([0xff, 0xfe]), Buffer.from(good[0].slice(40) + '\n')]));
  });
  parts.push(Buffer.alloc(300), Buffer.from('\n')); // a crash left NUL bytes
  parts.push(Buffer.from(good[1].slice(0, 100))); // the trainer is still writing
  const file = join(dir, 'edge.jsonl');
  writeFileSync(file, Buffer.concat(parts));
  for (const rb of [1 << 10, 1 << 14]) {
    const { stream, parallel } = await bothPaths(file, rb);
    assert.ok(stream.badLines.length > 5 && stream.notes.length > 3);
    assertSameModel(stream, parallel);
  }
});

function offsetRows(o: RecordOffsets): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < o.count; i++) rows.push([o.offset(i), o.length(i), o.line(i), o.row(i) ?? -1]);
  return rows;
}

test('the viewer scan of a 9 MB file takes the parallel path: same model, same record offsets, first rows first', async () => {
  const file = join(dir, 'viewer.jsonl');
  await generateRolloutFile(file, 9 << 20, 8, 3);
  const stream = (await loadRunWithInput(file, { analyse: true, workers: 2 })).model;
  const input = await readInput(file, { onRecord: () => undefined }, { keepOffsets: true });
  const events: string[] = [];
  let firstRows = 0;
  const scan = await scanRun(file, {}, {
    firstRows: (rows) => {
      events.push('rows');
      firstRows = rows.length;
    },
    progress: () => events.push('progress'),
  });
  assert.equal(events[0], 'rows');
  assert.equal(firstRows, 50);
  assert.equal(events.filter((e) => e === 'rows').length, 1);
  assert.ok(scan.firstSamplesMs !== null && scan.firstSamplesMs >= 0);
  assertSameModel(stream, scan.model);
  const want = input.files[0].scan?.offsets;
  assert.ok(want && scan.files[0].offsets);
  assert.deepEqual(offsetRows(scan.files[0].offsets), offsetRows(want));
  for (const f of input.files) await f.index?.close();
});

test('a cancelled parallel load rejects with the abort and stops its workers', async () => {
  const file = join(dir, 'cancel.jsonl');
  await generateRolloutFile(file, 2 << 20, 8, 5);
  const ac = new AbortController();
  let progressed = 0;
  const p = loadRunParallel(file, {
    analyse: true, workers: 2, minBytes: 0, rangeBytes: 64 << 10, signal: ac.signal,
    onProgress: () => {
      if (++progressed === 2) ac.abort(new Error('cancelled by the test'));
    },
  });
  await assert.rejects(p, /cancelled by the test/);
  assert.equal(progressed, 2);
});

test('declines what it cannot reproduce: small inputs, TRL, kept samples', { skip: needFixtures(REAL) }, async () => {
  assert.equal(await loadRunParallel(join(REAL, 'reward-kit/gsm8k_regenerated_think_traces.jsonl'), { analyse: true }), null);
  assert.equal(await loadRunParallel(join(REAL, 'reward-kit/gsm8k_regenerated_think_traces.jsonl'), { analyse: true, keepSamples: true, minBytes: 0 }), null);
  // Fewer records than the detection window: the streaming path's late detection applies.
  assert.equal(await loadRunParallel(join(REAL, 'verifiers/wordle_qwen3-30b-a3b-thinking_results.jsonl'), { analyse: true, minBytes: 0 }), null);
  assert.equal(await loadRunParallel(join(REAL, 'trl-grpo/trainer_state_gsm8k_checkpoint-1.json'), { analyse: true, minBytes: 0 }), null);
});

test.after(() => rmSync(dir, { recursive: true, force: true }));
