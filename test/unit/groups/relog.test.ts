import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RelogDetector, hash53, relogFingerprint, relogRowHash } from '../../../src/core/groups/relog';
import { GroupBuilder, groupInputOf } from '../../../src/core/groups/group-builder';
import { fixture, load } from '../formats/helpers';

test('TRL: a batch logged again under a later step is dropped and reported', () => {
  const { det, samples } = load(fixture('trl.jsonl'));
  const cols = det.rewardColumns ?? [];
  const d = new RelogDetector();
  for (const s of samples) {
    d.add(s.step, relogFingerprint(String(s.prompt), String(s.completion), cols.map((c) => s.rewardComponents[c] ?? null), s.advantage));
  }
  const r = d.finish();
  assert.equal(r.dropped, 4);
  assert.deepEqual(r.relogged, [{ step: 13, sameAs: 12 }]);
  assert.deepEqual([...r.drop], [0, 0, 0, 0, 1, 1, 1, 1]);
  const b = new GroupBuilder({ keepsOrder: true });
  for (const s of samples) b.add(groupInputOf(s));
  b.exclude(r.drop);
  const g = b.finish();
  assert.equal(g.count, 2);
  assert.deepEqual([...g.groupOf], [0, 0, 1, 1, -1, -1, -1, -1]);
});

test('identical rows inside one batch, or a different order, are not re-logs', () => {
  const d = new RelogDetector();
  for (const [step, fp] of [[1, 'a'], [1, 'a'], [2, 'a'], [2, 'b'], [3, 'b'], [3, 'a']] as const) d.add(step, fp);
  const r = d.finish();
  assert.equal(r.dropped, 0);
  assert.deepEqual(r.relogged, []);
});

test('relogRowHash is hash53 of the fingerprint string, fed part by part', () => {
  const cases: [string, string, (number | null)[], number | null][] = [
    ['p', 'c', [1, null, 0.5], null],
    ['', '', [], NaN],
    ['日本語 prompt', `${'x'.repeat(5000)}😀\u0000\u0001`, [NaN, -0, 1e21, -1.5e-7], -0.25],
    ['{"role":"user"}', 'answer', [0], 0],
  ];
  const seen = new Set<number>();
  for (const c of cases) {
    const h = relogRowHash(...c);
    assert.equal(h, hash53(relogFingerprint(...c)), JSON.stringify(c.slice(2)));
    seen.add(h);
  }
  assert.equal(seen.size, cases.length);
});
