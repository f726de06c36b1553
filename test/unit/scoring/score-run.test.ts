// The whole-file scoring pipeline on a generated verl dump (the bench generator: groups of 8, CJK drift, loops,
// truncation): a completed scored copy is byte-identical across two runs, each line is the input record plus a
// `rollout_lens` object, the sidecar joins back by sample index, and a cancelled run leaves no file behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '../../support/files';
import { generateRolloutFile } from '../../../bench/generate';
import { scoreRun, ScoringCancelled } from '../../../src/node/scoring/score-run';
import { readSidecar, sidecarPathFor } from '../../../src/node/scoring/sidecar';

const dir = mkdtempSync(join(tmpdir(), 'rl-scorerun-'));
const log = join(dir, 'rollouts.jsonl');
const REWARDS = ['accuracy', 'format', 'tag_count', 'language_consistency', 'repetition_penalty'];

const sha = sha256;

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('completed scored copy: byte-identical across two runs, input records untouched, plus rollout_lens', { timeout: 120000 }, async () => {
  await generateRolloutFile(log, 4 << 20);
  const before = sha(log);
  const a = join(dir, 'a.scored.jsonl');
  const b = join(dir, 'b.scored.jsonl');
  const ra = await scoreRun(log, { rewards: REWARDS, lang: 'auto', out: a, sidecar: sidecarPathFor(log) });
  const rb = await scoreRun(log, { rewards: REWARDS, lang: 'auto', out: b });
  assert.ok(ra.scored > 1000, `${ra.scored} samples`);
  assert.equal(rb.scored, ra.scored);
  assert.equal(sha(a), sha(b), 'two runs give the same bytes');
  assert.equal(sha(log), before, 'the log is never modified');
  const input = readFileSync(log, 'utf8').trim().split('\n');
  const copy = readFileSync(a, 'utf8').trim().split('\n');
  assert.equal(copy.length, input.length);
  for (const k of [0, 1, Math.floor(input.length / 2), input.length - 1]) {
    const orig = JSON.parse(input[k]) as Record<string, unknown>;
    const scored = JSON.parse(copy[k]) as Record<string, unknown> & { rollout_lens: { scores: Record<string, unknown>; flags: unknown[]; advantage: unknown; group: unknown } };
    const { rollout_lens: rl, ...rest } = scored;
    assert.deepEqual(rest, orig, `line ${k + 1} keeps its record`);
    assert.deepEqual(Object.keys(rl.scores), REWARDS);
    assert.ok(Array.isArray(rl.flags));
    assert.equal(typeof rl.advantage, 'number');
  }
  // The sidecar has one line per sample and carries the same disagreements.
  const side = await readSidecar(log);
  assert.ok(side);
  assert.equal(side.samples, ra.scored);
  assert.equal(side.disagreements.size, ra.disagreements.length);
  for (const d of ra.disagreements.slice(0, 50)) assert.deepEqual(side.disagreements.get(d.index), d.disagreement);
  assert.ok(ra.disagreements.length > 0, 'truncated traces rewarded 1 disagree with accuracy');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp files left');
});

test('cancelling a large scoring run leaves no output file and no temp file', { timeout: 120000 }, async () => {
  const big = join(dir, 'big.jsonl');
  await generateRolloutFile(big, 24 << 20);
  const out = join(dir, 'big.scored.jsonl');
  const abort = new AbortController();
  let seen = 0;
  await assert.rejects(scoreRun(big, {
    rewards: REWARDS, lang: 'auto', out, sidecar: sidecarPathFor(big), signal: abort.signal,
    onProgress: (p) => { if (p.phase === 'scoring' && p.samples > 2000 && seen++ === 0) abort.abort(); },
  }), ScoringCancelled);
  assert.ok(seen > 0, 'cancelled while scoring, after output had started');
  assert.equal(existsSync(out), false);
  assert.equal(existsSync(sidecarPathFor(big)), false);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  assert.ok(statSync(big).size > 20 << 20);
});
