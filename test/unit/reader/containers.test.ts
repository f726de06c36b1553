import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandColumnar, expandTable, explainNonRollout } from '../../../src/core/columnar';
import { readJsonObjectFile, scanJsonArray } from '../../../src/node/json-container';
import { readInput } from '../../../src/node/read-input';
import { collect, scanned } from './helpers';
import { withTempDir } from '../../support/temp-dir';

const ROLL = {
  global_step: [5, 5, 5], id: ['q17', 'q17', 'q17'], prompt: ['p', 'p', 'p'],
  responses: ['<think>a</think> \\boxed{42}', 'b', 'c'], scores: [1.0, 0.0, 1.0],
};

test('expandColumnar transposes ROLL columns; not columnar → null', () => {
  const rows = expandColumnar(ROLL);
  assert.ok(rows);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows[1], { global_step: 5, id: 'q17', prompt: 'p', responses: 'b', scores: 0.0 });
  assert.equal(expandColumnar({ responses: ['a'], scores: [1], step: 3 }), null); // scalar next to arrays: a row
  assert.equal(expandColumnar({ input: 'x', output: 'y' }), null);
});

test('JSON array file streams items with item numbers; malformed items are bad; truncation is a note', async () => {
  await withTempDir(async (t) => {
    const body = '[\n  {"prompt": "p1", "score": 1.0, "outputs": {"response": "a ] } [ { \\" ,"}},\n  {"prompt": "p2", "score": NaN},\n  {"prompt": oops},\n  7,\n  {"prompt": "p5"}\n]\n';
    const p = t.file('iter3_generation_results.json', body);
    for (const chunkSize of [1, 3, 7, 64, 1 << 20]) {
      const c = collect();
      const st = await scanJsonArray(p, c.handlers, { chunkSize, keepOffsets: true });
      assert.deepEqual(c.records.map((r) => (r.value as Record<string, unknown>).prompt), ['p1', 'p2', 'p5'], `chunk ${chunkSize}`);
      assert.deepEqual(c.records.map((r) => r.source.rowIndex), [0, 1, 4]);
      assert.equal(c.records[0].source.line, null);
      assert.equal((c.records[0].value as { outputs: { response: string } }).outputs.response, 'a ] } [ { " ,');
      assert.equal(body.slice(c.records[2].source.byteOffset ?? 0).startsWith('{"prompt": "p5"}'), true);
      assert.deepEqual(c.bad.map((b) => [b.line, b.error]), [[3, 'item 3: Unexpected token o at column 12'], [4, 'item is a number, not an object']]);
      assert.equal(st.closed, true);
    }
    const [c, st] = await scanned(t.file('trunc.json', '[{"a":1},{"a":2},{"a":'), scanJsonArray);
    assert.equal(c.records.length, 2);
    assert.equal(c.bad.length, 0);
    assert.equal(st.closed, false);
    assert.match(c.notes[0].message, /JSON array is not closed: item 3 is incomplete/);
  });
});

test('JSON array random access through readInput keepOffsets', async () => {
  await withTempDir(async (t) => {
    const p = t.file('arr.json', JSON.stringify([{ a: 1 }, { a: 'é' }, { a: 3 }], null, 2));
    const c = collect();
    const r = await readInput(p, c.handlers, { keepOffsets: true });
    const index = r.files[0].index;
    assert.ok(index);
    try {
      assert.equal(index.count, 3);
      const x = await index.read(1);
      assert.ok(x.ok);
      assert.deepEqual(x.record, c.records[1]);
    } finally {
      await index.close();
    }
  });
});

test('ROLL columnar: one-line JSONL and pretty-printed object both give one record per row', async () => {
  await withTempDir(async (t) => {
    const one = t.file('rollout_dump_data.step_5.jsonl', JSON.stringify(ROLL) + '\n');
    const pretty = t.file('pretty.json', JSON.stringify(ROLL, null, 2));
    for (const p of [one, pretty]) {
      const c = collect();
      const r = await readInput(p, c.handlers);
      assert.equal(r.records, 3, p);
      assert.deepEqual(c.records.map((x) => x.source.rowIndex), [0, 1, 2]);
      assert.deepEqual(c.records.map((x) => x.source.record), [1, 2, 3]);
      assert.deepEqual((c.records[2].value as Record<string, unknown>).scores, 1.0);
    }
    const c = collect();
    const r = await readInput(one, c.handlers);
    assert.equal(r.files[0].info.stepFromName, 5);
    assert.equal(r.files[0].info.container, 'jsonl');
    const d = collect();
    const r2 = await readInput(pretty, d.handlers);
    assert.equal(r2.files[0].info.container, 'json-object');
  });
});

test('ROLL columnar with unequal column lengths is an error naming the columns', async () => {
  await withTempDir(async (t) => {
    const p = t.file('bad.jsonl', JSON.stringify({ ...ROLL, scores: [1, 0] }) + '\n');
    const c = collect();
    const r = await readInput(p, c.handlers);
    assert.equal(r.records, 0);
    assert.equal(c.bad.length, 1);
    assert.match(c.bad[0].error, /columns of different lengths: .*responses \(3\), scores \(2\)/);
  });
});

test('W&B table export {columns, data} becomes rows; a short row is reported', async () => {
  await withTempDir(async (t) => {
    const table = { _type: 'table', columns: ['step', 'prompt', 'completion', 'reward'], data: [[1, 'p', 'c1', 1.0], [1, 'p', 'c2'], [1, 'p', 'c3', 0.0]] };
    const p = t.file('completions.table.json', JSON.stringify(table, null, 1));
    const c = collect();
    const r = await readInput(p, c.handlers);
    assert.equal(r.records, 2);
    assert.deepEqual(c.records[1].value, { step: 1, prompt: 'p', completion: 'c3', reward: 0.0 });
    assert.equal(c.records[1].source.rowIndex, 2);
    assert.deepEqual(c.bad.map((b) => b.error), ['table row 2 has 3 cells for 4 columns']);
    assert.equal(expandTable({ columns: [1], data: [] }), null);
  });
});

test('a one-line JSONL holding one normal record is one record', async () => {
  await withTempDir(async (t) => {
    const p = t.file('one.jsonl', '{"input": "q", "output": "a", "score": 1.0, "step": 1}\n');
    const c = collect();
    const r = await readInput(p, c.handlers);
    assert.equal(r.records, 1);
    assert.equal(c.records.length, 1);
    assert.equal(r.files[0].notRollout, undefined);
  });
});

test('trainer_state.json and verifiers metadata.json are explained, not read as rollouts', async () => {
  await withTempDir(async (t) => {
    const ts = t.file('trainer_state.json', JSON.stringify({ global_step: 1, log_history: [{ loss: 0.1, reward: 0.5 }] }, null, 2));
    const c = collect();
    const r = await readInput(ts, c.handlers);
    assert.equal(r.records, 0);
    assert.equal(c.records.length, 0);
    assert.match(r.files[0].notRollout?.explanation ?? '', /^TRL trainer_state\.json: training metrics \(log_history\), no completions/);
    const md = t.file('metadata.json', JSON.stringify({ env_id: 'wordle', rollouts_per_example: 3 }));
    const d = collect();
    const r2 = await readInput(md, d.handlers);
    assert.equal(r2.records, 0);
    assert.equal(r2.metadata?.rollouts_per_example, 3);
    assert.equal(explainNonRollout({ input: 'x' }), null);
    const direct = await readJsonObjectFile(ts, collect().handlers);
    assert.equal(direct.kind, 'not-rollout');
  });
});
