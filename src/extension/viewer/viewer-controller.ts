// Connects one webview to one RunDocument: waits for the webview's `ready` (posting earlier loses messages),
// replays the scan state, then answers the webview's requests. Every message type comes from
// src/protocol/viewer-protocol.ts, shared with the webview.
import * as vscode from 'vscode';
import type { ChartAggregates, HostToWebview, StepSelection, ViewerMode, ViewerState, WebviewToHost } from '../../protocol/viewer-protocol';
import { isWebviewToHost } from '../../protocol/viewer-protocol';
import { codeTestsFor, onScoresOf } from '../code-reward/code-tests-view';
import type { RunDocument, ScanEvent } from './run-document';
import { traceNote } from '../host-block-monitor';

export interface ControllerOptions {
  mode: ViewerMode;
  title: string;
  /** Sample to show first (rendered-sample panel, code lens). */
  initialSample?: number;
  onReopenAsText?(): void;
  /** Called with the webview's state so a panel can remember what it shows. */
  onState?(state: ViewerState | null): void;
  /** Called when a sample is shown (the sample panel puts its number in the tab title). */
  onSample?(index: number): void;
  /** Called with the chart data each time it is sent (test hook). */
  onAggregates?(a: ChartAggregates): void;
}

export class ViewerController implements vscode.Disposable {
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private search: AbortController | null = null;
  /** Last sample shown, so a reloaded webview without state still shows it. */
  private current: number | undefined;
  /** The step picker's choice: the charts show every step or one. */
  private steps: StepSelection = { kind: 'all' };

