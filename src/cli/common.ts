// Pieces shared by the CLI commands: option → builder options, --fail-on, progress on stderr (TTY only).
import type { CliOptions } from './args';
import type { RunBuilderOptions } from '../core/run/run-builder';
import type { FlagKind } from '../core/types';
import type { HealthKind } from '../protocol/viewer-protocol';

export const EXIT_FAIL_ON = 1;

export function runOptions(opts: CliOptions): RunBuilderOptions {
  return { format: opts.format, fields: opts.fields, groupBy: opts.groupBy, advantage: opts.advantage, lang: opts.lang };
}

export function failOnHit(kinds: FlagKind[], counts: Record<FlagKind, number>): boolean {
  return kinds.some((k) => counts[k] > 0);
}

/** `--fail-on health[:<kind>]`: a run-health finding of one of the kinds. */
export function failOnHealthHit(kinds: readonly HealthKind[], findings: readonly { kind: HealthKind }[]): boolean {
  return findings.some((f) => kinds.includes(f.kind));
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

/**
 * Model text made safe for a terminal: C0/C1 controls (ANSI/OSC escapes can retitle the window, rewrite earlier
 * lines or worse), line and paragraph separators and bidi overrides (they reorder what is shown) become visible
 * \uXXXX escapes. Only for human output; --json output is already escaped by JSON.stringify.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
