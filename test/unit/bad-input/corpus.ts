// The bad-input corpus: every kind of broken or wrong input users point Rollout Lens at, with what the CLI must
// say about it (cli.md: exit codes, bad lines by number, the rest of the file loaded). Small cases are committed
// under test/fixtures/bad-input/ (written by make-corpus.mjs there); big, binary, permission and race cases are
// generated here at test time so the repository stays small.
import { chmodSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync, statSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../../support/fixtures';
import { writeParquet } from '../../support/files';

export const FIXTURES = join(PROJECT_ROOT, 'test/fixtures/bad-input');

/** A line the CLI must report: its number, (in a folder) its file, and what the message says. */
export interface ExpectedBadLine {
  line: number;
  file?: string;
  error: RegExp;
}

export type Expectation =
  | { exit: 0; samples: number; bad: ExpectedBadLine[]; note?: RegExp }
  | { exit: 3; message: RegExp };

export interface BadInputCase {
  /** Short id, also the README row. */
  name: string;
  /** What the input is, for the README table. */
  kind: string;
  /** Absolute path of the input (created on first use for generated cases). */
  path(work: string): string;
  expect: Expectation;
  /** Extra `score` options (the 100 MB record is scored with cheap rewards only, see the case). */
  scoreArgs?: string[];
  /** 100 MB input: fewer CLI runs. */
  big?: boolean;
  /** Why the case cannot run here (e.g. chmod 000 does not stop root); null when it can. */
  skip?(): string | null;
}

const fixture = (rel: string) => (): string => join(FIXTURES, rel);

const rec = (i: number, extra: Record<string, unknown> = {}): string => JSON.stringify({
  prompt: `What is ${i} + ${i}?`,
  completion: `<think>${i} + ${i} = ${2 * i}</think><answer>${2 * i}</answer>`,
  reward: i % 2,
  ...extra,
});

/** Writes a generated input once per work folder. */
function generated(name: string, write: (path: string) => void): (work: string) => string {
  return (work) => {
    const p = join(work, name);
    try {
      statSync(p);
    } catch {
      write(p);
    }
    return p;
  };
}

const HUNDRED_MB = 100_000_000;

/** A 100 MB line written in 1 MB pieces (never one 100 MB string in the test process). */
function writeLongLine(path: string, valid: boolean): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, rec(1) + '\n');
    writeSync(fd, valid ? '{"prompt": "What is 2 + 2?", "completion": "<think>' : '{"prompt": "What is 2 + 2?", "completion": "');
    const piece = 'Let me think about this step by step. '.repeat(Math.ceil((1 << 20) / 38)).slice(0, 1 << 20);
    for (let n = 0; n < HUNDRED_MB; n += piece.length) writeSync(fd, piece);
    // The malformed variant never closes its string: the reader must report it and go on with the next line.
    writeSync(fd, valid ? '</think><answer>4</answer>", "reward": 0}\n' : '\n');
    writeSync(fd, rec(3) + '\n');
  } finally {
    closeSync(fd);
  }
}

function writeTwoRowParquet(path: string, codec: string): Promise<void> {
  return writeParquet(path, [
    { name: 'step', data: [BigInt(1), BigInt(1)], type: 'INT64' },
    { name: 'prompt', data: ['What is 1 + 1?', 'What is 1 + 1?'], type: 'STRING' },
    { name: 'completion', data: ['<think>1+1=2</think><answer>2</answer>', '<answer>3</answer>'], type: 'STRING' },
    { name: 'accuracy_reward', data: [1, 0], type: 'DOUBLE' },
  ], { codec, compressors: { [codec]: (x: Uint8Array) => x } });
}

