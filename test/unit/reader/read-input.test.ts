import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { splitFromName, stepFromName } from '../../../src/node/input-files';
import { InputError, readInput, type InputFileInfo } from '../../../src/node/read-input';
import { collect } from './helpers';
import { withTempDir } from '../../support/temp-dir';
import { REAL, needFixtures } from '../../support/fixtures';
import { sha256 } from '../../support/files';

const rec = (step: number): string => JSON.stringify({ input: 'q', output: 'a', score: 1, step }) + '\n';

test('step and split from names of the known writers', () => {
  const cases: [string, number | null, string | null][] = [
    ['10.jsonl', 10, null],
    ['completions/completions_00042.parquet', 42, null],
    ['train_data_step3.jsonl', 3, 'train'],
    ['val_data_step12.jsonl', 12, 'val'],
    ['rollout_dump_data.step_7.jsonl', 7, null],
    ['rollouts/step_4/eval/all/traces.jsonl', 4, 'eval'],
    ['rollout/17/b3f1c2.jsonl', 17, null],
    ['eval-rollout/17/123.jsonl', 17, 'eval'],
    ['iter30_generation_results.json', 30, null],
    ['dumped_evals/global_step_20_evals/gsm8k.jsonl', 20, 'eval'],
    ['validation/5.jsonl', 5, 'val'],
    ['samples.jsonl', null, null],
  ];
  for (const [rel, step, split] of cases) {
    assert.equal(stepFromName(rel), step, rel);
    assert.equal(splitFromName(rel), split, rel);
  }
});

test('a verl folder is read as one run in numeric step order (1, 2, 10)', async () => {
  await withTempDir(async (t) => {
    for (const s of [10, 2, 1]) t.file(`${s}.jsonl`, rec(s));
    const files: InputFileInfo[] = [];
    const c = collect();
    const r = await readInput(t.dir, { ...c.handlers, onFile: (f) => files.push(f) });
    assert.equal(r.isFolder, true);
    assert.deepEqual(files.map((f) => f.stepFromName), [1, 2, 10]);
    assert.deepEqual(c.records.map((x) => (x.value as Record<string, unknown>).step), [1, 2, 10]);
    assert.equal(r.records, 3);
  });
});

test('run folder layouts: TRL completions/, NeMo-RL train/val, prime-rl all vs effective, AReaL versions', async () => {
  await withTempDir(async (t) => {
    mkdirSync(join(t.dir, 'completions'));
    mkdirSync(join(t.dir, 'checkpoint-500'));
    t.file('checkpoint-500/trainer_state.json', '{"log_history": []}');
    t.file('train_data_step2.jsonl', rec(2));
    t.file('val_data_step2.jsonl', rec(2));
    t.file('train_data_step10.jsonl', rec(10));
    t.file('metrics.jsonl', '{"step": 1, "time": 0}\n');
    for (const d of ['rollouts/step_3/train/all', 'rollouts/step_3/train/effective']) mkdirSync(join(t.dir, d), { recursive: true });
    t.file('rollouts/step_3/train/all/traces.jsonl', rec(3) + rec(3));
    t.file('rollouts/step_3/train/effective/traces.jsonl', rec(3));
    const files: InputFileInfo[] = [];
    const r = await readInput(t.dir, { ...collect().handlers, onFile: (f) => files.push(f) });
    assert.deepEqual(
      files.map((f) => [f.path.slice(t.dir.length + 1), f.stepFromName, f.split]),
      [
        ['train_data_step2.jsonl', 2, 'train'],
        ['val_data_step2.jsonl', 2, 'val'],
        ['rollouts/step_3/train/all/traces.jsonl', 3, 'train'],
        ['train_data_step10.jsonl', 10, 'train'],
      ],
    );
    assert.equal(r.records, 5);
    assert.equal(r.skipped.length, 1);
  });
});

