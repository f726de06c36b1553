// `score --out` can never reach a log (issue #17): every path that resolves to an input file or into an input
// folder is refused (exit 2) with the input's bytes and links unchanged; write failures say "cannot write <path>"
// with exit 4; our own outputs in a run folder are not read back; unreadable folder entries do not sink summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, linkSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { cli } from '../../support/cli';
import { sha256 } from '../../support/files';
import { withTempDir } from '../../support/temp-dir';

const ROOT = resolve(__dirname, '../../..');
const DEMO = join(ROOT, 'demo', 'verl');

function snapshot(dir: string): string {
  return readdirSync(dir).sort().map((n) => {
    const p = join(dir, n);
    const st = lstatSync(p);
    return `${n}:${st.isSymbolicLink() ? 'link' : st.isFile() ? sha256(p) : 'dir'}:${st.ino}`;
  }).join('\n');
}

test('--out refuses every path that resolves to an input file or into an input folder', async () => {
  await withTempDir(async ({ dir }) => {
    const run = join(dir, 'run');
    mkdirSync(run);
    for (const f of ['1.jsonl', '2.jsonl', '10.jsonl']) copyFileSync(join(DEMO, f), join(run, f));
    symlinkSync(run, join(dir, 'run-link'));
    linkSync(join(run, '2.jsonl'), join(dir, 'hard.jsonl'));
    symlinkSync(join(run, '2.jsonl'), join(dir, 'sym.jsonl'));
    symlinkSync(join(dir, 'elsewhere.jsonl'), join(dir, 'sym-new.jsonl'));
    const before = snapshot(run);
    const beforeTop = snapshot(dir);
    const refused: [string, string, RegExp][] = [
      [run, join(dir, 'run-link', '2.jsonl'), /is the input file/],
      [run, join(run, 'scored.jsonl'), /is inside the input folder/],
      [run, join(dir, 'hard.jsonl'), /hard link/],
      [run, join(dir, 'sym.jsonl'), /symbolic link to the input/],
      [join(run, '2.jsonl'), join(dir, 'hard.jsonl'), /hard link/],
      [join(run, '2.jsonl'), join(dir, 'sym.jsonl'), /symbolic link to the input/],
      [join(run, '2.jsonl'), join(dir, 'sym-new.jsonl'), /is a symbolic link/],
      [join(run, '2.jsonl'), `/proc/self/cwd/${relative(ROOT, join(dir, 'run-link', '2.jsonl'))}`, /is the input file/],
    ];
    for (const [input, out, why] of refused) {
      const r = cli(['score', input, '--out', out]);
      assert.equal(r.code, r.stderr.includes('cannot write') ? 4 : 2, `${out}: ${r.stderr}`);
      assert.match(r.stderr, why, out);
      assert.equal(r.stdout, '', 'refused before anything is read');
    }
    assert.equal(snapshot(run), before, 'input bytes and inodes unchanged');
    assert.equal(snapshot(dir), beforeTop, 'links unchanged');
  }, 'rl-outg-');
});

test('write failures: "cannot write <the user\'s path>", exit 4, no temp file named', async () => {
  await withTempDir(async ({ dir }) => {
    const missing = join(dir, 'no-such-folder', 'scored.jsonl');
    let r = cli(['score', join(DEMO, '2.jsonl'), '--out', missing]);
    assert.equal(r.code, 4);
    assert.equal(r.stderr.trim(), `rollout-lens: cannot write ${missing}: its folder does not exist`);
    const ro = join(dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    if (process.getuid?.() !== 0) {
      r = cli(['score', join(DEMO, '2.jsonl'), '--out', join(ro, 'x.jsonl')]);
      assert.equal(r.code, 4);
      assert.match(r.stderr, /cannot write .*x\.jsonl: permission denied/);
    }
    r = cli(['score', join(DEMO, '2.jsonl'), '--out', '/proc/version']);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /^rollout-lens: cannot write \/proc\/version: /);
    assert.doesNotMatch(r.stderr, /\.tmp/);
  }, 'rl-outw-');
});

test('a run folder: our scored copy and sidecar are not read back; loops, dangling links and escapes do not sink it', async () => {
  await withTempDir(async ({ dir }) => {
    const run = join(dir, 'run');
    mkdirSync(run);
    for (const f of ['1.jsonl', '2.jsonl']) copyFileSync(join(DEMO, f), join(run, f));
    const count = (): number => (JSON.parse(cli(['summary', run, '--json']).stdout) as { samples: number }).samples;
    const n = count();
    assert.ok(n > 0);
    const scored = join(dir, 'copy.jsonl');
    assert.equal(cli(['score', run, '--out', scored]).code, 0);
    copyFileSync(scored, join(run, 'scored-by-hand.jsonl'));
    writeFileSync(join(run, '2.jsonl.rollout-lens.jsonl'), '{"index":0,"scores":{}}\n');
    assert.equal(count(), n, 'a scored copy moved into the folder is not counted again');
    symlinkSync('loop.jsonl', join(run, 'loop.jsonl'));
    symlinkSync(join(dir, 'nowhere.jsonl'), join(run, 'dangling.jsonl'));
    const s = cli(['summary', run]);
    assert.equal(s.code, 0, s.stderr);
    const sc = cli(['score', run, '--json']);
    assert.equal(sc.code, 0, sc.stderr);
    assert.ok(sc.stdout.includes('dangling.jsonl'), 'the unreadable entry is named');
    // A path with terminal escapes reaches stderr escaped.
    const evil = join(dir, 'e\x1b]0;pwned\x07.jsonl');
    const r = cli(['summary', evil]);
    assert.equal(r.code, 3);
    assert.ok(!r.stderr.includes("\x1b") && !r.stderr.includes("\x07"), "no raw escape reaches the terminal");
    assert.match(r.stderr, /\\u001b\]0;pwned\\u0007/);
    // UTF-16 (PowerShell's default) is not "binary": it is decoded as it is read (test/unit/reader/utf16.test.ts).
    const u16 = join(dir, 'u16.jsonl');
    writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"prompt":"p","completion":"c"}\n', 'utf16le')]));
    const u = cli(['summary', u16]);
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stdout, /samples\s+1\b/);
  }, 'rl-outf-');
});

test('without bubblewrap the code reward refuses and says how to enable it; --allow-weak-sandbox runs the weak guard', () => {
  const env = { ...process.env, ROLLOUT_LENS_BWRAP: '' };
  const fixture = join(ROOT, 'test/fixtures/code/code-rl.jsonl');
  const run = (args: string[]): { code: number; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, env, encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const refused = run(['score', fixture, '--rewards', 'code']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /code execution needs an OS sandbox: bubblewrap \(bwrap\) is not installed: install the `bubblewrap` package/);
  assert.match(refused.stderr, /--allow-weak-sandbox/);
  assert.equal(refused.stdout, '');
  const weak = run(['score', fixture, '--rewards', 'code', '--json', '--allow-weak-sandbox']);
  assert.equal(weak.code, 0, weak.stderr);
  assert.equal(weak.stdout.trim().split('\n').length, 13);
});
