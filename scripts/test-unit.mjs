// Runs every test/unit/**/*.test.ts with node's test runner (TypeScript through tsx). Prints node's own
// summary; exits non-zero on failure. Pass file filters as arguments to run a subset.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function list(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? list(p) : n.endsWith('.test.ts') ? [p] : [];
  });
}
const filters = process.argv.slice(2);
const files = list('test/unit').filter((f) => filters.length === 0 || filters.some((x) => f.includes(x))).sort();
const extra = process.env.UNIT_TAP_FILE ? ['--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${process.env.UNIT_TAP_FILE}`] : [];
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...extra, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
