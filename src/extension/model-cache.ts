// One model per open rollout document, rebuilt when the document changes (debounced) and shared by lenses,
// hovers, diagnostics, decorations and the status bar. Models are built asynchronously (see buildDocumentModel):
// get() answers from the cache at once (null while a build runs) and whenReady() waits for the current version.
// Emits an event when a model is (re)built or dropped, so that every surface re-queries.
import * as vscode from 'vscode';
import { buildDocumentModel, BuildCancelled, type DocumentModel } from './document-model';

const ROLLOUT_PATTERN = /\.(jsonl|json)$/i;

interface Built {
  version: number;
  model: DocumentModel | null;
}

interface Running {
  version: number;
  abort: AbortController;
  /** Settles when the build ends, whatever the outcome (the result is read from `models`). */
  done: Promise<void>;
}

export class ModelCache implements vscode.Disposable {
  private readonly models = new Map<string, Built>();
  private readonly builds = new Map<string, Running>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChangeModel = this.emitter.event;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const key = d.uri.toString();
        this.cancel(key);
        this.models.delete(key);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('rolloutLens')) return;
        const uris = new Set([...this.models.keys(), ...this.builds.keys()]);
        for (const u of this.builds.keys()) this.cancel(u);
        this.models.clear();
        for (const u of uris) this.emitter.fire(vscode.Uri.parse(u));
      }),
    );
  }

  static isCandidate(doc: vscode.TextDocument): boolean {
    return ROLLOUT_PATTERN.test(doc.uri.path) || doc.languageId === 'jsonl';
  }

  /**
   * The model of the document's current version if it is built; otherwise starts building it (once) and returns
   * null. Also null when the document is not a rollout file. onDidChangeModel fires when the build completes.
   */
  get(doc: vscode.TextDocument): DocumentModel | null {
    if (!ModelCache.isCandidate(doc) || this.disposed) return null;
    const built = this.models.get(doc.uri.toString());
    // A non-rollout verdict stands until the document changes (the debounced change drops it), as before.
    if (built !== undefined && (built.model === null || built.version === doc.version)) return built.model;
    this.start(doc);
    return null;
  }

  /** The model of the document's current version, waiting for its build (for commands and providers that may wait). */
  async whenReady(doc: vscode.TextDocument): Promise<DocumentModel | null> {
    if (!ModelCache.isCandidate(doc)) return null;
    const key = doc.uri.toString();
    // A build can be superseded by an edit while we wait: follow the document to its current version.
    for (;;) {
      const now = this.get(doc);
      const built = this.models.get(key);
      if (built !== undefined && (built.model === null || built.version === doc.version)) return now;
      const running = this.builds.get(key);
      if (!running || doc.isClosed || this.disposed) return null;
      await running.done;
    }
  }

  private start(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    const running = this.builds.get(key);
    if (running && running.version === doc.version) return;
    if (running) this.cancel(key);
    const abort = new AbortController();
    const version = doc.version;
    const entry: Running = { version, abort, done: Promise.resolve() };
    entry.done = buildDocumentModel(doc, { signal: abort.signal }).then(
      (model) => {
        if (abort.signal.aborted) return;
        this.models.set(key, { version, model });
        this.finished(key, entry, doc.uri);
      },
      (e: unknown) => {
        if (abort.signal.aborted) return;
        if (e instanceof BuildCancelled) {
          // The document changed under the build: the change event schedules a rebuild; wake the waiters.
          this.finished(key, entry, doc.uri);
          return;
        }
        console.error(`[rollout-lens] could not read ${doc.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
        this.models.set(key, { version, model: null });
        this.finished(key, entry, doc.uri);
      },
    );
    this.builds.set(key, entry);
  }

  private finished(key: string, entry: Running, uri: vscode.Uri): void {
    if (this.builds.get(key) === entry) this.builds.delete(key);
    if (!this.disposed) this.emitter.fire(uri);
  }

  private cancel(key: string): void {
    const running = this.builds.get(key);
    if (!running) return;
    running.abort.abort();
    this.builds.delete(key);
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!ModelCache.isCandidate(doc)) return;
    const key = doc.uri.toString();
    // A file that grows on disk (live tail: VS Code reloads a non-dirty document itself) changes without
    // pause; a debounce would never fire. Reloads are throttled instead: one rebuild per second at most.
    if (!doc.isDirty && this.timers.has(key)) return;
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.models.delete(key);
      this.emitter.fire(doc.uri);
    }, doc.isDirty ? 300 : 1000));
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    for (const key of [...this.builds.keys()]) this.cancel(key);
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}
