// Run model of a rollout file open in the text editor (tiers A and B: VS Code gives us the document).
// Built from the document's lines with the same core as the CLI, cached per document version. Built
// asynchronously (time-sliced parsing, analysis in worker threads on large files) so the extension host stays responsive.
import * as vscode from 'vscode';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { analyseCompletion, type AnalyseInput, type TraceAnalysis } from '../core/analyse';
import { parseJsonTolerant } from '../core/json-tolerant';
import { AnalysisPool, type AnalysisResult } from '../node/analysis-pool';
import { RunBuilder, type RunModel } from '../core/run/run-builder';
import { splitFromName, stepFromName } from '../node/input-files';
import { readSettings, runOptionsFromSettings } from './settings';
import { traceNote } from './host-block-monitor';
import { reportMissingWorker } from './missing-worker';

export interface DocumentModel {
  uri: string;
  version: number;
  model: RunModel;
  /** 0-based document line → sample index (first sample of that line), -1 when the line holds none. */
  sampleAtLine: Int32Array;
  /** sample index → 0-based document line. */
  lineOfSample: Int32Array;
  /** Analysis inputs per sample when the analysis ran in workers (model.analyses is then empty); see analysisOf. */
  deferredInputs: AnalyseInput[] | null;
}

/** Documents at least this long (UTF-16 units) are analysed in worker threads; smaller ones in-thread, in slices. */
const WORKER_THRESHOLD_CHARS = 1_000_000;
/** Longest stretch of parsing / in-thread analysis before yielding to the event loop. */
const SLICE_MS = 8;

export interface BuildOptions {
  signal?: AbortSignal;
  /** Override the worker decision (tests and the bench); default: by document size. */
  workers?: boolean;
}

/** Thrown when a build is abandoned because it was cancelled or the document changed under it. */
export class BuildCancelled extends Error {
  constructor() {
    super('document model build cancelled');
  }
}

/**
 * Builds the model for a document; null when the file is not recognised as rollouts (no hijacking).
 * Asynchronous so that the extension host never blocks for long: lines are parsed in time slices with a yield
 * in between, and on large documents the trace analysis runs in worker threads (AnalysisPool).
 */
export async function buildDocumentModel(doc: vscode.TextDocument, opts: BuildOptions = {}): Promise<DocumentModel | null> {
  const version = doc.version;
  const settings = readSettings(doc.uri);
  // Neither test needs the text as one string: getText() on a 30 MB document is a block of its own.
  if (wholeDocumentKind(doc) !== null) return null; // a single JSON document (array / object) is read by the viewer, not per line
  const length = doc.lineCount > 0 ? doc.offsetAt(doc.lineAt(doc.lineCount - 1).range.end) : 0;
  const useWorkers = opts.workers ?? length >= WORKER_THRESHOLD_CHARS;
  // Inputs of deferred analyses, kept so that hovers and decorations can analyse one sample on demand.
  const inputs: AnalyseInput[] = [];
  let pool: AnalysisPool | null = null;
  let builder: RunBuilder;
  const base = { ...runOptionsFromSettings(settings), keepSamples: true };
  if (useWorkers) pool = startPool((index, bits, flags) => builder.applyFlags(index, flags ?? bits));
  if (pool) {
    const p = pool;
    builder = new RunBuilder({ ...base, deferAnalysis: (index, input) => { inputs[index] = input; p.add(index, input); } });
  } else {
    builder = new RunBuilder(base);
  }
  try {
    const model = await readLines(doc, version, builder, pool, opts.signal);
    if (model.detection === null || model.count === 0) return null;
    const sampleAtLine = new Int32Array(doc.lineCount).fill(-1);
    const lineOfSample = new Int32Array(model.count);
    for (let s = model.count - 1; s >= 0; s--) {
      const l = model.columns.line[s] - 1;
      lineOfSample[s] = l;
      if (l >= 0 && l < sampleAtLine.length) sampleAtLine[l] = s;
    }
    return { uri: doc.uri.toString(), version, model, sampleAtLine, lineOfSample, deferredInputs: pool ? inputs : null };
  } finally {
    await pool?.close();
  }
}

