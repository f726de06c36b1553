// Runs the real `rollout-lens` CLI as a user would, capturing stdout, stderr and the exit code. `cli` is synchronous
// and always runs the TypeScript entry; `runCli` is asynchronous (several at once on a 2-core machine) and runs the
// built dist/cli.js when it is newer than every file of src/, else the TypeScript entry.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './fixtures';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const TS_ENTRY = join(PROJECT_ROOT, 'src/cli/main.ts');

export function cli(args: string[], cwd = PROJECT_ROOT): CliRun {
  const r = spawnSync(process.execPath, ['--import', 'tsx', TS_ENTRY, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function cliCommand(): string[] {
  const dist = join(PROJECT_ROOT, 'dist/cli.js');
  try {
    if (statSync(dist).mtimeMs >= newestMtime(join(PROJECT_ROOT, 'src'))) return [dist];
  } catch {
    // not built
  }
  return ['--import', 'tsx', TS_ENTRY];
}

const CLI = cliCommand();
/** The script `runCli` runs: dist/cli.js or src/cli/main.ts. */
export const CLI_ENTRY: string = CLI[CLI.length - 1];

export function runCli(args: string[], cwd = PROJECT_ROOT): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}
