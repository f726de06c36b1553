// Pieces shared by the CLI commands: option → builder options, --fail-on, progress on stderr (TTY only).
import type { CliOptions } from './args';
import type { RunBuilderOptions } from '../core/run/run-builder';
import type { FlagKind } from '../core/types';

export const EXIT_FAIL_ON = 1;

export function runOptions(opts: CliOptions): RunBuilderOptions {
  return { format: opts.format, fields: opts.fields, groupBy: opts.groupBy, advantage: opts.advantage, lang: opts.lang };
}

export function failOnHit(kinds: FlagKind[], counts: Record<FlagKind, number>): boolean {
  return kinds.some((k) => counts[k] > 0);
}

/** Progress goes to stderr only when stderr is a terminal (cli.md). */
export function progressReporter(): { update(done: number, total: number): void; done(): void } {
  if (!process.stderr.isTTY) return { update: () => undefined, done: () => undefined };
  let last = 0;
  return {
    update(done: number, total: number): void {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
      process.stderr.write(`\rreading… ${pct}% (${(done / 1e6).toFixed(0)} MB)`);
    },
    done(): void {
      if (last > 0) process.stderr.write('\r\x1b[K');
    },
  };
}