/** A pool for one build, or null (analyse in-thread, still sliced) when worker threads cannot be started. */
function startPool(onResult: AnalysisResult): AnalysisPool | null {
  try {
    // estimateCompression: the in-thread path (and the lazy per-sample analysis) uses the core's estimate, and the
    // flags must not depend on which path a document took.
    return new AnalysisPool(onResult, { size: Math.max(1, Math.min(4, availableParallelism() - 1)), keepFlags: true, estimateCompression: true });
  } catch (e) {
    // A missing worker bundle is an installation error: shown and logged (the sliced in-thread analysis keeps the
    // editor working meanwhile; it yields every few ms, unlike a whole-file scan).
    if (!reportMissingWorker(e)) console.error(`[rollout-lens] analysing in-thread: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
}

async function readLines(doc: vscode.TextDocument, version: number, builder: RunBuilder, pool: AnalysisPool | null, signal: AbortSignal | undefined): Promise<RunModel> {
  const file = doc.uri.fsPath;
  builder.beginFile({ path: file, stepFromName: stepFromName(file), split: splitFromName(file) });
  const lineCount = doc.lineCount;
  let record = 0;
  let sliceStart = performance.now();
  for (let i = 0; i < lineCount; i++) {
    if (performance.now() - sliceStart >= SLICE_MS) {
      if (pool) await pool.drain(); // backpressure: bounded text in flight to the workers
      await new Promise<void>((r) => setImmediate(r));
      // lineAt reads the live document: stop if it changed (or the build was cancelled) while we yielded.
      if (signal?.aborted || doc.isClosed || doc.version !== version) throw new BuildCancelled();
      sliceStart = performance.now();
    }
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
  builder.endInput();
  if (pool) await pool.drain(0);
  if (signal?.aborted || doc.isClosed || doc.version !== version) throw new BuildCancelled();
  // Groups, advantages and statistics in one synchronous step (core): the notes let the test suites attribute it.
  traceNote(`model: finish ${record} records of ${file.split('/').pop() ?? ''}`);
  const model = builder.finish();
  traceNote('model: finished');
  return model;
}

const lazyAnalyses = new WeakMap<DocumentModel, Map<number, TraceAnalysis>>();

/**
 * The trace analysis of sample `s`: from the model when it was analysed in-thread, otherwise computed on demand
 * from the same input the workers got (one sample is cheap) and cached per model. Same result either way.
 */
export function analysisOf(dm: DocumentModel, s: number): TraceAnalysis | undefined {
  const kept = dm.model.analyses?.[s];
  if (kept) return kept;
  const input = dm.deferredInputs?.[s];
  if (!input) return undefined;
  let perModel = lazyAnalyses.get(dm);
  if (!perModel) {
    perModel = new Map();
    lazyAnalyses.set(dm, perModel);
  }
  let a = perModel.get(s);
  if (!a) {
    a = analyseCompletion(input);
    perModel.set(s, a);
  }
  return a;
}

/** Whole-document JSON (pretty-printed object or array) is not JSONL: detect it cheaply from its first line. */
function wholeDocumentKind(doc: vscode.TextDocument): 'array' | 'object' | null {
  let i = 0;
  let first = '';
  for (; i < doc.lineCount; i++) {
    first = (i === 0 ? doc.lineAt(0).text.replace(/^\uFEFF/, '') : doc.lineAt(i).text).trim();
    if (first.length > 0) break;
  }
  if (first.startsWith('[')) return 'array';
  // One object per line is JSONL; an object spanning several lines is a single document.
  if (first.startsWith('{') && i < doc.lineCount - 1 && !first.endsWith('}')) return 'object';
  return null;
}
