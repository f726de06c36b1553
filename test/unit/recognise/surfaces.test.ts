// Where the inference is shown: `summary` (human rows and --json `inference`), the viewer overview and its field
// list for the mapping picker; and what the CLI says when nothing is recognised.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunSession } from '../../../src/node/viewer/run-session';
import { fixture } from '../../support/fixtures';
import { cli } from '../../support/cli';
import { withTempDir } from '../../support/temp-dir';
import { oddEvalRecords } from './shapes';

const ORZ = fixture('real2', 'orz-mor-li', 'na_en_q06_idx141.json');

test('real ORZ analysis file: 28 samples at steps 0…224, iscorrect the reward, reference_answer the gold', { skip: !existsSync(ORZ) && 'ORZ fixture missing' }, () => {
  const r = cli(['summary', '--json', ORZ]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as {
    format: string; samples: number; steps: number[]; fields: Record<string, string | null>;
    groups: { count: number; size: { min: number; max: number } };
    inference: { roles: Record<string, { field: string; evidence: string; confidence: number }>; recordPath: string; weak: boolean };
  };
  assert.equal(s.format, 'inferred');
  assert.equal(s.samples, 28);
  assert.equal(s.steps.length, 28);
  assert.deepEqual([s.steps[0], s.steps[27]], [0, 224]);
  assert.equal(s.fields.reward, 'iscorrect');
  assert.equal(s.fields.gold, 'reference_answer');
  assert.equal(s.fields.completion, 'output');
  assert.equal(s.inference.recordPath, 'iterations.{step}');
  assert.equal(s.inference.roles.answer.field, 'final_answer');
  assert.equal(s.inference.weak, false);
  // One prompt seen under 28 policies: a group per step (groups never cross steps).
  assert.equal(s.groups.count, 28);
  assert.deepEqual(s.groups.size, { min: 1, max: 1 });
});

test('summary shows the evidence per role; a weak guess names the --field to pass', async () => {
  await withTempDir(async (t) => {
    const good = t.file('eval.jsonl', oddEvalRecords().map((r) => JSON.stringify(r)).join('\n') + '\n');
    const r = cli(['summary', good]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /completion ←\s+model_response: longest text in 100 % of records/);
    assert.match(r.stdout, /reward ←\s+is_correct: named like a score, boolean/);
    const weak = t.file('weak.jsonl', [0, 1, 2].map((i) => JSON.stringify({
      question: `Question ${i}: summarise the passage below in two sentences please.`,
      body: `Passage ${i}. ${'The river rose through the night and the town woke to water in the streets. '.repeat(3)}`,
      notes: `Summary ${i}. ${'The town flooded overnight after the river rose; people woke to water in the streets. '.repeat(3)}`,
    })).join('\n') + '\n');
    const w = cli(['summary', weak]);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stdout, /guess\s+weak: check the fields above; to set a role yourself pass --field completion=<name> \(guessed (body|notes)\)/);
  });
});

test('nothing recognised: exit 3 with the --field arguments to pass, never a silent 0 samples', async () => {
  await withTempDir(async (t) => {
    const p = t.file('odd.jsonl', [1, 2].map((i) => JSON.stringify({ user: 'bob', text: `a chat message number ${i} with some words`, channel: 'general' })).join('\n') + '\n');
    const r = cli(['summary', p]);
    assert.equal(r.code, 3);
    assert.match(r.stderr, /no record recognised as a rollout.*--field completion=<name> --field prompt=<name> --field reward=<name>/);
  });
});

test('viewer overview carries the inference, and the mapping picker gets the fields of the records', async () => {
  await withTempDir(async (t) => {
    const p = join(t.dir, 'nested.json');
    writeFileSync(p, JSON.stringify({ model: 'm', iterations: { 0: { question: 'What is two plus two, explained?', response: 'Two plus two is four, because adding two twice gives four.', is_correct: true }, 10: { question: 'What is two plus two, explained?', response: 'It is five, since two and two make five here.', is_correct: false } } }, null, 2));
    const s = new RunSession(p);
    await s.scan();
    const o = s.overview('nested.json');
    assert.equal(o.format, 'inferred');
    assert.equal(o.samples, 2);
    assert.ok(o.inference);
    assert.ok(o.inference.short.includes('completion ← response'), o.inference.short.join(', '));
    assert.ok(o.inference.evidence.some((e) => /^records found at iterations\.\{step\}/.test(e)));
    const keys = await s.recordKeys();
    for (const k of ['question', 'response', 'is_correct', 'model', '@step']) assert.ok(keys.includes(k), `${k} in ${keys.join(', ')}`);
    // A mapping set from the viewer applies on the next read.
    s.setOptions({ fields: { reward: 'is_correct', completion: 'question' } });
    await s.scan();
    assert.equal(s.model?.detection?.fields.completion, 'question');
    await s.close();
  });
});
