// Diagnostics by URI for files VS Code does not give to extensions (tier C, > 50 MB; docs/platform.md §1.5): the
// workbench still shows Problems rows and squiggles for them. Triggered by "Rollout Lens: Scan File for Problems"
// and when a tab with such a file is opened.
//
// Spans: pass 1 streams the file through the same core as the CLI (loadRun, analyse + keepFlags, no samples kept)
// in a worker thread (src/node/problem-scan.ts: a 300 MB load ends in hundreds of ms of synchronous work).
// The findings are ranked and capped exactly as in the text editor, then pass 2 (in the same worker) streams the
// file once more and keeps only the lines of the ≤ 1,000 kept findings; here each is parsed and normalised again so
// the flag maps to its exact raw columns. A finding whose line cannot be mapped falls back to the whole line.
import * as vscode from 'vscode';
import { promises as fsp } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Finding, ProblemScanOptions, ProblemScanResult } from '../node/problem-scan';
import { bundledWorker } from '../node/worker-script';
import { reportMissingWorker } from './missing-worker';
import type { ProblemScanMessage } from '../node/problem-scan-worker';
import type { FormatDetection } from '../core/types';
import { DIAGNOSTIC_KINDS, toSeverity, type DiagnosticKind } from './editor-settings';
import { normaliseRecord } from '../core/formats/normalise';
import { parseJsonTolerant } from '../core/json-tolerant';
import { CompletionLocator } from '../core/text/completion-locator';
import { splitFromName, stepFromName } from '../node/input-files';
import { readSettings, readSeverities, runOptionsFromSettings } from './settings';
import { SYNC_LIMIT_BYTES } from './tier';
import { toDiagnostic, MAX_DIAGNOSTICS, type Candidate } from './diagnostics';

const WHOLE_LINE_END = 100_000; // VS Code clamps a marker to the line's real length when it draws it
/** Longest stretch of span mapping before yielding to the event loop. */
const SLICE_MS = 8;

/**
 * Pass 1 in a worker thread (dist/problem-scan-worker.js next to this bundle). A missing bundle is an installation
 * error (reported, no scan), never a fallback onto the host thread.
 */
function scanInWorker(path: string, opts: ProblemScanOptions, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<ProblemScanResult | null> {
  const script = bundledWorker(__dirname, 'problem-scan-worker');
  return new Promise((resolve, reject) => {
    // A JSON copy: the options come from VS Code configuration proxies, which structured clone refuses.
    const w = new Worker(script, { workerData: { path, opts: JSON.parse(JSON.stringify(opts)) as ProblemScanOptions } });
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void w.terminate();
      f();
    };
    const onAbort = (): void => finish(() => reject(new Error('scan cancelled')));
    signal?.addEventListener('abort', onAbort);
    w.on('message', (m: ProblemScanMessage) => {
      if (m.type === 'progress') onProgress?.(m.done, m.total);
      else if (m.type === 'done') finish(() => resolve(m.result));
      else finish(() => reject(new Error(m.message)));
    });
    w.on('error', (e) => finish(() => reject(e)));
    w.on('exit', (code) => finish(() => reject(new Error(`the problem scan worker exited (${code})`))));
  });
}

/** Streams a large rollout file and returns its diagnostics (capped, worst first), or null when it is not a rollout. */
export async function scanFileDiagnostics(uri: vscode.Uri, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<vscode.Diagnostic[] | null> {
  const s = readSettings(uri);
  const path = uri.fsPath;
  const severities = {} as Record<DiagnosticKind, number | null>;
  const levels = readSeverities(uri);
  for (const k of DIAGNOSTIC_KINDS) {
    const v = levels[k];
    severities[k] = v === 'off' ? null : toSeverity(v);
  }
  let scan: ProblemScanResult | null;
  try {
    scan = await scanInWorker(path, { run: runOptionsFromSettings(s), severities, max: MAX_DIAGNOSTICS }, signal, onProgress);
  } catch (e) {
    reportMissingWorker(e);
    return null;
  }
  if (!scan || signal?.aborted) return null;
  const kept = scan.findings;
  const lines = new Map(scan.lines);
  // Each kept line is parsed and located again: sliced, so that a thousand long lines do not hold the host.
  const out: vscode.Diagnostic[] = [];
  let sliceStart = performance.now();
  for (const c of kept) {
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise<void>((r) => setImmediate(r));
      if (signal?.aborted) return null;
      sliceStart = performance.now();
    }
    const cand: Candidate = { kind: c.kind, severity: c.severity as vscode.DiagnosticSeverity, detector: c.detector, sample: c.sample, line: c.line, flag: c.flag, message: c.message };
    out.push(toDiagnostic(cand, exactRange(c, lines.get(c.line), scan.detection, path)));
  }
  return out;
}