  constructor(private readonly webview: vscode.Webview, private readonly doc: RunDocument, private readonly opts: ControllerOptions) {
    this.current = opts.initialSample;
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => {
        if (isWebviewToHost(m)) void this.handle(m).catch((e: unknown) => this.post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
      }),
      doc.onEvent((e) => this.onScan(e)),
      // New scores (Score Code Samples…) reach an open sample panel without reopening it.
      onScoresOf(doc.uri, () => { if (this.opts.mode === 'sample' && this.current !== undefined && this.ready && this.doc.state === 'done') void this.sendSample(this.current); }),
    );
  }

  /** The sample panel moves to another sample without reloading. */
  showSample(index: number): void {
    this.current = index;
    if (this.ready && this.doc.state === 'done') void this.sendSample(index);
  }

  private post(m: HostToWebview): void {
    if (!this.ready) return; // replayed on ready
    void this.webview.postMessage(m);
  }

  private onScan(e: ScanEvent): void {
    switch (e.kind) {
      case 'progress': this.post({ type: 'progress', progress: e.progress }); break;
      case 'firstRows': this.post({ type: 'firstRows', rows: e.rows }); break;
      case 'done': this.sendDone(); break;
      case 'updated': this.sendDone(); break;
      case 'notice': this.post({ type: 'notice', message: e.message, level: e.level }); break;
      case 'error': this.post({ type: 'scanError', message: e.message }); break;
      case 'cancelled': this.post({ type: 'scanCancelled' }); break;
    }
  }

  private sendDone(): void {
    const s = this.doc.session;
    // Timed notes for the host-block monitor (a no-op outside test mode): this runs on the host thread once per scan.
    const timed = <T>(what: string, f: () => T): T => {
      const t = performance.now();
      const r = f();
      traceNote(`viewer: ${what} ${(performance.now() - t).toFixed(0)} ms`);
      return r;
    };
    this.post({ type: 'overview', overview: timed('overview', () => s.overview(this.opts.title)), done: true });
    if (this.opts.mode === 'run') {
      this.post({ type: 'aggregates', aggregates: timed('aggregates', () => this.aggregates()) });
      this.post({ type: 'trends', trends: timed('trends', () => s.trends()) });
      this.post({ type: 'health', health: timed('health', () => s.health()) });
    }
    if (this.opts.mode === 'sample' && this.current !== undefined) {
      s.runQuery(0, { filter: {}, sort: 'index', descending: false });
      void this.sendSample(this.current);
    }
  }

  private aggregates(): ChartAggregates {
    const s = this.doc.session;
    // A step that no longer exists after a re-read falls back to every step.
    if (this.steps.kind === 'step' && !s.steps().includes(this.steps.step)) this.steps = { kind: 'all' };
    const a = s.aggregatesFor(this.steps);
    this.opts.onAggregates?.(a);
    return a;
  }

  private async sendSample(index: number, position?: number): Promise<void> {
    const d = await this.doc.session.detail(index, position);
    if (d) {
      this.current = index;
      this.opts.onSample?.(index);
      this.post({ type: 'sample', detail: { ...d, codeTests: codeTestsFor(this.doc.uri, index) } });
    } else this.post({ type: 'error', message: `sample ${index + 1} could not be read` });
  }

  private async handle(m: WebviewToHost): Promise<void> {
    const s = this.doc.session;
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        this.opts.onState?.(m.state);
        if (m.state?.selected !== undefined && m.state.selected !== null && this.opts.mode === 'sample' && this.current === undefined) this.current = m.state.selected;
        this.post({ type: 'init', mode: this.opts.mode, title: this.opts.title, path: this.doc.uri.fsPath, state: m.state });
        if (this.doc.progress) this.post({ type: 'progress', progress: this.doc.progress });
        if (this.doc.state === 'scanning' && this.doc.firstRows) this.post({ type: 'firstRows', rows: this.doc.firstRows });
        if (this.doc.state === 'done') this.sendDone();
        if (this.doc.state === 'error') this.post({ type: 'scanError', message: this.doc.error ?? 'error' });
        if (this.doc.state === 'cancelled') this.post({ type: 'scanCancelled' });
        const last = this.doc.notices[this.doc.notices.length - 1];
        if (last) this.post({ type: 'notice', message: last, level: 'warning' });
        return;
      }
      case 'cancelScan': this.doc.cancel(); return;
      case 'setFieldMapping': {
        // The picker offers the first record's fields (the viewer has no text editor whose line it could read).
        const keys = await s.recordKeys().catch(() => []);
        const mapping = await vscode.commands.executeCommand<Record<string, string> | undefined>('rolloutLens.setFieldMapping', undefined, keys);
        if (mapping) await this.doc.applySettings();
        return;
      }
      case 'query': {
        if (this.doc.state !== 'done') return;
        const t = performance.now();
        const total = s.runQuery(m.queryId, m.query);
        traceNote(`viewer: query ${(performance.now() - t).toFixed(0)} ms`);
        this.post({ type: 'queryResult', queryId: m.queryId, total });
        return;
      }
      case 'rows': {
        const rows = await s.rows(m.queryId, m.offset, Math.min(500, m.limit));
        this.post({ type: 'rows', queryId: m.queryId, offset: m.offset, rows });
        return;
      }
      case 'openSample': await this.sendSample(m.index); return;
      case 'openPosition': {
        const i = s.indexAt(m.queryId, m.position);
        if (i !== null) await this.sendSample(i, m.position);
        return;
      }
      case 'openGroup': {
        const g = await s.group(m.group, m.order);
        if (g) this.post({ type: 'group', detail: g });
        return;
      }
      case 'stepGroup': {
        const g = await s.stepGroup(m.group, m.order, m.delta);
        if (g) this.post({ type: 'group', detail: g });
        return;
      }
      case 'groupPage': this.post({ type: 'groupPage', page: s.groupPage(m.order, m.offset, Math.min(500, m.limit)) }); return;
      case 'search': {
        this.search?.abort();
        const ac = new AbortController();
        this.search = ac;
        const status = await s.search(m.request, ac.signal, (st) => this.post({ type: 'search', status: st }));
        this.post({ type: 'search', status });
        return;
      }
      case 'cancelSearch': this.search?.abort(); return;
      case 'copySample': {
        const raw = await s.rawRecord(m.index);
        if (raw) {
          await vscode.env.clipboard.writeText(JSON.stringify(raw.value, null, 2));
          void vscode.window.setStatusBarMessage(`Rollout Lens: sample ${m.index + 1} copied as JSON`, 3000);
        }
        return;
      }
      case 'reopenAsText': this.opts.onReopenAsText?.(); return;
      case 'history': {
        if (this.doc.state !== 'done') return;
        const h = await s.history(m.index);
        if (h) this.post({ type: 'history', history: h });
        return;
      }
      case 'selectSteps': {
        if (this.doc.state !== 'done') return;
        this.steps = m.selection;
        this.post({ type: 'aggregates', aggregates: this.aggregates() });
        return;
      }
      case 'revealLine': {
        const line = s.model?.columns.line[m.index] ?? 0;
        const file = s.model?.files[s.model.columns.fileIndex[m.index]]?.path;
        if (!file || line <= 0) return;
        const pos = new vscode.Position(line - 1, 0);
        await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.Beside });
        return;
      }
    }
  }

  dispose(): void {
    this.search?.abort();
    for (const d of this.disposables) d.dispose();
  }
}
