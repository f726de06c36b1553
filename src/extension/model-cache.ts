// One model per open rollout document, rebuilt when the document changes (debounced) and shared by lenses,
// hovers, diagnostics, decorations and the status bar. Emits an event when a model is (re)built.
import * as vscode from 'vscode';
import { buildDocumentModel, type DocumentModel } from './document-model';

const ROLLOUT_PATTERN = /\.(jsonl|json)$/i;

export class ModelCache implements vscode.Disposable {
  private readonly models = new Map<string, DocumentModel | null>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChangeModel = this.emitter.event;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.models.delete(d.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('rolloutLens')) return;
        const uris = [...this.models.keys()];
        this.models.clear();
        for (const u of uris) this.emitter.fire(vscode.Uri.parse(u));
      }),
    );
  }

  static isCandidate(doc: vscode.TextDocument): boolean {
    return ROLLOUT_PATTERN.test(doc.uri.path) || doc.languageId === 'jsonl';
  }

  /** The model of a document, built on first use; null when the document is not a rollout file. */
  get(doc: vscode.TextDocument): DocumentModel | null {
    if (!ModelCache.isCandidate(doc)) return null;
    const key = doc.uri.toString();
    const cached = this.models.get(key);
    if (cached !== undefined && (cached === null || cached.version === doc.version)) return cached;
    let model: DocumentModel | null = null;
    try {
      model = buildDocumentModel(doc);
    } catch (e) {
      console.error(`[rollout-lens] could not read ${doc.uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.models.set(key, model);
    return model;
  }

  private schedule(doc: vscode.TextDocument): void {
    if (!ModelCache.isCandidate(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.models.delete(key);
      this.emitter.fire(doc.uri);
    }, 300));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    this.emitter.dispose();
  }
}
