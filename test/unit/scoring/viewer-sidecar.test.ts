// The Rollout Viewer picks up the scoring sidecar next to a log: the overview counts the disagreements, the list
// filter keeps exactly the disagreeing samples, and their rows carry the reason. A stale sidecar (older than the
// log) is ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { RunSession } from '../../../src/node/viewer/run-session';
import { scoreRun } from '../../../src/node/scoring/score-run';
import { sidecarPathFor } from '../../../src/node/scoring/sidecar';

import { REAL, needFixtures } from '../../support/fixtures';
import { withTempDir } from '../../support/temp-dir';

test('viewer: disagreement count, filter and reasons from the sidecar', { skip: needFixtures(REAL), timeout: 60000 }, async () => {
  await withTempDir(async ({ dir }) => {
    const log = join(dir, 'openr1.jsonl');
    copyFileSync(join(REAL, 'reward-kit/openr1_math_regenerated_think_traces.jsonl'), log);
    const scored = await scoreRun(log, { rewards: ['accuracy'], lang: 'auto', sidecar: sidecarPathFor(log) });
    const expected = scored.disagreements.map((d) => d.index);
    assert.ok(expected.length > 0);

    const s = new RunSession(log);
    await s.scan();
    const o = s.overview('openr1');
    assert.deepEqual(o.disagreements && { count: o.disagreements.count, compared: o.disagreements.compared }, { count: expected.length, compared: 'accuracy' });
    const n = s.runQuery(1, { filter: { disagreement: true }, sort: 'index', descending: false });
    assert.equal(n, expected.length);
    const rows = await s.rows(1, 0, n);
    assert.deepEqual(rows.map((r) => r.index), expected);
    assert.ok(rows.every((r) => /^recorded [01] ≠ recomputed [01] \(accuracy\): /.test(r.disagreement ?? '')), JSON.stringify(rows.map((r) => r.disagreement)));
    assert.equal(rows[0].index, 0);
    assert.match(rows[0].disagreement ?? '', /no closing think/);
    assert.equal(s.runQuery(2, { filter: { disagreement: false }, sort: 'index', descending: false }), o.samples - expected.length);
    await s.close();

    // The log changed after scoring: the sidecar no longer describes it.
    const later = Date.now() / 1000 + 60;
    utimesSync(log, later, later);
    const t = new RunSession(log);
    await t.scan();
    assert.equal(t.overview('openr1').disagreements, null);
    assert.equal(t.runQuery(1, { filter: { disagreement: true }, sort: 'index', descending: false }), 0);
    await t.close();
  }, 'rl-side-');
});