test('a failing file inside a folder is reported with its name; the rest loads', async () => {
  await withTempDir(async (t) => {
    t.file('1.jsonl', rec(1));
    t.file('2.jsonl', '');
    t.file('3.jsonl', Buffer.from([0x7b, 0x00, 0x01, 0x02, 0x00]));
    t.file('4.jsonl', rec(4));
    const c = collect();
    const r = await readInput(t.dir, c.handlers);
    assert.equal(r.records, 2);
    assert.deepEqual(c.bad.map((b) => [b.file?.slice(t.dir.length + 1), b.line]), [['2.jsonl', 0], ['3.jsonl', 0]]);
    assert.match(c.bad[0].error, /2\.jsonl: the file is empty/);
    assert.match(c.bad[1].error, /3\.jsonl: a binary file/);
    assert.equal(r.files[1].error, c.bad[0].error);
  });
});

test('missing path, empty file, whitespace-only file, binary file, empty folder → InputError naming the path', async () => {
  await withTempDir(async (t) => {
    const check = async (p: string, code: InputError['code'], re: RegExp): Promise<void> => {
      await assert.rejects(readInput(p, collect().handlers), (e: unknown) => {
        assert.ok(e instanceof InputError, String(e));
        assert.equal(e.code, code);
        assert.equal(e.path, p);
        assert.ok(e.message.includes(p));
        assert.match(e.message, re);
        return true;
      });
    };
    await check(join(t.dir, 'nope.jsonl'), 'missing', /no such file or folder/);
    await check(t.file('empty.jsonl', ''), 'empty', /the file is empty/);
    await check(t.file('ws.jsonl', '\n \n\t\n'), 'empty', /empty \(whitespace only\)/);
    await check(t.file('bin.jsonl', Buffer.from([1, 2, 0, 3, 4])), 'binary', /binary file/);
    await check(t.file('x.eval', Buffer.from('PK\x03\x04rest', 'latin1')), 'unsupported', /zip archive/);
    mkdirSync(join(t.dir, 'emptydir'));
    t.file('emptydir/readme.txt', 'hello');
    await check(join(t.dir, 'emptydir'), 'no-rollout-files', /no rollout files/);
  });
});

test('real fixtures: record counts, trainer_state explained, verifiers metadata found, bytes unchanged', { skip: needFixtures(REAL) }, async () => {
  const counts: [string, number][] = [
    ['reward-kit/openr1_math_regenerated_think_traces.jsonl', 54],
    ['reward-kit/gsm8k_regenerated_think_traces.jsonl', 100],
    ['rl-logging-board/eval_poem_task_data.jsonl', 3000],
    ['verifiers/wordle_qwen3-30b-a3b-thinking_results.jsonl', 15],
  ];
  for (const [rel, n] of counts) {
    const p = join(REAL, rel);
    const before = sha256(p);
    const c = collect();
    const r = await readInput(p, c.handlers, { keepOffsets: true });
    assert.equal(r.records, n, rel);
    assert.equal(c.records.length, n, rel);
    assert.equal(c.bad.length, 0, rel);
    const index = r.files[0].index;
    assert.ok(index);
    const last = await index.read(n - 1);
    await index.close();
    assert.ok(last.ok);
    assert.deepEqual(last.record, c.records[n - 1]);
    assert.equal(sha256(p), before, `${rel} unchanged`);
  }
  const v = await readInput(join(REAL, 'verifiers/wordle_qwen3-30b-a3b-thinking_results.jsonl'), collect().handlers);
  assert.equal(v.metadata?.rollouts_per_example, 3);
  const c = collect();
  const ts = await readInput(join(REAL, 'trl-grpo/trainer_state_gsm8k_checkpoint-1.json'), c.handlers);
  assert.equal(ts.records, 0);
  assert.equal(ts.files[0].notRollout?.kind, 'trl-trainer-state');
  assert.ok(c.notes.some((x) => /not a rollout file: TRL trainer_state\.json/.test(x.message)));
  const folder = await readInput(join(REAL, 'verifiers'), collect().handlers);
  assert.equal(folder.records, 15);
  assert.equal(folder.metadata?.rollouts_per_example, 3);
});
