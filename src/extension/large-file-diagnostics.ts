// Diagnostics by URI for files VS Code does not give to extensions (tier C, > 50 MB; platform.md §1.5): the
// workbench still shows Problems rows and squiggles for them. Triggered by "Rollout Lens: Scan File for Problems"
// and when a tab with such a file is opened.
//
// Spans: pass 1 streams the file through the same core as the CLI (loadRun, analyse + keepFlags, no samples kept).
// The findings are ranked and capped exactly as in the text editor, then pass 2 streams the file once more and
// keeps only the lines of the ≤ 1,000 kept findings; each is parsed and normalised again so the flag maps to its
// exact raw columns. A finding whose line cannot be mapped falls back to the whole line.
import * as vscode from 'vscode';
import { createReadStream, promises as fsp } from 'node:fs';
import { loadRun } from '../node/load-run';
import { normaliseRecord } from '../core/formats/normalise';
import { parseJsonTolerant } from '../core/json-tolerant';
import { CompletionLocator } from '../core/text/completion-locator';
import type { RunModel } from '../core/run/run-builder';
import { splitFromName, stepFromName } from '../node/input-files';
import { readSettings, runOptionsFromSettings } from './settings';
import { SYNC_LIMIT_BYTES } from './tier';
import { candidatesOf, toDiagnostic, MAX_DIAGNOSTICS, type Candidate } from './diagnostics';
import type { DocumentModel } from './document-model';

const WHOLE_LINE_END = 100_000; // VS Code clamps a marker to the line's real length when it draws it

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

/** Streams a large rollout file and returns its diagnostics (capped, worst first), or null when it is not a rollout. */
export async function scanFileDiagnostics(uri: vscode.Uri, signal?: AbortSignal, onProgress?: (done: number, total: number) => void): Promise<vscode.Diagnostic[] | null> {
  const s = readSettings(uri);
  const path = uri.fsPath;
  let model: RunModel;
  try {
    // Analysis in worker threads: a file over 50 MB must not hold the extension host.
    model = await loadRun(path, { ...runOptionsFromSettings(s), workers: true, signal, onProgress });
  } catch {
    return null;
  }
  if (!model.detection || model.count === 0) return null;
  // candidatesOf needs only lineOfSample and the model: a DocumentModel without the per-line index is enough.
  const lineOfSample = new Int32Array(model.count);
  for (let i = 0; i < model.count; i++) lineOfSample[i] = model.columns.line[i] - 1;
  const dm: DocumentModel = { uri: uri.toString(), version: 0, model, sampleAtLine: new Int32Array(0), lineOfSample, deferredInputs: null };
  const kept = candidatesOf(dm, uri).slice(0, MAX_DIAGNOSTICS);
  const lines = await readLines(path, new Set(kept.filter((c) => c.flag).map((c) => c.line)), signal);
  return kept.map((c) => toDiagnostic(c, exactRange(c, lines.get(c.line), model, lineOfSample, path)));
}

function exactRange(c: Candidate, text: string | undefined, model: RunModel, lineOfSample: Int32Array, path: string): vscode.Range {
  const whole = new vscode.Range(c.line, 0, c.line, text?.length ?? WHOLE_LINE_END);
  const det = model.detection;
  if (!c.flag || c.flag.field !== 'completion' || text === undefined || !det) return whole;
  const parsed = parseJsonTolerant(c.line === 0 ? text.replace(/^\uFEFF/, '') : text);
  if (!parsed.ok) return whole;
  const norm = normaliseRecord(
    { value: parsed.value, source: { file: path, line: c.line + 1, record: model.columns.record[c.sample], byteOffset: null, rowIndex: null } },
    det,
    { stepFromName: stepFromName(path), split: splitFromName(path) },
  );
  if (!Array.isArray(norm)) return whole;
  // Position of this sample among the samples of its line (rows holding a group give several).
  let k = 0;
  while (c.sample - k - 1 >= 0 && lineOfSample[c.sample - k - 1] === c.line) k++;
  const sample = norm[k];
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
    try {
      const diags = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Rollout Lens: scanning ${name}`, cancellable: true },
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
      if (announce) void vscode.window.showInformationMessage(`Rollout Lens: ${diags.length} problem${diags.length === 1 ? '' : 's'} in ${name}.`);
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

function tabUri(t: vscode.Tab): vscode.Uri | null {
  const input: unknown = t.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputCustom) return input.uri;
  return null;
}
