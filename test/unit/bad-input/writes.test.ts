// Trust and writes: the user's log is never modified, and every file Rollout Lens writes goes through
// src/node/atomic-write.ts (temp file in the target's folder + rename). Two checks: every CLI command leaves the
// input's bytes and mtime identical (bad inputs, the XSS corpus, a run folder) and leaves no temp file behind,
// also when it fails; and a source scan that finds no other file-writing call in src/.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, test } from 'node:test';
import { FIXTURES, runCli } from './corpus';
import { PROJECT_ROOT as ROOT } from '../../support/fixtures';
import { sha256 } from '../../support/files';
import { withTempDir } from '../../support/temp-dir';

interface Snapshot {
  hashes: Map<string, string>;
  mtimes: Map<string, number>;
  names: string[];
}

function files(path: string): string[] {
  const st = statSync(path);
  if (!st.isDirectory()) return [path];
  return readdirSync(path).flatMap((n) => files(join(path, n)));
}

function snapshot(path: string): Snapshot {
  const list = files(path);
  return {
    hashes: new Map(list.map((f) => [f, sha256(f)])),
    mtimes: new Map(list.map((f) => [f, statSync(f).mtimeMs])),
    names: readdirSync(statSync(path).isDirectory() ? path : join(path, '..')).sort(),
  };
}

const INPUTS = [
  'malformed-line.jsonl', 'truncated-last-line.jsonl', 'invalid-utf8.jsonl', 'nul-tail.jsonl', 'bom.jsonl', 'crlf.jsonl',
  'chat-messages.jsonl', 'json-array-bad-item.json', 'mixed-folder', 'empty.jsonl', 'not-rollouts/trainer_state.json',
].map((f) => join(FIXTURES, f)).concat([join(ROOT, 'test/fixtures/xss/xss.jsonl'), join(ROOT, 'demo/verl')]);

describe('every CLI command leaves the input byte-identical', { concurrency: 2 }, () => {
  for (const input of INPUTS) {
    test(relative(ROOT, input), { timeout: 180_000 }, async () => {
      await withTempDir(async ({ dir: out }) => {
        const before = snapshot(input);
        const runs: [string[], number[]][] = [
          [['summary', input], [0, 3]],
          [['summary', input, '--json', '--fail-on', 'language-mix'], [0, 1, 3]],
          [['score', input, '--json'], [0, 3]],
          [['score', input, '--out', join(out, 'scored.jsonl')], [0, 3]],
          [['report', input, '--out', join(out, 'report.html')], [0, 3]],
          // Writing over the input is refused before anything is read (a usage error).
          [['score', input, '--out', input], [2, 3]],
        ];
        const codes: number[] = [];
        for (const [args, allowed] of runs) {
          const r = await runCli(args);
          codes.push(r.code);
          assert.ok(allowed.includes(r.code), `${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
        }
        const after = snapshot(input);
        assert.deepEqual(after.hashes, before.hashes, 'input bytes changed');
        assert.deepEqual(after.mtimes, before.mtimes, 'input touched (mtime)');
        assert.deepEqual(after.names, before.names, 'files appeared next to the input');
        // Outputs: complete files when the command succeeded, nothing at all (not even a temp file) when it failed.
        const written = readdirSync(out).sort();
        assert.ok(!written.some((n) => n.endsWith('.tmp')), `temp file left: ${written.join(', ')}`);
        if (codes[3] === 0) {
          const lines = readFileSync(join(out, 'scored.jsonl'), 'utf8').split('\n');
          assert.equal(lines.pop(), '', 'scored copy ends with a newline');
          for (const l of lines) assert.ok('rollout_lens' in (JSON.parse(l) as object), 'each line is a whole scored record');
        } else {
          assert.ok(!written.includes('scored.jsonl'), 'a failed score left an output file');
        }
        if (codes[4] === 0) assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /<\/html>\s*$/);
        else assert.ok(!written.includes('report.html'), 'a failed report left an output file');
      }, 'rl-writes-');
    });
  }
});

// Calls that create or change files. Anything matching outside atomic-write.ts must be listed below with why.
const WRITE_CALL = /\b(writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream|copyFileSync|copyFile|renameSync|rename|truncate|ftruncate)\s*\(|openSync\([^)]*['"](w|a|r\+)/;
const ALLOWED: Record<string, string> = {
  'src/node/atomic-write.ts': 'the one writer',
  // Scratch files of the code-execution sandbox (issue #7) in a private mkdtemp folder removed after the run: never
  // a user-visible file, nobody reads them concurrently.
  'src/node/code-sandbox/code-reward.ts': 'sandbox scratch file in a private temp folder',
  'src/node/code-sandbox/run-test.ts': 'sandbox scratch file in a private temp folder',
  // Test-only block log for the e2e suite: its own async temp + rename (an fsync on the host thread would be the
  // very block it measures).
  'src/extension/host-block-monitor.ts': 'test hook, async temp file + rename',
  // Decompressed copy of a compressed log for the viewer's random access (issue #16), in a private mkdtemp folder
  // removed when the viewer closes and at exit: never a user-visible file, read only after it is complete.
  'src/node/decompress.ts': 'decompressed temp copy in a private temp folder',
  // The viewer's copy of parquet rows and records nested in one JSON object (no offsets to read them back by), in a
  // new private mkdtemp folder, created exclusively ('wx'), removed when the viewer closes and at exit.
  'src/node/viewer/record-spill.ts': 'record copy for the viewer in a private temp folder',
};

test('no file-writing call in src/ outside atomic-write.ts (and the listed exceptions)', () => {
  const offenders: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { walk(p); continue; }
      if (!/\.(ts|mts|js|mjs)$/.test(e.name)) continue;
      const rel = relative(ROOT, p);
      if (rel in ALLOWED) continue;
      readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
        if (/^\s*(\/\/|\*)/.test(line)) return;
        if (WRITE_CALL.test(line)) offenders.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
  };
  walk(join(ROOT, 'src'));
  assert.deepEqual(offenders, [], `write through src/node/atomic-write.ts instead (or add a reasoned exception in ${basename(__filename)})`);
});