function exactRange(c: Finding, text: string | undefined, det: FormatDetection, path: string): vscode.Range {
  const whole = new vscode.Range(c.line, 0, c.line, text?.length ?? WHOLE_LINE_END);
  if (!c.flag || c.flag.field !== 'completion' || text === undefined) return whole;
  const parsed = parseJsonTolerant(c.line === 0 ? text.replace(/^\uFEFF/, '') : text);
  if (!parsed.ok) return whole;
  const norm = normaliseRecord(
    { value: parsed.value, source: { file: path, line: c.line + 1, record: c.record, byteOffset: null, rowIndex: null } },
    det,
    { stepFromName: stepFromName(path), split: splitFromName(path) },
  );
  if (!Array.isArray(norm)) return whole;
  // c.k: position of this sample among the samples of its line (rows holding a group give several).
  const sample = norm[c.k];
  if (!sample) return whole;
  const loc = CompletionLocator.locate({ line: text, completion: sample.completion, completionField: det.fields.completion, sampleIndex: sample.sampleIndex, unwrapLists: det.unwrapLists });
  const parts = loc?.toRaw(c.flag.start, c.flag.end) ?? [];
  if (parts.length === 0) return whole;
  // As in the text editor: the part in the first message (see diagnostics.ts).
  return new vscode.Range(c.line, parts[0].start, c.line, parts[0].end);
}

/** Scans tier-C rollout files when their tab opens, and on command; results are set by URI. */
export class LargeFileDiagnostics implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** uri → mtime of the last scan (a tab reopened on an unchanged file is not scanned again). */
  private readonly scanned = new Map<string, number>();
  private readonly running = new Map<string, AbortController>();

  constructor(readonly collection: vscode.DiagnosticCollection) {
    this.disposables.push(
      vscode.window.tabGroups.onDidChangeTabs((e) => {
        for (const t of e.opened) {
          const uri = tabUri(t);
          if (uri) void this.scanIfLarge(uri);
        }
      }),
    );
    for (const g of vscode.window.tabGroups.all) for (const t of g.tabs) {
      const uri = tabUri(t);
      if (uri) void this.scanIfLarge(uri);
    }
  }

  private async scanIfLarge(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || !/\.jsonl$/i.test(uri.path)) return;
    try {
      const st = await fsp.stat(uri.fsPath);
      if (st.size <= SYNC_LIMIT_BYTES || this.scanned.get(uri.toString()) === st.mtimeMs) return;
      await this.scan(uri, false);
    } catch {
      // unreadable: nothing to show
    }
  }

  /** Streams the file with progress and cancel; returns the number of diagnostics set (null: not a rollout). */
  async scan(uri: vscode.Uri, announce: boolean): Promise<number | null> {
    const key = uri.toString();
    this.running.get(key)?.abort();
    const ac = new AbortController();
    this.running.set(key, ac);
    const name = uri.path.split('/').pop() ?? key;
    const size = (await fsp.stat(uri.fsPath).catch(() => null))?.size ?? 0;
    const mb = `${Math.round(size / (1024 * 1024))} MB`;
    try {
      const diags = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Rollout Lens: scanning ${name} (${mb}) for problems`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => ac.abort());
          let last = 0;
          return scanFileDiagnostics(uri, ac.signal, (done, total) => {
            const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
            if (pct > last) {
              progress.report({ increment: pct - last });
              last = pct;
            }
          });
        },
      );
      if (ac.signal.aborted) return null;
      const st = await fsp.stat(uri.fsPath).catch(() => null);
      if (st) this.scanned.set(key, st.mtimeMs);
      if (diags === null) {
        if (announce) void vscode.window.showWarningMessage(`Rollout Lens: ${name} is not recognised as a rollout file.`);
        return null;
      }
      this.collection.set(uri, diags);
      const found = `${diags.length} problem${diags.length === 1 ? '' : 's'}`;
      // Over 50 MB the user sees no lens, highlight or hover and may not know why: say what is available.
      if (size > SYNC_LIMIT_BYTES) announceTierC(uri, name, mb, found);
      else if (announce) void vscode.window.showInformationMessage(`Rollout Lens: ${found} in ${name}.`);
      return diags.length;
    } finally {
      if (this.running.get(key) === ac) this.running.delete(key);
    }
  }

  dispose(): void {
    for (const a of this.running.values()) a.abort();
    for (const d of this.disposables) d.dispose();
  }
}

function announceTierC(uri: vscode.Uri, name: string, mb: string, found: string): void {
  const viewer = 'Open in Rollout Viewer';
  const problems = 'Show Problems';
  void vscode.window.showInformationMessage(
    `Rollout Lens: ${name} is ${mb}, over the 50 MB VS Code hands to extensions: no code lenses, highlighting or hovers in the text editor. ${found} scanned from disk are in the Problems panel; the Rollout Viewer shows every sample.`,
    viewer,
    problems,
  ).then((choice) => {
    if (choice === viewer) void vscode.commands.executeCommand('rolloutLens.openViewer', uri);
    else if (choice === problems) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
}

/**
 * Text tabs only: a file opened in the Rollout Viewer gets its flags from the viewer's own scan, and a second full
 * analysis of the same gigabyte would halve the viewer's speed on two cores ("Scan File for Problems" still runs it).
 */
function tabUri(t: vscode.Tab): vscode.Uri | null {
  const input: unknown = t.input;
  if (input instanceof vscode.TabInputText) return input.uri;
  return null;
}
