// Think / answer / tag highlighting inside the JSON-escaped completion strings (docs/platform.md §1.4): three decoration
// types created once with theme colours (package.json `colors`), ranges computed for the visible lines only
// (± a margin, debounced on scroll), batched into one setDecorations call per type, capped per type.
// Visible lines of a large file were analysed in workers, so their segments are computed here on demand (about a
// millisecond per long trace): the collection yields every few milliseconds so that a viewport of ~100 sample
// lines never holds the extension host, and a newer update (scroll, edit) supersedes an older one.
import * as vscode from 'vscode';
import { performance } from 'node:perf_hooks';
import type { SegmentKind } from '../core/trace/segment';
import { analysisOf, type DocumentModel } from './document-model';
import { ModelCache } from './model-cache';
import { decorationsEnabled } from './editor-settings';
import { completionRanges, samplesOnLine } from './sample-ranges';

export type DecorationRole = 'think' | 'answer' | 'tag';
const ROLES: readonly DecorationRole[] = ['think', 'answer', 'tag'];

/** Lines above and below the viewport that are decorated too, so a short scroll shows colours at once. */
const MARGIN_LINES = 40;
/** Per type and editor: far above what a viewport shows, low enough that a huge row of groups cannot stall. */
export const MAX_RANGES_PER_TYPE = 2000;
const SCROLL_DEBOUNCE_MS = 80;
/** Longest stretch of range collection before yielding to the event loop. */
const SLICE_MS = 5;

function roleOf(kind: SegmentKind): DecorationRole | null {
  switch (kind) {
    case 'think': return 'think';
    case 'answer': return 'answer';
    case 'think-open-tag': case 'think-close-tag': case 'answer-open-tag': case 'answer-close-tag': return 'tag';
    default: return null;
  }
}

export class DecorationController implements vscode.Disposable {
  readonly types: Record<DecorationRole, vscode.TextEditorDecorationType>;
  /** Last ranges applied per editor (document URI), for the test hook. */
  private readonly applied = new Map<string, Record<DecorationRole, vscode.Range[]>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<vscode.TextEditor, ReturnType<typeof setTimeout>>();
  /** Latest update per editor: an older one still collecting gives up when it sees it is not the latest. */
  private readonly generation = new Map<vscode.TextEditor, number>();

  constructor(private readonly cache: ModelCache) {
    this.types = {
      think: vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor('rolloutLens.thinkBackground'),
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }),
      answer: vscode.window.createTextEditorDecorationType({
        backgroundColor: new vscode.ThemeColor('rolloutLens.answerBackground'),
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }),
      tag: vscode.window.createTextEditorDecorationType({
        color: new vscode.ThemeColor('rolloutLens.tagForeground'),
        fontWeight: 'bold',
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      }),
    };
    this.disposables.push(
      vscode.window.onDidChangeVisibleTextEditors((eds) => { for (const e of eds) this.schedule(e, 0); }),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.schedule(e.textEditor, SCROLL_DEBOUNCE_MS)),
      cache.onDidChangeModel((uri) => {
        for (const e of vscode.window.visibleTextEditors) if (e.document.uri.toString() === uri.toString()) this.schedule(e, 0);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('rolloutLens.decorations')) for (const ed of vscode.window.visibleTextEditors) this.schedule(ed, 0);
      }),
    );
    for (const e of vscode.window.visibleTextEditors) this.schedule(e, 0);
  }

  get keys(): Record<DecorationRole, string> {
    return { think: this.types.think.key, answer: this.types.answer.key, tag: this.types.tag.key };
  }

  appliedFor(uri: vscode.Uri): Record<DecorationRole, vscode.Range[]> | undefined {
    return this.applied.get(uri.toString());
  }

  private schedule(editor: vscode.TextEditor, delay: number): void {
    if (!ModelCache.isCandidate(editor.document)) return;
    clearTimeout(this.timers.get(editor));
    this.timers.set(editor, setTimeout(() => {
      this.timers.delete(editor);
      void this.update(editor);
    }, delay));
  }

  /** Recomputes and applies the ranges of one editor (collected in time slices; dropped if superseded). */
  async update(editor: vscode.TextEditor): Promise<void> {
    const gen = (this.generation.get(editor) ?? 0) + 1;
    this.generation.set(editor, gen);
    const doc = editor.document;
    const dm = decorationsEnabled(doc.uri) ? this.cache.get(doc) : null;
    const ranges: Record<DecorationRole, vscode.Range[]> = { think: [], answer: [], tag: [] };
    const current = (): boolean => this.generation.get(editor) === gen && !doc.isClosed && (!dm || doc.version === dm.version);
    if (dm && !(await collect(doc, dm, editor.visibleRanges, ranges, current))) return;
    if (!current()) return;
    for (const role of ROLES) editor.setDecorations(this.types[role], ranges[role]);
    this.applied.set(doc.uri.toString(), ranges);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
    for (const role of ROLES) this.types[role].dispose();
  }
}

/** Fills `out`; false when the update was superseded while it yielded. */
async function collect(doc: vscode.TextDocument, dm: DocumentModel, visible: readonly vscode.Range[], out: Record<DecorationRole, vscode.Range[]>, current: () => boolean): Promise<boolean> {
  const seen = new Set<number>();
  let sliceStart = performance.now();
  // Visible lines first, then the margins: the lines on screen get their colours in the first slices.
  const lines: number[] = [];
  for (const vr of visible) for (let l = vr.start.line; l <= vr.end.line; l++) lines.push(l);
  for (const vr of visible) {
    for (let l = Math.max(0, vr.start.line - MARGIN_LINES); l < vr.start.line; l++) lines.push(l);
    for (let l = vr.end.line + 1; l <= Math.min(doc.lineCount - 1, vr.end.line + MARGIN_LINES); l++) lines.push(l);
  }
  for (const line of lines) {
    if (line < 0 || line >= doc.lineCount || seen.has(line)) continue;
    seen.add(line);
    if (performance.now() - sliceStart >= SLICE_MS) {
      await new Promise<void>((r) => setImmediate(r));
      if (!current()) return false;
      sliceStart = performance.now();
    }
    for (const s of samplesOnLine(dm, line)) {
      const a = analysisOf(dm, s);
      if (!a) continue;
      for (const seg of a.segmentation.segments) {
        const role = roleOf(seg.kind);
        if (role === null || out[role].length >= MAX_RANGES_PER_TYPE) continue;
        for (const r of completionRanges(doc, dm, s, seg.start, seg.end)) if (!r.isEmpty) out[role].push(r);
      }
    }
  }
  for (const role of ROLES) out[role].sort((a, b) => a.start.compareTo(b.start));
  return true;
}