/** Parquet files are written by an async library: prepare them before the table runs. */
export async function prepareGenerated(work: string): Promise<void> {
  await writeTwoRowParquet(join(work, 'lzo-codec.parquet'), 'LZO');
  await writeTwoRowParquet(join(work, 'whole.parquet'), 'UNCOMPRESSED');
  const whole = readFileSync(join(work, 'whole.parquet'));
  writeFileSync(join(work, 'truncated.parquet'), whole.subarray(0, Math.floor(whole.length / 2)));
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

const ok = (samples: number, bad: ExpectedBadLine[] = [], note?: RegExp): Expectation => ({ exit: 0, samples, bad, ...(note ? { note } : {}) });
const fails = (message: RegExp): Expectation => ({ exit: 3, message });

export const CASES: BadInputCase[] = [
  { name: 'malformed-line', kind: 'a malformed line between good ones', path: fixture('malformed-line.jsonl'), expect: ok(3, [{ line: 3, error: /Unterminated string/ }]) },
  { name: 'truncated-last-line', kind: 'last line cut mid-record (no trailing newline)', path: fixture('truncated-last-line.jsonl'), expect: ok(3, [], /incomplete last line 4/) },
  { name: 'bom', kind: 'UTF-8 byte order mark', path: fixture('bom.jsonl'), expect: ok(3) },
  { name: 'crlf', kind: 'CRLF line endings', path: fixture('crlf.jsonl'), expect: ok(3) },
  { name: 'blank-lines', kind: 'blank and whitespace-only lines', path: fixture('blank-lines.jsonl'), expect: ok(3) },
  { name: 'nan-infinity', kind: 'NaN / Infinity / -Infinity literals (Python json.dumps)', path: fixture('nan-infinity.jsonl'), expect: ok(4, [], /NaN\/Infinity/) },
  { name: 'invalid-utf8', kind: 'invalid UTF-8 bytes inside a string', path: fixture('invalid-utf8.jsonl'), expect: ok(3, [], /line 2 is not valid UTF-8/) },
  { name: 'nul-bytes', kind: 'NUL: \\u0000 escape (fine) and a raw NUL byte in a string', path: fixture('nul-bytes.jsonl'), expect: ok(3, [{ line: 3, error: /U\+0000/ }]) },
  { name: 'nul-tail', kind: 'a block of NUL bytes at the end (crash before the data was flushed)', path: fixture('nul-tail.jsonl'), expect: ok(3, [{ line: 4, error: /4096 NUL bytes/ }]) },
  { name: 'lone-surrogates', kind: 'lone surrogate escapes (\\ud800, \\udc00)', path: fixture('lone-surrogates.jsonl'), expect: ok(3) },
  { name: 'control-chars', kind: 'ANSI escapes, BEL, U+2028/2029, RTL override in text', path: fixture('control-chars.jsonl'), expect: ok(2) },
  {
    name: 'non-object-lines', kind: 'lines that are arrays, strings, numbers, null, booleans', path: fixture('non-object-lines.jsonl'),
    expect: ok(2, [2, 3, 4, 5, 6].map((line) => ({ line, error: /not an object/ }))),
  },
  { name: 'deep-nesting', kind: '100,000 levels of nested arrays', path: fixture('deep-nesting.jsonl'), expect: ok(2, [{ line: 2, error: /nesting too deep/ }]) },
  { name: 'empty', kind: 'empty file', path: fixture('empty.jsonl'), expect: fails(/the file is empty/) },
  { name: 'whitespace-only', kind: 'whitespace-only file', path: fixture('whitespace-only.jsonl'), expect: fails(/empty \(whitespace only\)/) },
  { name: 'package-json', kind: 'JSON that is not rollouts: package.json', path: fixture('not-rollouts/package.json'), expect: fails(/no record recognised as a rollout/) },
  { name: 'trainer-state', kind: 'JSON that is not rollouts: TRL trainer_state.json', path: fixture('not-rollouts/trainer_state.json'), expect: fails(/not a rollout file: TRL trainer_state\.json/) },
  { name: 'app-log', kind: 'JSONL that is not rollouts: an application log', path: fixture('not-rollouts/app-log.jsonl'), expect: fails(/no record recognised as a rollout/) },
  {
    name: 'wrong-types', kind: 'wrong field types: reward a string, completion a number / null, prompt an object', path: fixture('wrong-types.jsonl'),
    expect: ok(2, [
      { line: 2, error: /reward' is a string "high"/ },
      { line: 3, error: /completion' is a number/ },
      { line: 4, error: /prompt' is an object/ },
      { line: 5, error: /completion' is null/ },
    ]),
  },
  { name: 'chat-messages', kind: 'prompt and completion as chat-message arrays', path: fixture('chat-messages.jsonl'), expect: ok(3) },
  { name: 'duplicate-keys', kind: 'duplicate keys in one object (last wins, as in Python)', path: fixture('duplicate-keys.jsonl'), expect: ok(2) },
  { name: 'huge-numbers', kind: 'huge and tiny numbers (1e400, 30-digit integers, -1e-400, -0)', path: fixture('huge-numbers.jsonl'), expect: ok(4) },
  { name: 'python-repr', kind: "a Python dict repr line ({'prompt': …})", path: fixture('python-repr.jsonl'), expect: ok(2, [{ line: 2, error: /Expected property name/ }]) },
  {
    name: 'interleaved-log', kind: 'log lines and a traceback interleaved with records', path: fixture('interleaved-log.jsonl'),
    expect: ok(3, [1, 4, 6].map((line) => ({ line, error: /Unexpected token/ }))),
  },
  { name: 'trailing-comma', kind: 'a trailing comma in an object', path: fixture('trailing-comma.jsonl'), expect: ok(2, [{ line: 2, error: /column 97/ }]) },
  {
    name: 'json-array-bad-item', kind: 'JSON array with a malformed item and a non-object item', path: fixture('json-array-bad-item.json'),
    expect: ok(2, [{ line: 2, error: /item 2: Unexpected token/ }, { line: 3, error: /item is a string/ }]),
  },
  { name: 'truncated-array', kind: 'JSON array cut mid-item', path: fixture('truncated-array.json'), expect: ok(2, [], /item 3 is incomplete/) },
  { name: 'git-lfs-pointer', kind: 'a Git LFS pointer instead of the data', path: fixture('git-lfs-pointer.jsonl'), expect: fails(/Git LFS pointer.*git lfs pull/) },
  {
    name: 'mixed-folder', kind: 'folder mixing JSONL, JSON array, an empty file, package.json, README, a binary', path: fixture('mixed-folder'),
    expect: ok(6, [{ file: '2.jsonl', line: 2, error: /Expected property name/ }, { file: 'empty.jsonl', line: 0, error: /the file is empty/ }]),
  },
  {
    name: 'long-line', kind: 'a 100 MB single record line', path: generated('long-line.jsonl', (p) => writeLongLine(p, true)), expect: ok(3),
    // The default rewards take minutes of CPU on a 100 MB completion (repetition n-grams); this case is about the reader.
    scoreArgs: ['--rewards', 'format,tag_count'], big: true,
  },
  {
    name: 'long-bad-line', kind: 'a 100 MB line that never closes its string', path: generated('long-bad-line.jsonl', (p) => writeLongLine(p, false)),
    expect: ok(2, [{ line: 2, error: /Unterminated string/ }]), scoreArgs: ['--rewards', 'format,tag_count'], big: true,
  },
  // Random bytes that happen to start with '[' or '{' and a newline before the first NUL look like JSON that starts
  // well (0.4 % of draws: a flaky test). A first byte of 0x01 keeps the file random and binary every time.
  { name: 'binary', kind: 'binary file (random bytes)', path: generated('binary.jsonl', (p) => writeFileSync(p, Buffer.concat([Buffer.from([1]), randomBytes(64 * 1024 - 1)]))), expect: fails(/a binary file/) },
  // Read since issue #16 (decompressed as a stream); a truncated archive keeps the records before the cut.
  { name: 'gzip', kind: 'gzip-compressed JSONL (.jsonl.gz)', path: generated('rollouts.jsonl.gz', (p) => writeFileSync(p, gzipSync(rec(1) + '\n' + rec(2) + '\n'))), expect: ok(2) },
  {
    name: 'truncated-gzip', kind: 'gzip archive cut before its trailer (a crash while writing)',
    path: generated('cut.jsonl.gz', (p) => { const z = gzipSync(Array.from({ length: 20 }, (_, i) => rec(i)).join('\n') + '\n'); writeFileSync(p, z.subarray(0, z.length - 4)); }),
    expect: ok(20, [], /gzip data ends or breaks after .* decompressed bytes/),
  },
  { name: 'missing', kind: 'path that does not exist', path: (work) => join(work, 'missing.jsonl'), expect: fails(/no such file or folder/) },
  {
    name: 'unreadable', kind: 'file without read permission (chmod 000)',
    path: generated('unreadable.jsonl', (p) => { writeFileSync(p, rec(1) + '\n'); chmodSync(p, 0); }),
    expect: fails(/cannot be read \(EACCES\)/),
    skip: () => (isRoot() ? 'running as root: chmod 000 does not stop root from reading, so there is nothing to test' : null),
  },
  { name: 'directory-as-file', kind: 'a directory named like a file (x.jsonl/) holding no rollouts', path: generated('dir.jsonl', (p) => mkdirSync(p)), expect: fails(/no rollout files/) },
  { name: 'parquet-unknown-codec', kind: 'parquet with a codec the reader lacks (LZO)', path: (work) => join(work, 'lzo-codec.parquet'), expect: fails(/codec LZO which is not supported/) },
  { name: 'truncated-parquet', kind: 'parquet cut in half (no footer)', path: (work) => join(work, 'truncated.parquet'), expect: fails(/not a readable parquet file/) },
];

export function makeWorkDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rl-bad-input-'));
  return {
    dir,
    cleanup() {
      // chmod 000 files are removable (the folder is ours), but make it explicit for non-root runs.
      for (const n of readdirSync(dir)) {
        try { chmodSync(join(dir, n), 0o600); } catch { /* gone */ }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Running the CLI: test/support/cli.ts (runCli runs dist/cli.js when it is fresh, so a stale build never hides a
// fix or a bug).
export { CLI_ENTRY, runCli, type CliRun } from '../../support/cli';
