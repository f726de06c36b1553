// Attack corpus for the code sandbox (issue #17): each attack is a short plain-Python program run through the real
// code reward (CodeExecutor → bwrap → harness), and each test asserts containment (nothing created outside, no
// connection made, no secret read, no process left) AND what the user sees (score, reason, blocked list).
// Most programs first empty the audit hook's closure cells through gc (the guard's known bypass), so what is
// tested is the OS sandbox, not the hook. Skipped where bubblewrap cannot run.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createCodeRewards, type CodeOutcome } from '../../../src/node/code-sandbox/code-reward';
import type { BatchRewardInput, BatchRewardResult } from '../../../src/core/scoring/batch-reward';
import type { JsonValue } from '../../../src/core/types';
import { PROJECT_ROOT } from '../../support/fixtures';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const TIMEOUT = 2;
const { code, executor } = createCodeRewards({ python: PYTHON, limits: { timeoutSeconds: TIMEOUT, outputKb: 256, memoryMb: 512 }, concurrency: 2 });
const iso = executor.isolation;
const SKIP = iso.kind === 'bwrap' ? false : `bubblewrap unavailable: ${iso.unavailable ?? ''}`;
const F = '```';

/** Empties the audit hook's closure cells (gc), so the program meets only the OS sandbox. */
const BYPASS = `
import gc as _gc, types as _types
for _o in _gc.get_objects():
    if isinstance(_o, _types.FunctionType) and _o.__name__ == "hook" and _o.__closure__:
        for _n, _c in zip(_o.__code__.co_freevars, _o.__closure__):
            if _n in ("network", "process", "native", "path_events"):
                _c.cell_contents = frozenset()
            elif _n == "write_flags":
                _c.cell_contents = 0
`;

const marker = `rlmark${randomBytes(5).toString('hex')}`;
const secret = `EXPECTED-${randomBytes(8).toString('hex')}`;
let outside = '';
let logPath = '';
let unixServer: Server | null = null;
let tcpServer: Server | null = null;
let tcpPort = 0;
const connections = { unix: 0, tcp: 0 };

function stdioRecord(): Record<string, JsonValue> {
  return { verification_info: { language: 'python', test_cases: [{ input: '', output: secret, type: 'stdin_stdout' }] } };
}

function input(index: number, program: string, record: Record<string, JsonValue> = stdioRecord()): BatchRewardInput {
  return { index, prompt: null, completion: `${F}python\n${program}\n${F}`, gold: undefined, dataSource: null, record };
}

function detail(r: BatchRewardResult | undefined): CodeOutcome {
  return r?.detail as unknown as CodeOutcome;
}

/** Live (not zombie) processes matching `ps` arguments, polled for up to a second while the kernel reaps them. */
function live(args: string[], match: (cmd: string) => boolean): string {
  let found = '';
  for (let i = 0; i < 10; i++) {
    const r = spawnSync('ps', [...args, '-o', 'stat=,pid=,args='], { encoding: 'utf8' });
    found = r.stdout.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('Z') && match(l)).join('\n');
    if (found === '') return '';
    spawnSync('sleep', ['0.1']);
  }
  return found;
}

function leftovers(): string {
  return live(['-e'], (l) => l.includes(marker) && !l.includes(' ps '));
}

