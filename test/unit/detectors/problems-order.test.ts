// Problems panel order under the cap (issue #16 item 3): warnings are never crowded out by information, and the
// findings left out are counted. The large-file scan and the text editor share the ranking (compareFindings and
// findingSeverity in src/node/problem-scan.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareFindings, findingSeverity, scanProblems } from '../../../src/node/problem-scan';
import { fixture, needFixtures, REAL2 } from '../../support/fixtures';

test('a flag the detector calls info is Information at most, whatever its kind is set to', () => {
  assert.equal(findingSeverity(1, 'info'), 2); // kind set to Warning, detector says info
  assert.equal(findingSeverity(0, 'info'), 2);
  assert.equal(findingSeverity(1, 'warning'), 1);
  assert.equal(findingSeverity(0, 'error'), 0);
  assert.equal(findingSeverity(3, 'info'), 3); // Hint stays Hint
});

test('ranking: every warning comes before every information finding', () => {
  const f = (severity: number, detector: number, line: number) => ({ severity, detector, line, flag: null });
  const sorted = [f(2, 2, 1), f(1, 1, 900), f(2, 2, 0), f(1, 0, 5)].sort(compareFindings);
  assert.deepEqual(sorted.map((x) => x.severity), [1, 1, 2, 2]);
  assert.equal(sorted[0]!.detector, 0); // the detector's own error first among warnings
});

test('verl tool-use dump: with a small cap the kept findings are its warnings, and the rest is counted', { skip: needFixtures(REAL2) }, async () => {
  const severities = { 'language-mix': 1, repetition: 1, truncated: 1, format: 1, tool: 1, malformed: 0 };
  const all = await scanProblems(fixture('real2', 'verl-hecate', '2.jsonl'), { run: {}, severities, max: 100000 });
  assert.ok(all);
  const warnings = all.findings.filter((x) => x.severity <= 1).length;
  const info = all.findings.length - warnings;
  assert.ok(warnings > 10 && info > 10, `${warnings} warnings, ${info} information`);
  // No "No reasoning tags" on a run that never uses them.
  assert.equal(all.findings.filter((x) => x.flag?.code === 'no-think').length, 0);
  const cap = warnings;
  const capped = await scanProblems(fixture('real2', 'verl-hecate', '2.jsonl'), { run: {}, severities, max: cap });
  assert.ok(capped);
  assert.equal(capped.findings.length, cap);
  assert.ok(capped.findings.every((x) => x.severity <= 1), 'information took a warning slot');
  assert.deepEqual(capped.leftOut, { total: info, warnings: 0 });
});
