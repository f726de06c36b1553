// Pass 1 of the large-file diagnostics (files over 50 MB, docs/platform.md §1.5): stream the file through the same core
// as the CLI, rank every finding worst first and keep the worst `max`. Runs in its own worker thread
// (problem-scan-worker.ts) because the tail of a 300 MB load — finishing 150k samples' groups and advantages,
// merging the parallel readers' columns, collecting the garbage of it all — is hundreds of milliseconds of
// synchronous work that would hold the extension host. Only the kept findings cross back.
import { createReadStream } from 'node:fs';
import { loadRun } from './load-run';
import type { RunBuilderOptions } from '../core/run/run-builder';
import type { FormatDetection } from '../core/types';
import type { Flag, FlagKind } from '../core/types';

export type FindingKind = FlagKind | 'malformed';

export interface ProblemScanOptions {
  run: RunBuilderOptions;
  /** Severity per kind as VS Code numbers it (Error 0 … Hint 3); null: the kind is off. */
  severities: Record<FindingKind, number | null>;
  max: number;
}

/** One kept finding: enough to rank it and to map it back to its raw line in pass 2. */
export interface Finding {
  kind: FindingKind;
  severity: number;
  /** The detector's own loudness: error 0, warning 1, info 2. */
  detector: number;
  /** Sample index (flags) or -1 (bad lines). */
  sample: number;
  /** 0-based line in the file. */
  line: number;
  flag: Flag | null;
  message: string;
  /** Record number of the sample (1-based, as the reader counts), and its position among the samples of its line. */
  record: number;
  k: number;
}

export interface ProblemScanResult {
  detection: FormatDetection;
  findings: Finding[];
  samples: number;
  /** [0-based line, text] of the lines that hold a kept flag (pass 2), for the exact spans. */
  lines: [number, string][];
  /** Findings beyond `max`, and how many of them are warnings or errors (the status bar says so). */
  leftOut: { total: number; warnings: number };
}

const DETECTOR_RANK: Record<NonNullable<Flag['severity']>, number> = { error: 0, warning: 1, info: 2 };

/** VS Code's Information severity (DiagnosticSeverity.Information; this module runs without vscode). */
const INFORMATION = 2;

/**
 * The Problems-panel severity of a flag: its kind's setting, but never louder than Information for what the detector
 * itself calls info (a stray token, a possibly cut ending, a format note), so that information cannot take the
 * slots of warnings under the 1,000 cap.
 */
export function findingSeverity(kindSeverity: number, detector: Flag['severity']): number {
  return detector === 'info' ? Math.max(kindSeverity, INFORMATION) : kindSeverity;
}

/** Worst first: severity (Error = 0 … Hint = 3), detector severity, then position in the file. */
export function compareFindings(a: Pick<Finding, 'severity' | 'detector' | 'line' | 'flag'>, b: Pick<Finding, 'severity' | 'detector' | 'line' | 'flag'>): number {
  return a.severity - b.severity || a.detector - b.detector || a.line - b.line || (a.flag?.start ?? 0) - (b.flag?.start ?? 0);
}

/** Null when the file is not a rollout file. */
export async function scanProblems(path: string, opts: ProblemScanOptions, onProgress?: (done: number, total: number) => void): Promise<ProblemScanResult | null> {
  const model = await loadRun(path, { ...opts.run, analyse: true, keepFlags: true, workers: true, onProgress });
  if (!model.detection || model.count === 0) return null;
  const out: Finding[] = [];
  const line = (s: number): number => model.columns.line[s] - 1;
  const flags = model.flags;
  if (flags) {
    let k = 0;
    for (let s = 0; s < flags.length; s++) {
      k = s > 0 && line(s - 1) === line(s) ? k + 1 : 0;
      for (const f of flags[s] ?? []) {
        const severity = opts.severities[f.kind];
        if (severity === null) continue;
        out.push({ kind: f.kind, severity: findingSeverity(severity, f.severity), detector: DETECTOR_RANK[f.severity ?? 'warning'], sample: s, line: line(s), flag: f, message: f.message, record: model.columns.record[s], k });
      }
    }
  }
  const bad = opts.severities.malformed;
  if (bad !== null) {
    for (const b of model.badLines) out.push({ kind: 'malformed', severity: bad, detector: 0, sample: -1, line: b.line - 1, flag: null, message: `Malformed line: ${b.error}`, record: 0, k: 0 });
  }
  out.sort(compareFindings);
  const findings = out.slice(0, opts.max);
  // Pass 2 here too: the second stream of the whole file (hundreds of MB of buffers to collect) stays off the host.
  const lines = await readLines(path, new Set(findings.filter((f) => f.flag).map((f) => f.line)));
  let warnings = 0;
  for (let i = findings.length; i < out.length; i++) if (out[i]!.severity <= 1) warnings++;
  return { detection: model.detection, findings, samples: model.count, lines: [...lines], leftOut: { total: out.length - findings.length, warnings } };
}

/** Reads the given 0-based lines of a file in one streaming pass (other lines are skipped without decoding). */
export async function readLines(path: string, wanted: ReadonlySet<number>, signal?: AbortSignal): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (wanted.size === 0) return out;
  const last = Math.max(...wanted);
  let line = 0;
  let pending: Buffer[] = [];
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (signal?.aborted) break;
    let at = 0;
    for (let nl = chunk.indexOf(10, at); nl >= 0; nl = chunk.indexOf(10, at)) {
      if (wanted.has(line)) {
        pending.push(chunk.subarray(at, nl));
        out.set(line, Buffer.concat(pending).toString('utf8').replace(/\r$/, ''));
      }
      pending = [];
      at = nl + 1;
      line++;
    }
    if (line > last) break;
    if (wanted.has(line)) pending.push(Buffer.from(chunk.subarray(at)));
  }
  stream.destroy();
  if (pending.length && wanted.has(line)) out.set(line, Buffer.concat(pending).toString('utf8'));
  return out;
}


