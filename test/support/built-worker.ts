// The built bundle of a worker script (dist/<name>.js), built first when a test runs before `npm run build`.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const ROOT = join(__dirname, '..', '..');

export function builtWorker(name: 'viewer-worker' | 'worker' | 'problem-scan-worker'): string {
  const script = join(ROOT, 'dist', `${name}.js`);
  if (!existsSync(script)) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    assert.equal(r.status, 0, 'the build failed');
  }
  return script;
}
