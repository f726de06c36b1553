// A missing worker bundle is an installation error with a message naming the file, never a silent in-thread scan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledWorker, MissingWorkerError } from '../../../src/node/worker-script';
import { scanInWorker } from '../../../src/node/viewer/scan-in-worker';
import { withTempDir } from '../../support/temp-dir';

test('bundledWorker finds a present bundle and throws MissingWorkerError for an absent one', async () => {
  await withTempDir(async ({ dir }) => {
    writeFileSync(join(dir, 'worker.js'), '');
    assert.equal(bundledWorker(dir, 'worker'), join(dir, 'worker.js'));
    assert.throws(() => bundledWorker(dir, 'problem-scan-worker'), (e: unknown) => {
      assert.ok(e instanceof MissingWorkerError);
      assert.match(e.message, /problem-scan-worker\.js is missing/);
      assert.match(e.message, /Reinstall the extension/);
      return true;
    });
  }, 'rl-workers-');
});

test('the viewer scan rejects with MissingWorkerError when its worker bundle is absent (no scan on this thread)', async () => {
  let progressed = false;
  await assert.rejects(
    scanInWorker(join(tmpdir(), 'no-such-dir', 'viewer-worker.js'), __filename, {}, { progress: () => { progressed = true; } }),
    (e: unknown) => e instanceof MissingWorkerError && /viewer-worker\.js is missing/.test(e.message),
  );
  assert.equal(progressed, false);
});
