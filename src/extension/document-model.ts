// Run model of a rollout file open in the text editor (tiers A and B: VS Code gives us the document).
// Built from the document's lines with the same core as the CLI, cached per document version.
import * as vscode from 'vscode';
import { parseJsonTolerant } from '../core/json-tolerant';
import { RunBuilder, type RunModel } from '../core/run/run-builder';
import { splitFromName, stepFromName } from '../node/input-files';
import { readSettings, runOptionsFromSettings } from './settings';

export interface DocumentModel {
  uri: string;
  version: number;
  model: RunModel;
  /** 0-based document line → sample index (first sample of that line), -1 when the line holds none. */
  sampleAtLine: Int32Array;
  /** sample index → 0-based document line. */
  lineOfSample: Int32Array;
}

/** Builds the model for a document; null when the file is not recognised as rollouts (no hijacking). */
export function buildDocumentModel(doc: vscode.TextDocument): DocumentModel | null {
  const settings = readSettings(doc.uri);
  const builder = new RunBuilder({ ...runOptionsFromSettings(settings), keepSamples: true });
  const file = doc.uri.fsPath;
  builder.beginFile({ path: file, stepFromName: stepFromName(file), split: splitFromName(file) });
  const text = doc.getText();
  const single = parseWholeDocument(text);
  if (single !== null) return null; // a single JSON document (array / object) is read by the viewer, not per line
  let record = 0;
  for (let i = 0; i < doc.lineCount; i++) {
    const line = doc.lineAt(i).text;
    if (line.trim().length === 0) continue;
    const parsed = parseJsonTolerant(i === 0 ? line.replace(/^\uFEFF/, '') : line);
    if (!parsed.ok) {
      builder.addBadLine({ file, line: i + 1, error: parsed.error });
      continue;
    }
    if (parsed.value === null || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
      builder.addBadLine({ file, line: i + 1, error: `line is ${Array.isArray(parsed.value) ? 'a JSON array' : 'not a JSON object'}` });
      continue;
    }
    record++;
    builder.addRecord({ value: parsed.value, source: { file, line: i + 1, record, byteOffset: null, rowIndex: null } });
  }
  const model = builder.finish();
  if (model.detection === null || model.count === 0) return null;
  const sampleAtLine = new Int32Array(doc.lineCount).fill(-1);
  const lineOfSample = new Int32Array(model.count);
  for (let s = model.count - 1; s >= 0; s--) {
    const l = model.columns.line[s] - 1;
    lineOfSample[s] = l;
    if (l >= 0 && l < sampleAtLine.length) sampleAtLine[l] = s;
  }
  return { uri: doc.uri.toString(), version: doc.version, model, sampleAtLine, lineOfSample };
}

/** Whole-document JSON (pretty-printed object or array) is not JSONL: detect it cheaply by its first byte. */
function parseWholeDocument(text: string): 'array' | 'object' | null {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('[')) return 'array';
  if (t.startsWith('{')) {
    const nl = t.indexOf('\n');
    // One object per line is JSONL; an object spanning several lines is a single document.
    if (nl >= 0 && !t.slice(0, nl).trimEnd().endsWith('}')) return 'object';
  }
  return null;
}
