// `rollout-lens score` on bad input, as `summary` reports it: a bad line inside a run folder names its file (in
// --json and in the human lines), and what the reader noticed (incomplete last line, invalid UTF-8, NaN literals,
// a cut JSON array) is said on stderr, never mixed into the results on stdout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../../support/cli';
import { PROJECT_ROOT as ROOT } from '../../support/fixtures';
import { withTempDir } from '../../support/temp-dir';

const FIX = join(ROOT, 'test/fixtures/bad-input');

interface Out {
  record?: number;
  file?: string;
  line?: number | null;
  error?: string;
}

function parse(stdout: string): Out[] {
  return stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Out);
}

test('score --json: bad lines of a run folder name their file, as summary --json does', () => {
  const folder = join(FIX, 'mixed-folder');
  const score = cli(['score', folder, '--json']);
  assert.equal(score.code, 0, score.stderr);
  const summary = cli(['summary', folder, '--json']);
  assert.equal(summary.code, 0, summary.stderr);
  const expected = (JSON.parse(summary.stdout) as { badLines: Out[] }).badLines;
  const errors = parse(score.stdout).filter((l) => l.error !== undefined);
  assert.equal(errors.length, 2);
  assert.deepEqual(errors, expected, 'the same {file, line, error} objects as summary --json');
  assert.ok(errors[0].file?.endsWith('2.jsonl'));
  assert.equal(errors[0].line, 2);
  assert.ok(errors[1].file?.endsWith('empty.jsonl'));
  assert.equal(errors[1].line, 0);
});

test('score (human): a folder bad line says its file; a single file says the line only', () => {
  const r = cli(['score', join(FIX, 'mixed-folder')]);
  assert.equal(r.code, 0, r.stderr);
  const bad = r.stdout.split('\n').filter((l) => !/^(line|record) \d/.test(l) && l !== '');
  assert.equal(bad.length, 2, r.stdout);
  assert.match(bad[0], /mixed-folder\/2\.jsonl: line 2: Expected property name/);
  // The whole-file error already names the file: it is not repeated.
  assert.match(bad[1], /^\S*mixed-folder\/empty\.jsonl: the file is empty$/);
  const single = cli(['score', join(FIX, 'malformed-line.jsonl')]);
  assert.equal(single.code, 0, single.stderr);
  assert.ok(single.stdout.split('\n').some((l) => /^line \d+: /.test(l)), single.stdout);
  assert.ok(!single.stdout.includes('malformed-line.jsonl'), 'a single file is not renamed on every line');
  for (const l of parse(cli(['score', join(FIX, 'malformed-line.jsonl'), '--json']).stdout)) assert.equal(l.file, undefined);
});

const NOTES: [string, RegExp][] = [
  ['truncated-last-line.jsonl', /incomplete last line 4/],
  ['invalid-utf8.jsonl', /line 2 is not valid UTF-8/],
  ['nan-infinity.jsonl', /NaN\/Infinity/],
  ['truncated-array.json', /JSON array is not closed: item 3 is incomplete/],
];

for (const [name, note] of NOTES) {
  test(`score prints the reader's note on stderr, as summary does: ${name}`, () => {
    const path = join(FIX, name);
    const summary = cli(['summary', path, '--json']);
    assert.ok((JSON.parse(summary.stdout) as { notes?: string[] }).notes?.some((n) => note.test(n)), 'summary says it');
    for (const args of [['--json'], []]) {
      const r = cli(['score', path, ...args]);
      assert.equal(r.code, 0, r.stderr);
      const notes = r.stderr.split('\n').filter((l) => l.startsWith('rollout-lens: note: '));
      assert.ok(notes.some((n) => note.test(n)), `${name} ${args.join(' ')}: ${r.stderr}`);
      // stdout holds results only: every --json line still parses.
      if (args.length > 0) assert.ok(parse(r.stdout).length > 0);
      assert.ok(!r.stdout.includes('rollout-lens: note'));
    }
  });
}

test('inside a folder, a note names the file it is about', async () => {
  await withTempDir(async ({ dir }) => {
    const run = join(dir, 'run');
    mkdirSync(run);
    copyFileSync(join(FIX, 'truncated-last-line.jsonl'), join(run, '1.jsonl'));
    copyFileSync(join(FIX, 'invalid-utf8.jsonl'), join(run, '2.jsonl'));
    const r = cli(['score', run, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /rollout-lens: note: \S*run\/1\.jsonl: incomplete last line 4/);
    assert.match(r.stderr, /rollout-lens: note: \S*run\/2\.jsonl: line 2 is not valid UTF-8/);
    assert.equal(parse(r.stdout).filter((l) => l.record !== undefined).length, 6);
  }, 'rl-score-notes-');
});
