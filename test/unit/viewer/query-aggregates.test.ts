// Host-side list queries, chart aggregates and search, checked against direct computations over the columns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadRun } from '../../../src/node/load-run';
import { filterSamples, runQuery, sortSamples } from '../../../src/core/viewer/sample-query';
import { chartAggregates, groupOrder, groupPage, scatterPoints, stepPoints } from '../../../src/core/viewer/aggregates';
import { compileSearch, countMatches, searchRun } from '../../../src/node/viewer/sample-search';
import { FLAG_BIT } from '../../../src/core/run/run-builder';

const RUN = join(__dirname, '..', '..', '..', 'demo', 'verl');

test('filters: flags, reward range, step, group, zero variance, single sample', async () => {
  const m = await loadRun(RUN, { analyse: true });
  const all = filterSamples({ model: m }, {});
  assert.equal(all.length, m.count);
  const lm = filterSamples({ model: m }, { flags: ['language-mix'] });
  assert.equal(lm.length, m.flagCounts['language-mix']);
  for (const i of lm) assert.ok(m.columns.flagBits[i] & FLAG_BIT['language-mix']);
  const good = filterSamples({ model: m }, { rewardMin: 0.5 });
  assert.equal(good.length, Array.from(m.columns.reward).filter((r) => r >= 0.5).length);
  const step2 = filterSamples({ model: m }, { step: 2 });
  assert.ok(step2.length > 0 && step2.every((i) => m.columns.step[i] === 2));
  const g0 = filterSamples({ model: m }, { group: 0 });
  assert.equal(g0.length, m.groups.grouping.groupStart[1] - m.groups.grouping.groupStart[0]);
  const zv = filterSamples({ model: m }, { zeroVariance: true });
  assert.ok(zv.every((i) => m.groups.stats.zeroVariance[m.groups.grouping.groupOf[i]] === 1));
  assert.deepEqual(Array.from(filterSamples({ model: m }, { sample: 7 })), [7]);
  // A search filter with an unknown id matches nothing rather than everything.
  assert.equal(filterSamples({ model: m, searches: new Map() }, { searchId: 3 }).length, 0);
});

test('advantage bins: the histogram counts equal the samples each bin filter returns', async () => {
  const m = await loadRun(RUN, { analyse: true });
  const a = chartAggregates(m);
  assert.ok(a.advantage);
  const h = a.advantage;
  let sum = 0;
  for (let b = 0; b < h.counts.length; b++) {
    const n = filterSamples({ model: m }, { bin: { field: 'advantage', min: h.edges[0], max: h.edges[h.edges.length - 1], bins: h.counts.length, index: b } }).length;
    assert.equal(n, h.counts[b], `bin ${b}`);
    sum += n;
  }
  assert.equal(sum, Array.from(m.groups.advantage).filter(Number.isFinite).length);
});

test('sorting: stable, NaN last in both directions', async () => {
  const m = await loadRun(RUN, { analyse: true });
  const idx = filterSamples({ model: m }, {});
  for (const desc of [false, true]) {
    const s = sortSamples(m, idx, 'advantage', desc);
    const v = Array.from(s).map((i) => m.groups.advantage[i]);
    const finite = v.filter(Number.isFinite);
    for (let k = 1; k < finite.length; k++) assert.ok(desc ? finite[k - 1] >= finite[k] : finite[k - 1] <= finite[k]);
    const firstNaN = v.findIndex((x) => !Number.isFinite(x));
    if (firstNaN >= 0) assert.ok(v.slice(firstNaN).every((x) => !Number.isFinite(x)));
  }
  const byLen = runQuery({ model: m }, { filter: {}, sort: 'length', descending: true });
  assert.equal(byLen.length, m.count);
  assert.ok(m.columns.completionChars[byLen[0]] >= m.columns.completionChars[byLen[byLen.length - 1]]);
});

test('steps: per-step means, pass rate, zero-variance share and flag counts match the columns', async () => {
  const m = await loadRun(RUN, { analyse: true });
  const steps = stepPoints(m);
  assert.deepEqual(steps.map((s) => s.step), [1, 2, 10]);
  for (const sp of steps) {
    const members = Array.from({ length: m.count }, (_, i) => i).filter((i) => m.columns.step[i] === sp.step);
    assert.equal(sp.count, members.length);
    const rewards = members.map((i) => m.columns.reward[i]);
    const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
    assert.ok(Math.abs((sp.rewardMean ?? NaN) - mean) < 1e-12);
    assert.equal(sp.passRate, members.filter((i) => m.columns.correct[i]).length / members.length);
    const total = Object.values(sp.flags).reduce((a, b) => a + b, 0);
    assert.ok(total >= members.filter((i) => m.columns.flagBits[i]).length);
    assert.ok(sp.zeroVarianceShare !== null && sp.zeroVarianceShare >= 0 && sp.zeroVarianceShare <= 1);
  }
});

test('scatter is bounded and even; group pages cover every group once', async () => {
  const m = await loadRun(RUN, { analyse: true });
  const full = scatterPoints(m);
  assert.equal(full.complete, true);
  const few = scatterPoints(m, 10);
  assert.equal(few.complete, false);
  assert.ok(few.points.length <= 10 && few.points.length >= 5);
  const ids = groupOrder(m, 'mean');
  assert.equal(new Set(ids).size, m.groups.grouping.count);
  const seen: number[] = [];
  for (let off = 0; off < ids.length; off += 5) seen.push(...groupPage(m, ids, 'mean', off, 5).boxes.map((b) => b.group));
  assert.deepEqual(seen, Array.from(ids));
  const p = groupPage(m, ids, 'mean', 0, 3);
  assert.equal(p.total, m.groups.grouping.count);
  for (const b of p.boxes) assert.equal(b.rewards.length, b.size);
});

test('search: counts, zero-length matches, bad patterns, hits agree with a direct scan', async () => {
  assert.equal(countMatches(/a/g, 'banana'), 3);
  assert.equal(countMatches(/x*/g, 'abc'), 4, 'zero-length matches advance');
  assert.throws(() => compileSearch({ pattern: '(', flags: '', fields: ['prompt'] }), /invalid regular expression/);
  const m = await loadRun(RUN, { analyse: true });
  const r = await searchRun(RUN, m, { pattern: '答案', flags: 'u', fields: ['reasoning', 'answer'] }, { chunkSize: 512 });
  assert.equal(r.progress.scanned, m.count);
  assert.ok(r.progress.matching > 0);
  assert.equal(r.progress.matching, Array.from(r.matches).filter(Boolean).length);
  const q = runQuery({ model: m, searches: new Map([[1, r.matches]]) }, { filter: { searchId: 1 }, sort: 'index', descending: false });
  assert.equal(q.length, r.progress.matching);
  const ac = new AbortController();
  ac.abort();
  await assert.rejects(searchRun(RUN, m, { pattern: 'x', flags: '', fields: ['prompt'] }, { signal: ac.signal }));
});
