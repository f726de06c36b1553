// `rollout-lens` command line: same engine as the extension (see docs/cli.md in shared docs).
const USAGE = 'usage: rollout-lens <summary|score|report> <path> [options]';

function main(argv: string[]): number {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(USAGE + '\n');
    return argv.length === 0 ? 2 : 0;
  }
  process.stderr.write(`rollout-lens: unknown command '${argv[0]}'\n${USAGE}\n`);
  return 2;
}

process.exitCode = main(process.argv.slice(2));
