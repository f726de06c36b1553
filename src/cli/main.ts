// `rollout-lens` command line: the same engine as the extension, headless (shared docs/cli.md).
// Exit codes: 0 done · 1 a --fail-on kind was found · 2 usage error · 3 input cannot be read as rollouts ·
// 4 an output file cannot be written · 128+n ended by signal n (SIGINT 130, SIGTERM 143, SIGHUP 129).
import { parseArgs, UsageError, USAGE, type CliOptions } from './args';
import { runSummary } from './summary-command';
import { runScore } from './score-command';
import { runReport } from './report-command';
import { InputError } from '../node/read-types';
import { registerCodeRewards } from '../node/code-sandbox/register';
import { OutputWriteError } from '../node/atomic-write';
import { OutRefused } from '../node/out-guard';
import { SandboxUnavailableError } from '../node/code-sandbox/isolation';
import { installInterruptHandlers } from './interrupt';
import { terminalSafe } from './common';

export const EXIT = { ok: 0, failOn: 1, usage: 2, input: 3, output: 4 } as const;

const FS_INPUT_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'no such file or folder',
  EACCES: 'cannot be read (EACCES)',
  EPERM: 'cannot be read (EPERM)',
  EISDIR: 'is a folder where a file was expected',
  EIO: 'cannot be read (EIO)',
  ELOOP: 'cannot be read (a symbolic link loop)',
};

async function main(argv: string[]): Promise<number> {
  installInterruptHandlers();
  registerCodeRewards(); // `--rewards code,binary_code` (batch rewards: programs run in a sandboxed subprocess)
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? process.stderr : process.stdout).write(USAGE + '\n');
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`rollout-lens: ${e.message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  try {
    switch (opts.command) {
      case 'summary': return await runSummary(opts);
      case 'score': return await runScore(opts);
      case 'report': return await runReport(opts);
    }
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`rollout-lens: ${terminalSafe(e.message)}\n`);
      return EXIT.input;
    }
    if (e instanceof UsageError || e instanceof OutRefused || e instanceof SandboxUnavailableError) {
      process.stderr.write(`rollout-lens: ${terminalSafe(e.message)}\n`);
      return EXIT.usage;
    }
    if (e instanceof OutputWriteError) {
      process.stderr.write(`rollout-lens: ${terminalSafe(e.message)}\n`);
      return EXIT.output;
    }
    // A file system failure that escaped the reader's own checks (a file that vanished between listing and
    // reading, a permission change mid-run) is still an input problem: exit 3 naming the path, never "internal".
    const fsCode = (e as NodeJS.ErrnoException | null)?.code;
    if (typeof fsCode === 'string' && fsCode in FS_INPUT_ERRORS) {
      const path = (e as NodeJS.ErrnoException).path ?? opts.path;
      process.stderr.write(`rollout-lens: ${terminalSafe(path)}: ${FS_INPUT_ERRORS[fsCode]}\n`);
      return EXIT.input;
    }
    // Unexpected: one line for the user, the stack only when asked for.
    process.stderr.write(`rollout-lens: internal error: ${terminalSafe(e instanceof Error ? e.message : String(e))}\n`);
    if (process.env.ROLLOUT_LENS_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
    return EXIT.input;
  }
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    process.stderr.write(`rollout-lens: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = EXIT.input;
  },
);
