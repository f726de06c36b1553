// Host side of the Rollout Viewer: scan with first rows and progress, record-index paging that matches the
// model, sample and group payloads, cancel, and a generated file with parse-everything cross-checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunSession } from '../../../src/node/viewer/run-session';
import type { SampleRow, ScanProgress } from '../../../src/protocol/viewer-protocol';
import { withTempDir } from '../../support/temp-dir';
import { builtWorker } from '../../support/built-worker';

const DEMO = join(__dirname, '..', '..', '..', 'demo');

test('scan of a demo folder: first rows, progress, overview', async () => {
  const s = new RunSession(join(DEMO, 'verl'), { firstRows: 5 });
  let first: SampleRow[] | null = null;
  const progress: ScanProgress[] = [];
  const m = await s.scan({ firstRows: (r) => { first ??= r; }, progress: (p) => progress.push(p) });
  assert.equal(m.count, 48);
  assert.ok(first !== null && (first as SampleRow[]).length >= 5, 'first rows were sent');
  assert.ok(progress.length >= 1);
  const last = progress[progress.length - 1];
  assert.equal(last.samples, 48);
  assert.equal(last.files, 3);
  const o = s.overview('verl');
  assert.equal(o.isFolder, true);
  assert.equal(o.format, 'verl');
  assert.equal(o.samples, 48);
  assert.ok(o.groups > 0);
  assert.ok(o.timings.firstSamplesMs !== null && o.timings.fullStatsMs !== null);
  await s.close();
});

test('paged rows read through the record index match the model columns', async () => {
  const s = new RunSession(join(DEMO, 'verl'));
  const m = await s.scan();
  const total = s.runQuery(1, { filter: {}, sort: 'index', descending: false });
  assert.equal(total, m.count);
  const rows = await s.rows(1, 10, 20);
  assert.equal(rows.length, 20);
  for (const r of rows) {
    const rw = m.columns.reward[r.index];
    assert.equal(r.reward, Number.isFinite(rw) ? rw : null);
    assert.ok(r.preview.length > 0, `row ${r.index} has a preview`);
  }
  // A stale query id gives nothing rather than rows of another query.
  assert.deepEqual(await s.rows(99, 0, 5), []);
  await s.close();
});

test('sample detail: completion matches the file line, spans and recomputed rewards', async () => {
  const file = join(DEMO, 'verl', '1.jsonl');
  const s = new RunSession(file);
  await s.scan();
  s.runQuery(1, { filter: {}, sort: 'index', descending: false });
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  for (const i of [0, 7, 15]) {
    const d = await s.detail(i);
    assert.ok(d);
    const rec = JSON.parse(lines[i]) as { output: string; gts: string; score: number };
    assert.equal(d.completion, rec.output);
    assert.equal(d.gold, rec.gts);
    assert.equal(d.reward, rec.score);
    assert.equal(d.position, i);
    assert.ok('accuracy' in d.recomputed);
    for (const f of d.flags) assert.ok(f.start >= 0 && f.end <= d.completion.length && f.start <= f.end);
    if (d.reasoning) assert.ok(d.reasoning.end <= d.completion.length);
  }
  await s.close();
});

test('group detail: members, answer classes, ordering and stepping', async () => {
  const s = new RunSession(join(DEMO, 'verl'));
  const m = await s.scan();
  const g = await s.group(0, 'index');
  assert.ok(g);
  assert.equal(g.members.length, m.groups.grouping.groupStart[1] - m.groups.grouping.groupStart[0]);
  const classes = g.members.map((x) => x.answerClass);
  if (g.members.some((x) => x.answer !== null)) assert.ok(classes.includes(0), 'the most common answer is class 0');
  const bySpread = s.groupOrder('spread');
  const st = m.groups.stats;
  for (let r = 1; r < bySpread.length; r++) {
    const a = st.max[bySpread[r - 1]] - st.min[bySpread[r - 1]];
    const b = st.max[bySpread[r]] - st.min[bySpread[r]];
    if (Number.isFinite(a) && Number.isFinite(b)) assert.ok(a >= b, 'spread order is descending');
  }
  const next = await s.stepGroup(bySpread[0], 'spread', 1);
  assert.equal(next?.group, bySpread[1]);
  assert.equal(next?.rank, 1);
  const first = await s.stepGroup(bySpread[0], 'spread', -5);
  assert.equal(first?.group, bySpread[0], 'clamped at the first group');
  await s.close();
});

test('cancel: an aborted scan rejects and leaves no model', async () => {
  const s = new RunSession(join(DEMO, 'verl'));
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(s.scan({}, ac.signal));
  assert.equal(s.model, null);
});

test('generated file: rows at every position equal a full parse', async () => {
  await withTempDir(async ({ dir }) => {
    const file = join(dir, 'gen.jsonl');
    const lines: string[] = [];
    for (let i = 0; i < 300; i++) {
      const g = Math.floor(i / 6);
      lines.push(JSON.stringify({ input: `prompt ${g} ${'é'.repeat(g % 5)}`, output: `<think>step ${i}</think><answer>${i % 3}</answer>`, gts: '1', score: i % 3 === 1 ? 1 : 0, step: 1 + Math.floor(g / 10) }));
    }
    writeFileSync(file, lines.join('\n') + '\n');
    const s = new RunSession(file, { chunkSize: 4096 });
    const m = await s.scan();
    assert.equal(m.count, 300);
    s.runQuery(5, { filter: {}, sort: 'reward', descending: true });
    const rows = await s.rows(5, 0, 300);
    assert.equal(rows.length, 300);
    for (let k = 1; k < rows.length; k++) assert.ok((rows[k - 1].reward ?? -1) >= (rows[k].reward ?? -1));
    for (const i of [0, 1, 150, 299]) {
      const d = await s.detail(i);
      assert.equal(d?.completion, (JSON.parse(lines[i]) as { output: string }).output);
    }
    await s.close();
  }, 'rl-viewer-');
});

test('worker scan (dist/viewer-worker.js) gives the same model, rows and details as the in-thread scan', { timeout: 60000 }, async () => {
  const worker = builtWorker('viewer-worker');
  const a = new RunSession(join(DEMO, 'verl'));
  const b = new RunSession(join(DEMO, 'verl'), { workerScript: worker });
  let first: SampleRow[] | null = null;
  const [ma, mb] = [await a.scan(), await b.scan({ firstRows: (r) => { first = r; } })];
  assert.ok(first !== null, 'first rows came from the worker');
  assert.equal(mb.count, ma.count);
  assert.deepEqual(Array.from(mb.columns.reward), Array.from(ma.columns.reward));
  assert.deepEqual(Array.from(mb.groups.grouping.groupOf), Array.from(ma.groups.grouping.groupOf));
  a.runQuery(1, { filter: {}, sort: 'index', descending: false });
  b.runQuery(1, { filter: {}, sort: 'index', descending: false });
  assert.deepEqual(await b.rows(1, 0, 48), await a.rows(1, 0, 48));
  assert.equal((await b.detail(30))?.completion, (await a.detail(30))?.completion);
  // Cancel terminates the worker and rejects.
  const ac = new AbortController();
  const c = new RunSession(join(DEMO, 'verl'), { workerScript: worker });
  const p = c.scan({}, ac.signal);
  ac.abort();
  await assert.rejects(p, /cancel/i);
  await a.close();
  await b.close();
});
