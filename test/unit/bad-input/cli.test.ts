// Every kind of bad input in corpus.ts through the real CLI, as a user would run it: `summary --json`, the human
// `summary` and `score --json`. Asserts the exit code of cli.md, a message naming the file (exit 3) or each bad
// line by number (and file, in a folder), that every good record still loads, that notes (incomplete last line,
// invalid UTF-8, NaN) are said, and that no stack trace or "internal error" ever reaches the user.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basename } from 'node:path';
import { join } from 'node:path';
import { CASES, CLI_ENTRY, FIXTURES, makeWorkDir, prepareGenerated, runCli, type BadInputCase, type CliRun } from './corpus';

interface SummaryJson {
  path: string;
  samples: number;
  badLines: { file?: string; line: number; error: string }[];
  notes?: string[];
}

const work = makeWorkDir();

function assertNoCrash(r: CliRun, what: string): void {
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, `${what}: stack trace on stderr:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error|TypeError|RangeError|ReferenceError/, `${what}: internal error on stderr:\n${r.stderr}`);
  assert.ok(!r.stdout.includes('\u001b'), `${what}: a raw escape character reached the terminal`);
}

async function check(c: BadInputCase): Promise<void> {
  const path = c.path(work.dir);
  const e = c.expect;
  const summary = await runCli(['summary', path, '--json']);
  // The 100 MB cases skip the human table (same code path as --json) to keep the run within CI limits.
  const human = c.big ? summary : await runCli(['summary', path]);
  const score = await runCli(['score', path, '--json', ...(c.scoreArgs ?? [])]);
  for (const [what, r] of [['summary --json', summary], ['summary', human], ['score --json', score]] as const) {
    assertNoCrash(r, `${c.name} ${what}`);
    assert.equal(r.code, e.exit, `${c.name} ${what}: exit ${r.code}, expected ${e.exit}; stderr: ${r.stderr}`);
  }
  if (e.exit === 3) {
    for (const r of [summary, human, score]) {
      assert.equal(r.stdout, '', `${c.name}: nothing on stdout for an unreadable input`);
      assert.match(r.stderr, /^rollout-lens: /, `${c.name}: one message prefixed with the program name`);
      assert.ok(r.stderr.includes(basename(path)), `${c.name}: the message names the file: ${r.stderr}`);
      assert.match(r.stderr, e.message);
      assert.equal(r.stderr.trim().split('\n').length, 1, `${c.name}: one line, no trace: ${r.stderr}`);
    }
    return;
  }
  // summary --json: the rest loads, each bad line is named by number (and by file inside a folder).
  const s = JSON.parse(summary.stdout) as SummaryJson;
  assert.equal(s.samples, e.samples, `${c.name}: samples`);
  assert.equal(s.badLines.length, e.bad.length, `${c.name}: bad lines ${JSON.stringify(s.badLines)}`);
  e.bad.forEach((b, i) => {
    const got = s.badLines[i];
    assert.equal(got.line, b.line, `${c.name}: bad line number ${JSON.stringify(got)}`);
    assert.match(got.error, b.error);
    if (b.file) assert.ok(got.file?.endsWith(b.file), `${c.name}: bad line names its file: ${JSON.stringify(got)}`);
  });
  if (e.note) assert.ok(s.notes?.some((n) => e.note?.test(n)), `${c.name}: note ${e.note} in ${JSON.stringify(s.notes)}`);
  // The human table says the first bad line and the notes too.
  if (!c.big) assert.match(human.stdout, new RegExp(`samples\\s+${e.samples}\\b`));
  if (e.bad.length > 0 && !c.big) assert.match(human.stdout, new RegExp(`bad lines\\s+${e.bad.length} \\(first: line ${e.bad[0].line}: `));
  if (e.note && !c.big) assert.match(human.stdout, e.note);
  // score --json: one result per sample, {line, error} for each bad line, all valid JSON (lone surrogates escaped).
  const lines = score.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { record?: number; line?: number; file?: string; error?: string });
  const results = lines.filter((l) => l.record !== undefined);
  const errors = lines.filter((l) => l.error !== undefined);
  assert.equal(results.length, e.samples, `${c.name}: score results`);
  assert.deepEqual(errors.map((x) => x.line), e.bad.map((b) => b.line), `${c.name}: score error lines`);
  e.bad.forEach((b, i) => assert.match(errors[i].error ?? '', b.error));
}

describe('bad input through the CLI', { concurrency: 2 }, () => {
  before(async () => {
    console.log(`# CLI under test: ${CLI_ENTRY}`);
    await prepareGenerated(work.dir);
  });
  after(() => work.cleanup());
  for (const c of CASES) {
    const why = c.skip?.() ?? null;
    if (why !== null) {
      test(`${c.name}: ${c.kind}`, { skip: why }, () => undefined);
      console.log(`# skipped ${c.name}: ${why}`);
      continue;
    }
    test(`${c.name}: ${c.kind}`, { timeout: c.big ? 600_000 : 120_000 }, () => check(c));
  }
});

test('the corpus has at least 25 kinds of bad input', () => {
  assert.ok(CASES.length >= 25, `${CASES.length} kinds`);
  assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length, 'names are unique');
});

test('model text never reaches the terminal as control sequences (OSC title, colours, bidi override)', { timeout: 60_000 }, async () => {
  const path = join(FIXTURES, 'terminal-escapes.jsonl');
  const score = await runCli(['score', path]);
  const summary = await runCli(['summary', path]);
  for (const r of [score, summary]) {
    assert.equal(r.code, 0, r.stderr);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(r.stdout), `control characters on stdout: ${JSON.stringify(r.stdout)}`);
  }
  assert.match(score.stdout, /answer \\u001b\]0;PWNED\\u0007\\u001b\[31m2\\u202e/, 'the answer is shown, escaped');
  assert.match(summary.stdout, /bad lines\s+1 \(first: line 2: field 'reward' is a string "\\u001b\[2J/, 'the bad value is shown, escaped');
});
