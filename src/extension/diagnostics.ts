// Problems-panel entries for rollout documents open in the text editor (tiers A and B).
//
// Choice (docs/platform.md §1.5 vs the "exact span"): ONE DIAGNOSTIC PER FLAG at the flag's exact raw span,
// so the squiggle sits under the Chinese sentence or the looping tail itself. To stay inside VS Code's 1,000 per
// file, every candidate is ranked first — severity (from the rolloutLens.severity setting), then the detector's own
// severity, then file order — and only the worst MAX_DIAGNOSTICS are mapped to ranges and emitted. Ranking
// needs no text mapping, so the cost of mapping is bounded by the cap, not by the file. The totals before the
// cap stay visible in the status bar (flag counts per kind, and how many findings the cap left out). A flag the
// detector calls info is shown as Information at most, so information never takes the slots of warnings.
import * as vscode from 'vscode';
import { performance } from 'node:perf_hooks';
import type { Flag } from '../core/types';
import type { DocumentModel } from './document-model';
import { ModelCache } from './model-cache';
import { toSeverity, type DiagnosticKind } from './editor-settings';
import { readSeverities } from './settings';
import { completionRanges } from './sample-ranges';
import { compareFindings, findingSeverity } from '../node/problem-scan';

export const DIAGNOSTIC_SOURCE = 'Rollout Lens';
export const MAX_DIAGNOSTICS = 1000;

/** A finding before it is mapped to the editor: enough to rank it. */
export interface Candidate {
  kind: DiagnosticKind;
  severity: vscode.DiagnosticSeverity;
  /** The detector's own loudness: error 0, warning 1, info 2. */
  detector: number;
  /** Sample index (flags) or -1 (bad lines). */
  sample: number;
  /** 0-based document line. */
  line: number;
  flag: Flag | null;
  message: string;
}

const DETECTOR_RANK: Record<NonNullable<Flag['severity']>, number> = { error: 0, warning: 1, info: 2 };

/** Worst first: VS Code severity (Error = 0 … Hint = 3), detector severity, then position in the file. */
export function rankCandidates(c: Candidate[]): Candidate[] {
  return c.sort(compareFindings); // the same order as the large-file scan's worker
}

export function candidatesOf(dm: DocumentModel, scope: vscode.Uri): Candidate[] {
  const levels = readSeverities(scope);
  const severityOf = (k: DiagnosticKind): vscode.DiagnosticSeverity | null => {
    const s = levels[k];
    return s === 'off' ? null : toSeverity(s);
  };
  const out: Candidate[] = [];
  const flags = dm.model.flags;
  if (flags) {
    for (let s = 0; s < flags.length; s++) {
      for (const f of flags[s] ?? []) {
        const severity = severityOf(f.kind);
        if (severity === null) continue;
        out.push({ kind: f.kind, severity: findingSeverity(severity, f.severity) as vscode.DiagnosticSeverity, detector: DETECTOR_RANK[f.severity ?? 'warning'], sample: s, line: dm.lineOfSample[s], flag: f, message: f.message });
      }
    }
  }
  const badSeverity = severityOf('malformed');
  if (badSeverity !== null) {
    for (const b of dm.model.badLines) {
      out.push({ kind: 'malformed', severity: badSeverity, detector: 0, sample: -1, line: b.line - 1, flag: null, message: `Malformed line: ${b.error}` });
    }
  }
  return rankCandidates(out);
}

/** Findings beyond the cap, and how many of them are warnings or errors (for the status bar). */
export function leftOut(dm: DocumentModel, scope: vscode.Uri): { total: number; warnings: number } {
  const c = candidatesOf(dm, scope);
  let warnings = 0;
  for (let i = MAX_DIAGNOSTICS; i < c.length; i++) if (c[i]!.severity <= vscode.DiagnosticSeverity.Warning) warnings++;
  return { total: Math.max(0, c.length - MAX_DIAGNOSTICS), warnings };
}

export function toDiagnostic(c: Candidate, range: vscode.Range): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, c.message, c.severity);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = c.kind;
  return d;
}

/** Longest stretch of range mapping before yielding (locating up to 1,000 completions on long lines adds up). */
const SLICE_MS = 5;

/**
 * The diagnostics of one document model: capped, worst first, each flag at its exact span. Mapped in time slices
 * so that a large file's thousand diagnostics do not hold the extension host; null when the document changed
 * (or closed) meanwhile, since the ranges would be stale.
 */
export async function documentDiagnostics(doc: vscode.TextDocument, dm: DocumentModel): Promise<vscode.Diagnostic[] | null> {
  const out: vscode.Diagnostic[] = [];
  let sliceStart = performance.now();
  for (const c of candidatesOf(dm, doc.uri).slice(0, MAX_DIAGNOSTICS)) {
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise<void>((r) => setImmediate(r));
      if (doc.isClosed || doc.version !== dm.version) return null;
      sliceStart = performance.now();
    }
    if (c.line < 0 || c.line >= doc.lineCount) continue;
    const lineRange = doc.lineAt(c.line).range;
    let range = lineRange;
    let more = 0;
    if (c.flag && c.flag.field === 'completion') {
      const parts = completionRanges(doc, dm, c.sample, c.flag.start, c.flag.end);
      // A span across several chat messages: underline its part in the first message only (a range from the
      // first to the last part would also underline the JSON between the messages) and say where it goes on.
      if (parts.length > 0) range = parts[0];
      more = Math.max(0, parts.length - 1);
    }
    const d = toDiagnostic(c, range);
    if (more > 0) d.message += ` (continues in ${more} later assistant message${more === 1 ? '' : 's'})`;
    out.push(d);
  }
  return out;
}

export class DocumentDiagnostics implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly cache: ModelCache, readonly collection: vscode.DiagnosticCollection) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        clearTimeout(this.timers.get(d.uri.toString()));
        this.collection.delete(d.uri);
      }),
      cache.onDidChangeModel((uri) => {
        const d = vscode.workspace.textDocuments.find((t) => t.uri.toString() === uri.toString());
        if (d) this.schedule(d);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('rolloutLens.severity')) return;
        for (const d of vscode.workspace.textDocuments) this.schedule(d);
      }),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d);
  }

  /** Deferred so that opening a document never waits for its analysis inside the open event. */
  private schedule(doc: vscode.TextDocument): void {
    if (!ModelCache.isCandidate(doc) || doc.uri.scheme === 'git') return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.refresh(doc);
    }, 0));
  }

  /** Waits for the model (built asynchronously) so that a rebuild does not clear the diagnostics meanwhile. */
  async refresh(doc: vscode.TextDocument): Promise<void> {
    if (doc.isClosed) return;
    const dm = await this.cache.whenReady(doc);
    if (doc.isClosed) return;
    if (!dm) {
      this.collection.delete(doc.uri);
      return;
    }
    const diagnostics = await documentDiagnostics(doc, dm);
    // null: the document changed while mapping; the change event brings a new model and a new refresh.
    if (diagnostics !== null && !doc.isClosed && doc.version === dm.version) this.collection.set(doc.uri, diagnostics);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
