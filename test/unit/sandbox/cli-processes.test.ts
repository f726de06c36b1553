// Processes never outlive a command (issue #17): SIGTERM or SIGHUP to `rollout-lens score --rewards code` while a
// sandboxed program (with a detached child) runs ends the CLI at once with 128 + n, leaves no process, no scratch
// folder and no `.…tmp` output file. Then reward functions: a timeout ends the function's whole process tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { probeIsolation } from '../../../src/node/code-sandbox/isolation';
import { createUserReward } from '../../../src/node/reward-fn/user-reward';

const ROOT = resolve(__dirname, '../../..');
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const F = '```';

function live(match: string): string {
  const r = spawnSync('ps', ['-e', '-o', 'stat=,pid=,args='], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.includes(match) && !l.trim().startsWith('Z') && !/\bps -e\b/.test(l)).join('\n');
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return cond();
}

for (const sig of ['SIGTERM', 'SIGHUP', 'SIGKILL'] as const) {
  test(`${sig} to score --rewards code: exits at once, no process (the sandbox notices its host is gone), no scratch folder or temp file left`, {
    skip: probeIsolation().kind === 'bwrap' ? false : 'bubblewrap unavailable', timeout: 150_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-sig-'));
    const tmp = join(dir, 'tmp');
    const marker = `rlsig${randomBytes(5).toString('hex')}`;
    try {
      spawnSync('mkdir', [tmp]);
      // The program empties the audit hook (gc), starts a detached child holding the pipes, then spins.
      const program = [
        'import gc, types, subprocess, sys',
        'for o in gc.get_objects():',
        '    if isinstance(o, types.FunctionType) and o.__name__ == "hook" and o.__closure__:',
        '        for n, c in zip(o.__code__.co_freevars, o.__closure__):',
        '            if n == "process": c.cell_contents = frozenset()',
        `subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)  # ${marker}"], start_new_session=True)`,
        'while True: pass',
      ].join('\n');
      const rec = { prompt: 'add', completion: `${F}python\n${program}\n${F}`, verification_info: { language: 'python', test_cases: [{ input: '', output: '3', type: 'stdin_stdout' }] } };
      const input = join(dir, 'code.jsonl');
      writeFileSync(input, JSON.stringify(rec) + '\n');
      const out = join(dir, 'scored.jsonl');
      const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src/cli/main.ts'), 'score', input, '--rewards', 'code', '--out', out], {
        cwd: ROOT, env: { ...process.env, TMPDIR: tmp, ROLLOUT_LENS_PYTHON: PYTHON }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
      const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      assert.ok(await waitFor(() => live(marker) !== '', 90_000), `the program's child never started: ${stderr}`);
      const t0 = performance.now();
      child.kill(sig);
      const code = await exited;
      const ms = performance.now() - t0;
      assert.equal(code, { SIGTERM: 143, SIGHUP: 129, SIGKILL: null }[sig], stderr);
      assert.ok(ms < 2000, `exited ${ms.toFixed(0)} ms after ${sig}`);
      assert.ok(await waitFor(() => live(marker) === '', 1000), `left running: ${live(marker)}`);
      // SIGKILL leaves no chance to clean up files (the .…tmp of --out stays); processes still end (see above).
      if (sig === 'SIGKILL') return;
      assert.match(stderr, /cancelled; .*scored\.jsonl was not written/);
      assert.deepEqual(readdirSync(tmp).filter((n) => n.startsWith('rollout-lens')), [], 'scratch folders removed');
      assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp') || n === 'scored.jsonl'), [], 'no output, no temp file');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a reward function past its timeout is stopped with every process it started', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-rfn-tree-'));
  const marker = `rlrfn${randomBytes(5).toString('hex')}`;
  try {
    writeFileSync(join(dir, 'slow.py'), [
      'import subprocess, sys, time',
      'def slow(prompts, completions, **kw):',
      `    subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)  # ${marker}"])`,
      '    time.sleep(120)',
      '    return [1.0] * len(completions)',
    ].join('\n'));
    const reward = createUserReward(join(dir, 'slow.py'), { pythonPath: PYTHON, timeoutMs: 1500 });
    try {
      const t0 = performance.now();
      const rs = await reward.score([{ index: 0, prompt: 'p', completion: 'c', gold: null, dataSource: null, record: {} }], new AbortController().signal);
      assert.match(rs[0]?.error ?? '', /timed out after 1\.5 s/);
      assert.ok(performance.now() - t0 < 6000);
      assert.ok(await waitFor(() => live(marker) === '', 1000), `left running: ${live(marker)}`);
    } finally {
      await reward.dispose();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
