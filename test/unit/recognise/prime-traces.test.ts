// prime-rl's file monitor layout (PRs #3444, #3465): a run folder whose episodes sit in a chunked stream (sealed
// chunks in zstd's seekable format, the live chunk plain), with an index, per-producer annotations, live deltas and
// metrics beside them. The generator writes only what those PRs show; see docs/recognition.md for what is guessed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadRunWithInput } from '../../../src/node/load-run';
import { zstdSeekable } from '../../support/zstd-frames';
import { withTempDir } from '../../support/temp-dir';

interface Episode {
  step: number;
  group: number;
  k: number;
  reward: number;
}

/** verifiers v1 Episode.to_record() as formats.md §3.12 documents it (one trainable trace). */
function episodeRecord(e: Episode): Record<string, unknown> {
  const id = `ep-${e.step}-${e.group}-${e.k}`;
  const q = `Compute ${e.group} + ${e.step}.`;
  return {
    id,
    env: { id: 'math-env', name: 'math' },
    task: { type: 'math', data: { question: q, answer: String(e.group + e.step) }, key: `train/${e.group}` },
    group: { id: `g-${e.step}-${e.group}` },
    run: { type: 'train', id: 'run-1', work: { type: 'train', step: e.step, policy: { start: e.step - 1, end: e.step } } },
    ok: true,
    errors: [],
    traces: [{
      id: `tr-${id}`,
      task: { type: 'math', data: { question: q } },
      agent: { config: {}, name: 'agent', trainable: true },
      nodes: [
        { parent: null, message: { role: 'user', content: q }, sampled: false },
        { parent: 0, message: { role: 'assistant', content: `<think>${e.group} plus ${e.step}</think>\\boxed{${e.reward ? e.group + e.step : 0}}` }, sampled: true },
      ],
      calls: [{ finish_reason: 'stop' }],
      rewards: { correct_answer: { score: e.reward, weight: 1 } },
      metrics: {},
      info: { kind: 'train' },
      is_completed: true,
      ok: true,
    }],
  };
}

/** Writes a prime-rl run folder; returns the episodes in stream order. */
function writeRun(root: string): Episode[] {
  const episodes: Episode[] = [];
  for (const step of [1, 2, 3]) for (let group = 0; group < 2; group++) for (let k = 0; k < 4; k++) episodes.push({ step, group, k, reward: k < 2 ? 1 : 0 });
  const put = (rel: string, data: string | Buffer): void => {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
  };
  const lines = episodes.map((e) => JSON.stringify(episodeRecord(e)) + '\n');
  // Chunk 0 (steps 1–2) is sealed in seekable frames of ~1 KB; chunk 1 (step 3) is the live, plain chunk.
  const sealed = Buffer.from(lines.slice(0, 16).join(''));
  put('monitors/file/traces/stream/00000.jsonl.zst', zstdSeekable(sealed, 1024));
  put('monitors/file/traces/stream/00001.jsonl', lines.slice(16).join(''));
  let offset = 0;
  const index = lines.map((l, i) => {
    const chunk = i < 16 ? 0 : 1;
    if (i === 16) offset = 0;
    const row = { line: i + 1, offset, chunk, id: `ep-${episodes[i].step}-${episodes[i].group}-${episodes[i].k}`, kind: 'train', group: `g-${episodes[i].step}-${episodes[i].group}`, reward: episodes[i].reward };
    offset += Buffer.byteLength(l);
    return JSON.stringify(row);
  });
  put('monitors/file/traces/stream.index.jsonl', index.join('\n') + '\n');
  // The trainer's annotations: {version, trace_id, info, branches} (update.py), with their index.
  put('monitors/file/traces/annotations/trainer/00000.jsonl', JSON.stringify({ version: 1, trace_id: 'tr-ep-1-0-0', info: { advantage: 0.5 }, branches: [{ index: 0, advantages: [0.5, 0.5] }] }) + '\n');
  put('monitors/file/traces/annotations/trainer.index.jsonl', JSON.stringify({ trace_id: 'tr-ep-1-0-0', chunk: 0, offset: 0, info: { advantage: 0.5 } }) + '\n');
  put('monitors/file/traces/live/tr-live.jsonl', JSON.stringify({ open: { id: 'tr-live' }, dispatch: { kind: 'train', step: 4 } }) + '\n');
  put('monitors/file/traces/live/pending/ep-x.json', JSON.stringify({ id: 'ep-x', kind: 'train' }));
  put('monitors/file/metrics.jsonl', JSON.stringify({ step: 1, time: 1.5, 'reward/mean': 0.5 }) + '\n');
  put('monitors/file/plan.json', JSON.stringify({ math: { '1': 8 } }));
  return episodes;
}

for (const open of ['run', 'run/monitors/file/traces', 'run/monitors/file/traces/stream']) {
  test(`prime-rl chunked trace stream reads as one run (opened at ${open})`, async () => {
    await withTempDir(async (t) => {
      const episodes = writeRun(join(t.dir, 'run'));
      const { model, input } = await loadRunWithInput(join(t.dir, open));
      assert.equal(model.detection?.format, 'prime-rl');
      assert.equal(model.detection?.variant, 'episode');
      assert.equal(model.count, episodes.length);
      assert.deepEqual([...model.columns.step], episodes.map((e) => e.step));
      assert.deepEqual([...model.columns.reward], episodes.map((e) => e.reward));
      assert.deepEqual(model.badLines, []);
      // 3 steps × 2 groups of 4, by the episodes' group ids.
      assert.equal(model.groups.grouping.count, 6);
      assert.equal(model.groups.grouping.keySource, 'explicit');
      assert.deepEqual(input.files.map((f) => f.info.compression ?? 'plain'), ['zstd', 'plain']);
      if (open === 'run') {
        const reasons = input.skipped.map((s) => s.reason).join(' | ');
        assert.match(reasons, /annotations/);
        assert.match(reasons, /index of summary rows/);
        assert.match(reasons, /in flight/);
        assert.match(reasons, /bookkeeping/);
      }
    });
  });
}

test('a chunk caught mid-seal (plain file and sealed twin both there) is read once', async () => {
  await withTempDir(async (t) => {
    const episodes = writeRun(join(t.dir, 'run'));
    const stream = join(t.dir, 'run', 'monitors', 'file', 'traces', 'stream');
    const lines = episodes.slice(16).map((e) => JSON.stringify(episodeRecord(e)) + '\n').join('');
    writeFileSync(join(stream, '00001.jsonl.zst'), zstdSeekable(Buffer.from(lines), 4 << 20));
    const { model, input } = await loadRunWithInput(join(t.dir, 'run'));
    assert.equal(model.count, episodes.length);
    assert.ok(input.skipped.some((s) => /sealed twin/.test(s.reason)));
  });
});