describe('code sandbox attack corpus', { skip: SKIP }, () => {
  let results: BatchRewardResult[] = [];
  let elapsed: number[] = [];
  const programs: { name: string; program: string; record?: Record<string, JsonValue> }[] = [];

  before(async () => {
    outside = mkdtempSync(join(tmpdir(), 'rl-outside-'));
    chmodSync(outside, 0o777);
    logPath = join(outside, 'run.jsonl');
    writeFileSync(logPath, JSON.stringify({ prompt: 'p', completion: 'c', answer: secret }) + '\n');
    unixServer = createServer((s) => { connections.unix++; s.destroy(); });
    await new Promise<void>((r) => unixServer!.listen(join(outside, 'agent.sock'), r));
    chmodSync(join(outside, 'agent.sock'), 0o777);
    tcpServer = createServer((s) => { connections.tcp++; s.destroy(); });
    await new Promise<void>((r) => tcpServer!.listen(0, '127.0.0.1', r));
    const addr = tcpServer.address();
    tcpPort = typeof addr === 'object' && addr ? addr.port : 0;
    process.env.RL_PARENT_SECRET = secret;

    const o = JSON.stringify(outside);
    programs.push(
      { name: 'chdir-relative-write', program: `${BYPASS}\nimport os\ntry:\n    os.chdir(${o})\n    open("chdir.txt", "w").write("x")\n    os.unlink("run.jsonl")\nexcept Exception as e:\n    print(type(e).__name__)` },
      { name: 'dir-fd-write', program: `${BYPASS}\nimport os\ntry:\n    d = os.open(${o}, os.O_RDONLY)\n    os.close(os.open("dirfd.txt", os.O_WRONLY | os.O_CREAT, dir_fd=d))\nexcept Exception as e:\n    print(type(e).__name__)` },
      { name: 'sqlite-and-fifo', program: `${BYPASS}\nimport os, sqlite3\nfor f in (lambda: sqlite3.connect(os.path.join(${o}, "db.sqlite")).execute("create table t(x)"), lambda: os.mkfifo(os.path.join(${o}, "fifo"))):\n    try:\n        f()\n    except Exception as e:\n        print(type(e).__name__)` },
      { name: 'fork-exec-shell', program: `${BYPASS}\nimport subprocess\ntry:\n    subprocess.run(["/bin/sh", "-c", "touch ${outside}/shell.txt; kill -9 -1"], timeout=1)\nexcept Exception as e:\n    print(type(e).__name__)` },
      { name: 'unix-socket', program: `${BYPASS}\nimport socket\ntry:\n    s = socket.socket(socket.AF_UNIX)\n    s.connect(${JSON.stringify(join(outside, 'agent.sock'))})\n    print("connected")\nexcept Exception as e:\n    print(type(e).__name__)` },
      { name: 'network', program: `${BYPASS}\nimport socket\ntry:\n    socket.create_connection(("127.0.0.1", ${tcpPort}), timeout=1)\n    print("connected")\nexcept Exception as e:\n    print(type(e).__name__)` },
      {
        name: 'read-secrets', program: `${BYPASS}\nimport os, pwd, glob\nfound = []\ndef grab(p):\n    try:\n        with open(p, "rb") as f:\n            found.append(f.read(1 << 20).decode("utf-8", "replace"))\n    except Exception as e:\n        found.append("")\n` +
          `for p in [${JSON.stringify(logPath)}, "/etc/shadow", "/etc/passwd", ${JSON.stringify(join(homedir(), '.bashrc'))}] + glob.glob("/proc/*/cmdline") + glob.glob("/proc/*/environ") + glob.glob("/harness/*") + glob.glob(${JSON.stringify(join(PROJECT_ROOT, '..', '*'))}):\n    grab(p)\n` +
          `try:\n    home = pwd.getpwuid(0).pw_dir\nexcept KeyError:\n    home = None\n` +
          `pids = [p for p in os.listdir("/proc") if p.isdigit()]\nprint("${secret}" in "".join(found), len(pids), os.path.exists(${JSON.stringify(homedir())}) and len(os.listdir(${JSON.stringify(homedir())})), home)`,
      },
      { name: 'memory-bomb', program: 'x = bytearray(6 * 1024 * 1024 * 1024)\nprint("allocated")' },
      { name: 'output-bomb', program: 'import sys\nwhile True:\n    sys.stdout.write("x" * 65536)' },
      {
        name: 'fork-bomb', program: `${BYPASS}\nimport os, time\nn = 0\ntry:\n    for _ in range(400):\n        if os.fork() == 0:\n            time.sleep(30)\n            os._exit(0)\n        n += 1\nexcept OSError as e:\n    pass\nprint("forked", n)\nimport sys; sys.stdout.flush()\ntime.sleep(30)`,
      },
      {
        name: 'setsid-child-holds-pipes', program: `${BYPASS}\nimport subprocess, sys\nsubprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)  # ${marker}"], start_new_session=True)\nprint("${secret}")`,
      },
      {
        name: 'exit-before-asserts', program: 'def add(a, b):\n    return a - b\nimport sys\nsys.exit(0)',
        record: { test_list: ['assert add(1, 2) == 3'] },
      },
      {
        name: 'os-exit-before-asserts', program: 'def add(a, b):\n    return a - b\nimport os\nos._exit(0)',
        record: { test_list: ['assert add(1, 2) == 3'] },
      },
      {
        name: 'forge-on-fds', program: 'import os, json\ndef add(a, b):\n    return 0\nfor fd in range(3, 20):\n    for m in ({"asserted": {"ok": True}}, {"asserted": {"ok": True}, "n": "0" * 32}, {"call": {"ok": True, "value": 3}}):\n        try:\n            os.write(fd, (json.dumps(m) + "\\n").encode())\n        except OSError:\n            pass\nos._exit(0)',
        record: { test_list: ['assert add(1, 2) == 3'] },
      },
      {
        name: 'honest-asserts', program: 'def add(a, b):\n    return a + b',
        record: { test_list: ['assert add(1, 2) == 3', 'assert add(0, 0) == 0'] },
      },
    );
    const t0 = performance.now();
    const inputs = programs.map((p, i) => input(i, p.program, p.record));
    results = await code.score(inputs, new AbortController().signal);
    elapsed = results.map((r) => detail(r)?.tests.reduce((a, t) => a + t.ms, 0) ?? 0);
    console.log(`  ${programs.length} attacks in ${((performance.now() - t0) / 1000).toFixed(1)} s (isolation ${iso.kind}${iso.asNobody ? ', as nobody' : ''})`);
  });

  after(async () => {
    await new Promise<void>((r) => (unixServer ? unixServer.close(() => r()) : r()));
    await new Promise<void>((r) => (tcpServer ? tcpServer.close(() => r()) : r()));
    rmSync(outside, { recursive: true, force: true });
    delete process.env.RL_PARENT_SECRET;
  });

  const by = (name: string): { r: BatchRewardResult | undefined; d: CodeOutcome; got: string; ms: number } => {
    const i = programs.findIndex((p) => p.name === name);
    const d = detail(results[i]);
    return { r: results[i], d, got: d?.tests[0]?.got ?? '', ms: elapsed[i] ?? 0 };
  };

  test('nothing is written, created or deleted outside the scratch folder', () => {
    assert.deepEqual(readdirSync(outside).sort(), ['agent.sock', 'run.jsonl']);
    for (const n of ['chdir-relative-write', 'dir-fd-write', 'sqlite-and-fifo', 'fork-exec-shell']) {
      assert.equal(by(n).r?.score, 0, n);
      console.log(`  ${n}: ${JSON.stringify(by(n).got)}`);
    }
    assert.match(by('chdir-relative-write').got, /FileNotFoundError/, 'the folder does not exist in the sandbox');
  });

  test('no socket in the file system and no network are reachable', () => {
    assert.deepEqual(connections, { unix: 0, tcp: 0 });
    assert.doesNotMatch(by('unix-socket').got, /connected/);
    assert.doesNotMatch(by('network').got, /connected/);
  });

  test('no log, home, /etc/shadow, parent environment or other process is readable', () => {
    const { got } = by('read-secrets');
    const [found, pids, homeEntries, home] = got.trim().split(' ');
    assert.equal(found, 'False', `a secret was read: ${got}`);
    assert.ok(Number(pids) <= 3, `sees only its own processes: ${pids} pids`);
    assert.ok(homeEntries === 'False' || homeEntries === '0', `home folder visible: ${got}`);
    assert.equal(home, 'None', 'no passwd entry names the real home');
  });

  test('memory, output and fork bombs are bounded', () => {
    const mem = by('memory-bomb');
    assert.equal(mem.r?.score, 0);
    assert.match(mem.d.tests[0]?.stderrTail ?? '', /MemoryError/);
    assert.ok(mem.ms < TIMEOUT * 1000, `memory bomb ended by the limit: ${mem.ms} ms`);
    const out = by('output-bomb');
    assert.equal(out.d.tests[0]?.outputCut, true);
    assert.equal(out.d.tests[0]?.reason, 'output over the limit (cut)');
    const fork = by('fork-bomb');
    assert.equal(fork.d.tests[0]?.timedOut, true);
    assert.ok(fork.ms < TIMEOUT * 1000 + 1000, `fork bomb ended within timeout + 1 s: ${fork.ms} ms`);
    const forked = /forked (\d+)/.exec(fork.got);
    if (iso.asNobody || process.getuid?.() !== 0) assert.ok(forked && Number(forked[1]) < 70, `process limit: ${fork.got}`);
    if (iso.asNobody) assert.equal(live(['-u', '65534'], () => true), '', 'no sandbox process left');
  });

  test('a setsid child holding the pipes ends with the test, within timeout + 1 s, and leaves no process', () => {
    const s = by('setsid-child-holds-pipes');
    assert.equal(s.r?.score, 1, 'its output was judged');
    assert.ok(s.ms < TIMEOUT * 1000 + 1000, `${s.ms} ms`);
    assert.equal(leftovers(), '');
  });

  test('exiting before the asserts or forging results scores 0, and the user sees why', () => {
    const ex = by('exit-before-asserts');
    assert.equal(ex.r?.score, 0);
    assert.equal(ex.d.tests[0]?.reason, 'the program called sys.exit(0) before the tests ran');
    const osx = by('os-exit-before-asserts');
    assert.equal(osx.r?.score, 0);
    assert.equal(osx.d.tests[0]?.reason, 'the tests did not run: the program ended the process before them');
    const forge = by('forge-on-fds');
    assert.equal(forge.r?.score, 0);
    assert.ok(forge.d.tests[0]?.blocked.some((b) => /forged result/.test(b)), JSON.stringify(forge.d.tests[0]?.blocked));
    assert.equal(by('honest-asserts').r?.score, 1, 'a correct program still passes');
  });
});
