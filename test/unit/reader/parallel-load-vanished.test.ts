// A step file deleted between the listing of a run folder and its reading (a trainer rotating its logs, a user
// cleaning up) must surface from the parallel reader as the project's InputError naming that file, as the streaming
// reader does, not as a raw "ENOENT: no such file or directory, open …" shown by the extension's large-file paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, mkdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRunParallel } from '../../../src/node/parallel-load';
import { InputError } from '../../../src/node/read-input';
import { generateRolloutFile } from '../../../bench/generate';

const dir = mkdtempSync(join(tmpdir(), 'rl-parallel-vanished-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('a step file deleted after planning, before a worker opens it: InputError naming the file', async () => {
  const gen = join(dir, 'gen.jsonl');
  await generateRolloutFile(gen, 2 << 20);
  const lines = readFileSync(gen, 'utf8').split('\n').filter((l) => l.length > 0);
  const folder = join(dir, 'run');
  mkdirSync(folder);
  const half = Math.ceil(lines.length / 2);
  writeFileSync(join(folder, '1.jsonl'), lines.slice(0, half).join('\n') + '\n');
  const second = join(folder, '2.jsonl');
  writeFileSync(second, lines.slice(half).join('\n') + '\n');
  // One worker kept two ranges deep over ~16 ranges of 1.jsonl: when the first range is merged, no worker has
  // reached 2.jsonl yet, so deleting it then is exactly the race of a file vanishing mid-read.
  let deleted = false;
  const p = loadRunParallel(folder, {
    analyse: true, workers: 1, minBytes: 0, rangeBytes: 64 << 10,
    onProgress: () => {
      if (!deleted) {
        deleted = true;
        unlinkSync(second);
      }
    },
  });
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
    assert.equal(e.path, second);
    assert.equal(e.code, 'missing');
    assert.equal(e.message, `${second}: no such file or folder`);
    assert.doesNotMatch(e.message, /ENOENT|open '/);
    return true;
  });
  assert.ok(deleted, 'the file was deleted during the load');
});

test('a path that does not exist: InputError, not a raw ENOENT from stat', async () => {
  const missing = join(dir, 'nowhere', 'train.jsonl');
  await assert.rejects(loadRunParallel(missing, { analyse: true, minBytes: 0 }), (e: unknown) =>
    e instanceof InputError && e.code === 'missing' && e.path === missing && e.message === `${missing}: no such file or folder`);
});

test('a cancelled load still rejects with the abort, not an InputError', async () => {
  const gen = join(dir, 'cancel.jsonl');
  await generateRolloutFile(gen, 1 << 20);
  const ac = new AbortController();
  const p = loadRunParallel(gen, { analyse: true, workers: 1, minBytes: 0, rangeBytes: 64 << 10, signal: ac.signal, onProgress: () => ac.abort() });
  await assert.rejects(p, (e: unknown) => !(e instanceof InputError) && e instanceof Error && e.name === 'AbortError');
});
