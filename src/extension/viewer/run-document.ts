// One scan of a rollout file or run folder, shared by every webview that shows it (the custom editor's
// document, a run panel, the rendered-sample panel). Holds the session and replays the scan's state to
// webviews that (re)load late: the last progress, the first rows, the end or the error.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RunSession, type RunSessionOptions } from '../../node/viewer/run-session';
import { FORMAT_NAMES, type FormatName } from '../../core/types';
import type { ScanProgress, SampleRow } from '../../protocol/viewer-protocol';
import { readSettings } from '../settings';

export type ScanEvent =
  | { kind: 'progress'; progress: ScanProgress }
  | { kind: 'firstRows'; rows: SampleRow[] }
  | { kind: 'done' }
  | { kind: 'error'; message: string }
  | { kind: 'cancelled' };

export function sessionOptions(uri: vscode.Uri): RunSessionOptions {
  const s = readSettings(uri);
  const format = (FORMAT_NAMES as readonly string[]).includes(s.format) ? (s.format as FormatName) : 'auto';
  // Next to dist/extension.js in the package: the scan runs there, so the extension host never stalls on it.
  const worker = join(__dirname, 'viewer-worker.js');
  return {
    format, fields: s.fieldMapping, groupBy: s.groupBy, advantage: s.advantage, lang: s.targetLanguage,
    enabledFlags: s.enabledFlags, analyse: true, workerScript: existsSync(worker) ? worker : undefined,
  };
}

export class RunDocument implements vscode.CustomDocument {
  readonly session: RunSession;
  progress: ScanProgress | null = null;
  firstRows: SampleRow[] | null = null;
  state: 'scanning' | 'done' | 'error' | 'cancelled' = 'scanning';
  error: string | null = null;
  readonly scanned: Promise<void>;
  private readonly abort = new AbortController();
  private readonly listeners = new Set<(e: ScanEvent) => void>();
  private disposed = false;

  constructor(readonly uri: vscode.Uri) {
    this.session = new RunSession(uri.fsPath, sessionOptions(uri));
    this.scanned = this.run();
  }

  private emit(e: ScanEvent): void {
    for (const l of this.listeners) l(e);
  }

  private async run(): Promise<void> {
    try {
      await this.session.scan({
        progress: (p) => { this.progress = p; this.emit({ kind: 'progress', progress: p }); },
        firstRows: (rows) => { this.firstRows = rows; this.emit({ kind: 'firstRows', rows }); },
      }, this.abort.signal);
      this.state = 'done';
      this.emit({ kind: 'done' });
    } catch (e) {
      if (this.abort.signal.aborted) {
        this.state = 'cancelled';
        this.emit({ kind: 'cancelled' });
      } else {
        this.state = 'error';
        this.error = e instanceof Error ? e.message : String(e);
        this.emit({ kind: 'error', message: this.error });
      }
    }
  }

  onEvent(l: (e: ScanEvent) => void): vscode.Disposable {
    this.listeners.add(l);
    return new vscode.Disposable(() => this.listeners.delete(l));
  }

  cancel(): void {
    this.abort.abort();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.abort.abort();
    this.listeners.clear();
    void this.session.close();
  }
}
