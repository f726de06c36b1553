// One scan of a rollout file or run folder, shared by every webview that shows it (the custom editor's
// document, a run panel, the rendered-sample panel). Holds the session and replays the scan's state to
// webviews that (re)load late: the last progress, the first rows, the end or the error.
import * as vscode from 'vscode';
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FileTail, FolderTail, type TailEvent } from '../../node/file-tail';
import { RunSession, type RunSessionOptions } from '../../node/viewer/run-session';
import { FORMAT_NAMES, type FormatName } from '../../core/types';
import type { ScanProgress, SampleRow } from '../../protocol/viewer-protocol';
import { readSettings } from '../settings';
import { traceNote } from '../host-block-monitor';
import { reportMissingWorker } from '../missing-worker';

export type ScanEvent =
  | { kind: 'progress'; progress: ScanProgress }
  | { kind: 'firstRows'; rows: SampleRow[] }
  | { kind: 'done' }
  /** The run was read again after it grew, was replaced or lost a file (live tail). */
  | { kind: 'updated' }
  | { kind: 'notice'; message: string; level: 'info' | 'warning' }
  | { kind: 'error'; message: string }
  | { kind: 'cancelled' };

export function sessionOptions(uri: vscode.Uri): RunSessionOptions {
  const s = readSettings(uri);
  const format = (FORMAT_NAMES as readonly string[]).includes(s.format) ? (s.format as FormatName) : 'auto';
  // Next to dist/extension.js in the package: the scan runs there, so the extension host never stalls on it. When the
  // bundle is missing the scan fails with MissingWorkerError (shown in the viewer and reported), never runs here.
  const worker = join(__dirname, 'viewer-worker.js');
  return {
    format, fields: s.fieldMapping, groupBy: s.groupBy, advantage: s.advantage, lang: s.targetLanguage,
    enabledFlags: s.enabledFlags, analyse: true, workerScript: worker,
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
  /** Live tail: follows the file or folder from before the first read, so nothing written meanwhile is missed. */
  private tail: FileTail | FolderTail | null = null;
  private tailStarted: Promise<void> = Promise.resolve();
  private dirty = false;
  private rereading: Promise<void> | null = null;
  private lastReread = 0;
  private rereadTimer: ReturnType<typeof setTimeout> | null = null;
  /** Notices so far (the viewer shows the last; tests read them). */
  readonly notices: string[] = [];
  /** Minimum time between two re-reads of a growing run. */
  static rereadEveryMs = 1000;
  /** Runs larger than this are not re-read on growth (a notice says so once). */
  static maxAutoRereadBytes = 512 * 2 ** 20;
  private tooLargeNoticed = false;

  constructor(readonly uri: vscode.Uri, opts: { live?: boolean } = {}) {
    this.session = new RunSession(uri.fsPath, sessionOptions(uri));
    if (opts.live !== false) this.startTail();
    this.scanned = this.run();
  }

  private startTail(): void {
    const path = this.uri.fsPath;
    let folder = false;
    try {
      folder = statSync(path).isDirectory();
    } catch {
      return;
    }
    const opts = { onEvent: (e: TailEvent) => this.onTail(e), onError: () => undefined };
    const t = folder ? new FolderTail(path, opts) : new FileTail(path, opts);
    this.tail = t;
    this.tailStarted = t.start().catch(() => { t.close(); this.tail = null; });
  }

  private notify(message: string, level: 'info' | 'warning'): void {
    this.notices.push(message);
    this.emit({ kind: 'notice', message, level });
    if (level === 'warning') void vscode.window.showWarningMessage(`Rollout Lens: ${message}`);
    else void vscode.window.showInformationMessage(`Rollout Lens: ${message}`);
  }

  private onTail(e: TailEvent): void {
    if (this.disposed) return;
    const name = basename(e.path);
    switch (e.kind) {
      case 'append': break;
      case 'added': break;
      case 'reset':
        this.notify(`${name} was ${e.reason === 'truncated' ? 'truncated' : 'replaced'}: reading it again from the start.`, 'warning');
        break;
      case 'deleted':
        if (e.path === this.uri.fsPath) {
          // The file (or the whole folder) is gone: stop following; what was read stays on screen.
          this.tail?.close();
          this.tail = null;
          this.notify(`${name} was deleted: the viewer keeps what it read and no longer follows it.`, 'warning');
          return;
        }
        this.notify(`${name} was deleted from the run: reading the run again.`, 'warning');
        break;
    }
    // A re-read covers the whole run: above this size it would keep both cores busy for minutes per update.
    const bytes = this.progress?.bytesTotal ?? 0;
    if (e.kind !== 'reset' && bytes > RunDocument.maxAutoRereadBytes) {
      if (!this.tooLargeNoticed) {
        this.tooLargeNoticed = true;
        this.notify(`${name} is growing; a run of ${Math.round(bytes / 2 ** 20)} MB is not read again automatically: reopen it to see the new samples.`, 'info');
      }
      return;
    }
    this.dirty = true;
    this.scheduleReread();
  }

  /** At most one re-read per rereadEveryMs, never two at once, none before the first read ends. */
  private scheduleReread(): void {
    if (this.disposed || this.rereadTimer || this.rereading || this.state !== 'done') return;
    const wait = Math.max(0, this.lastReread + RunDocument.rereadEveryMs - Date.now());
    this.rereadTimer = setTimeout(() => {
      this.rereadTimer = null;
      this.rereading = this.reread().finally(() => {
        this.rereading = null;
        this.lastReread = Date.now();
        if (this.dirty) this.scheduleReread();
      });
    }, wait);
  }

  private async reread(): Promise<void> {
    if (this.disposed) return;
    this.dirty = false;
    try {
      await this.session.scan({}, this.abort.signal);
      if (!this.disposed) this.emit({ kind: 'updated' });
    } catch (e) {
      if (this.abort.signal.aborted) return;
      this.notify(`could not read the run again: ${e instanceof Error ? e.message : String(e)}`, 'warning');
    }
  }

  /** Reads the run again with the current settings (after Set Field Mapping… from the viewer). */
  async applySettings(): Promise<void> {
    this.session.setOptions(sessionOptions(this.uri));
    if (this.state !== 'done') {
      // The first read failed or found nothing usable: run it again as a first read (progress, rows, done).
      this.state = 'scanning';
      this.error = null;
      await this.run();
      return;
    }
    await this.reread();
  }

  /** Waits until the live tail is watching (tests append only after that). */
  whenFollowing(): Promise<void> {
    return this.tailStarted;
  }

  get following(): boolean {
    return this.tail !== null && !(this.tail instanceof FileTail && this.tail.isClosed);
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
      traceNote('viewer: scan resolved');
      this.state = 'done';
      this.emit({ kind: 'done' });
      // Lines written while the first read ran are read now.
      if (this.dirty) this.scheduleReread();
    } catch (e) {
      if (this.abort.signal.aborted) {
        this.state = 'cancelled';
        this.emit({ kind: 'cancelled' });
      } else {
        this.state = 'error';
        reportMissingWorker(e);
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
    this.tail?.close();
    this.tail = null;
    if (this.rereadTimer) clearTimeout(this.rereadTimer);
    this.listeners.clear();
    void this.session.close();
  }
}
