// The command layer's pure parts (which sample a cursor line means, how a failure is worded and logged) and the
// structure it stands for: commands resolve their target, model and cursor in one place, and only test-hooks.ts
// knows about test runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sampleAtLine } from '../../../src/extension/commands/cursor-sample';
import { CommandError, describeFailure } from '../../../src/extension/commands/command-error';
import { PROJECT_ROOT } from '../../support/fixtures';

test('sampleAtLine: the line\'s sample, else the nearest sample line above, else 0', () => {
  // A pretty-printed record over lines 1–3 (its first line carries the sample), a blank line, then sample 1.
  const index = Int32Array.from([-1, 0, -1, -1, -1, 1]);
  assert.equal(sampleAtLine(index, 5), 1);
  assert.equal(sampleAtLine(index, 3), 0, 'inside the first record');
  assert.equal(sampleAtLine(index, 4), 0, 'a blank line belongs to the record above');
  assert.equal(sampleAtLine(index, 0), 0, 'before any sample: the first');
  assert.equal(sampleAtLine(index, 99), 1, 'past the end (a stale cursor): the last sample');
  assert.equal(sampleAtLine(new Int32Array(0), 0), 0);
});

test('describeFailure: a precondition is a warning, anything else an error with its stack in the log only', () => {
  const w = describeFailure('rolloutLens.showSummary', new CommandError('open a rollout file first.', 'warning'));
  assert.deepEqual(w, { level: 'warning', message: 'Rollout Lens: open a rollout file first.', log: 'rolloutLens.showSummary: open a rollout file first.' });
  const e = describeFailure('rolloutLens.scoreFile', new Error('EACCES: permission denied'));
  assert.equal(e.level, 'error');
  assert.equal(e.message, 'Rollout Lens: EACCES: permission denied');
  assert.match(e.log, /^rolloutLens\.scoreFile failed: EACCES: permission denied\n.*Error: EACCES/s);
  assert.ok(!e.message.includes('\n'), 'no stack trace in the notification');
  assert.equal(describeFailure('x', 'plain').message, 'Rollout Lens: plain');
  assert.equal(new CommandError('m').level, 'error');
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const EXTENSION_DIR = join(PROJECT_ROOT, 'src', 'extension');
const files = sources(EXTENSION_DIR).map((p) => ({ rel: relative(EXTENSION_DIR, p), text: readFileSync(p, 'utf8') }));

test('only test-hooks.ts reads ROLLOUT_LENS_TEST; no consent bypass argument', () => {
  const readers = files.filter((f) => /process\.env\.ROLLOUT_LENS_TEST\b/.test(f.text)).map((f) => f.rel);
  assert.deepEqual(readers, ['test-hooks.ts']);
  const testCommands = files.filter((f) => /registerCommand\('rolloutLens\._/.test(f.text)).map((f) => f.rel);
  assert.deepEqual(testCommands, ['test-hooks.ts'], 'test-only commands are registered by the test hooks alone');
  assert.ok(!files.some((f) => f.text.includes('acceptOptIn')), 'the consent modal is pre-answered through stored state, not an argument');
});

test('one command layer: commands register through it, no second sampleAtCursor / withModel / targetUri', () => {
  const direct = files.filter((f) => f.rel !== 'test-hooks.ts' && f.rel !== join('commands', 'command-context.ts') && /vscode\.commands\.registerCommand\(/.test(f.text)).map((f) => f.rel);
  assert.deepEqual(direct, [], 'these files register commands around the layer');
  for (const name of ['sampleAtCursor', 'withModel', 'modelOf', 'activeUri', 'activeTabUri']) {
    const defs = files.filter((f) => new RegExp(`(const|function) ${name}\\b`).test(f.text)).map((f) => f.rel);
    assert.deepEqual(defs, [], `${name} is defined again`);
  }
  const targetDefs = files.filter((f) => /export function targetUri\b/.test(f.text)).map((f) => f.rel);
  assert.deepEqual(targetDefs, [join('commands', 'command-context.ts')]);
});
