// Re-records test/golden/*.json: the outputs of the old detector and reward implementations on the inputs of the
// differential tests. The old code is no longer in the tree; it is restored from git (REFERENCE_COMMIT) for the time
// of the recording, the differential tests run with ROLLOUT_LENS_RECORD_GOLDEN=1 (each computes its entries with the
// old code, writes them, then checks the current code against them as usual), and the restored files are removed.
// Needs the shared fixtures (ROLLOUT_LENS_FIXTURES, default ../shared/fixtures): their sections would be lost
// otherwise. Usage: node scripts/record-golden.mjs [test-file-filter…]. See docs/testing.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The last commit that holds the old implementations (test/unit/{detectors,rewards}/reference/). */
const REFERENCE_COMMIT = '4ae6eb26bb034f6bf4dcbf44e4a75d49e4f875c9';
const REFERENCES = [
  'test/unit/detectors/reference/analyse-v1.ts',
  'test/unit/detectors/reference/language-mix-v1.ts',
  'test/unit/detectors/reference/repetition-v1.ts',
  'test/unit/rewards/reference/language-ratio-v1.ts',
  'test/unit/rewards/reference/repetition-v1.ts',
];
const TESTS = [
  'test/unit/detectors/differential.test.ts',
  'test/unit/rewards/language-ratio-differential.test.ts',
  'test/unit/rewards/repetition-differential.test.ts',
];

const root = resolve(import.meta.dirname, '..');
const fixtures = resolve(process.env.ROLLOUT_LENS_FIXTURES ?? join(root, '..', 'shared', 'fixtures'));
if (!existsSync(join(fixtures, 'real'))) {
  console.error(`record-golden: the shared fixtures are needed (${join(fixtures, 'real')} not found; set ROLLOUT_LENS_FIXTURES)`);
  process.exit(2);
}

const filters = process.argv.slice(2);
const tests = TESTS.filter((t) => filters.length === 0 || filters.some((f) => t.includes(f)));
const restored = [];
let status = 1;
try {
  for (const rel of REFERENCES) {
    const path = join(root, rel);
    if (existsSync(path)) continue; // someone's working copy: used as is, left in place
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, execFileSync('git', ['show', `${REFERENCE_COMMIT}:${rel}`], { cwd: root, maxBuffer: 1 << 26 }));
    restored.push(path);
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...tests], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ROLLOUT_LENS_RECORD_GOLDEN: '1', ROLLOUT_LENS_FIXTURES: fixtures },
  });
  status = r.status ?? 1;
} finally {
  for (const path of restored) rmSync(path, { force: true });
  // The folders made for them, when nothing else is in them.
  for (const dir of new Set(restored.map(dirname))) if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
}
process.exit(status);
