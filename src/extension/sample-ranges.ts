// Editor ranges of spans of a sample's decoded completion: flags (diagnostics) and think/answer segments
// (decorations). The locator of each sample (where its string literals sit on the line) is built lazily, only for
// the lines that are drawn or diagnosed, and cached per document model (a new model = a new document version).
import * as vscode from 'vscode';
import { CompletionLocator } from '../core/text/completion-locator';
import type { DocumentModel } from './document-model';

const locators = new WeakMap<DocumentModel, Map<number, CompletionLocator | null>>();

/** The locator of sample `s`, or null when its completion cannot be found on its line. */
export function locatorOf(doc: vscode.TextDocument, dm: DocumentModel, s: number): CompletionLocator | null {
  let perModel = locators.get(dm);
  if (!perModel) {
    perModel = new Map();
    locators.set(dm, perModel);
  }
  const cached = perModel.get(s);
  if (cached !== undefined) return cached;
  const sample = dm.model.samples?.[s];
  const line = dm.lineOfSample[s];
  let loc: CompletionLocator | null = null;
  if (sample && line >= 0 && line < doc.lineCount) {
    loc = CompletionLocator.locate({
      line: doc.lineAt(line).text,
      completion: sample.completion,
      completionField: dm.model.detection?.fields.completion ?? null,
      sampleIndex: sample.sampleIndex,
      unwrapLists: dm.model.detection?.unwrapLists ?? dm.model.detection?.format === 'nemo-rl',
    });
  }
  perModel.set(s, loc);
  return loc;
}

/** Editor ranges covering the decoded completion span [start, end) of sample `s` (0..n ranges, see CompletionLocator). */
export function completionRanges(doc: vscode.TextDocument, dm: DocumentModel, s: number, start: number, end: number): vscode.Range[] {
  const loc = locatorOf(doc, dm, s);
  const line = dm.lineOfSample[s];
  if (!loc || line < 0) return [];
  return loc.toRaw(start, end).map((r) => new vscode.Range(line, r.start, line, r.end));
}

/** Samples on a document line (a row holding a group has several), in order. */
export function samplesOnLine(dm: DocumentModel, line: number): number[] {
  const first = line >= 0 && line < dm.sampleAtLine.length ? dm.sampleAtLine[line] : -1;
  if (first < 0) return [];
  const out: number[] = [];
  for (let s = first; s < dm.model.count && dm.lineOfSample[s] === line; s++) out.push(s);
  return out;
}
