// analyseCompletion's `trajectory` input: the parallel reader and the RunBuilder parse a sample's trajectory once
// for the turn and tool columns and hand it to the analysis. The analysis must be the one it would compute itself,
// on a real multi-turn tool-use dump (verl-hecate: tool calls, malformed calls, tool replies, several turns).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fixture, needFixtures } from '../../support/fixtures';
import { analyseCompletion } from '../../../src/core/analyse';
import { completionTrajectory, isMultiTurn } from '../../../src/core/trajectory/trajectory';

const VERL = fixture('real2', 'verl-hecate', '2.jsonl');

test('verl-hecate: analysis with the caller\'s trajectory equals the analysis that parses its own', { skip: needFixtures(VERL) }, () => {
  const rows = readFileSync(VERL, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { input: string; output: string });
  let multi = 0;
  let flagged = 0;
  rows.forEach((r, i) => {
    const trajectory = completionTrajectory(r.output);
    if (isMultiTurn(trajectory)) multi++;
    const own = analyseCompletion({ completion: r.output, prompt: r.input });
    const given = analyseCompletion({ completion: r.output, prompt: r.input, trajectory });
    assert.deepEqual(given, own, `line ${i + 1}`);
    if (own.flags.length > 0) flagged++;
  });
  // The comparison covers the multi-turn path (per-turn passes, tool findings), not only single turns.
  assert.ok(multi > rows.length / 2, `${multi} multi-turn samples of ${rows.length}`);
  assert.ok(flagged > 0, 'some samples are flagged');
});
