// The Rollout Viewer's data side, without vscode: streams a file or run folder once (keeping record offsets),
// builds the run model, then answers the webview's requests — list queries, row pages, one sample, one group,
// chart aggregates — by reading single records through the offset index. The whole file never leaves the host.
import { JsonlRecordIndex } from '../record-index';
import { removeSpill } from '../decompress';
import { SpilledRecords } from './record-spill';
import { expandRecordPath, parsePath } from '../../core/formats/nested';
import type { RunModel, FileContext } from '../../core/run/run-builder';
import { normaliseRecord } from '../../core/formats/normalise';
import { membersOf } from '../../core/groups/group-builder';
import type { InferenceReport, JsonValue, RawRecord, Sample } from '../../core/types';
import { deriveScan, scanRun, type ScanDerived, type ScanEvents, type ScanOptions } from './run-scan';
import { scanInWorker } from './scan-in-worker';
import { runQuery } from '../../core/viewer/sample-query';
import { chartAggregates, groupOrder, groupPage } from '../../core/viewer/aggregates';
import { groupDetail, previewOf, sampleDetail, sampleRow } from '../../core/viewer/sample-detail';
import { searchRun, type SearchProgress } from './sample-search';
import { readSidecar, type SidecarSummary } from '../scoring/sidecar';
import { disagreementLabel } from '../../core/scoring/disagreement';
import { promptHistory, promptKey } from '../../core/viewer/history';
import { chartAggregatesForStep, runTrends } from '../../core/viewer/trends';
import { runHealth } from '../../core/run/health';
import type { CompareSide } from '../../core/viewer/compare';
import { promptText } from '../../core/run/sample-text';
import { isAgenticRun } from '../../core/trajectory/tally';
import type {
  ChartAggregates, FlagKindName, GroupDetail, HealthReport, GroupOrder, GroupPage, OverviewInference, PromptHistory, RunOverview, SampleDetail, SampleQuery, SampleRow, SearchRequest, SearchStatus,
  StepSelection, StepTrend,
} from '../../protocol/viewer-protocol';

export interface RunSessionOptions extends ScanOptions {
  /** Built worker script (dist/viewer-worker.js): scan there, off the caller's event loop. */
  workerScript?: string;
}

export type { ScanEvents } from './run-scan';

interface FileSlot {
  ctx: FileContext;
  index: JsonlRecordIndex | null;
  /** Records of files without an offset index (parquet, one JSON object), from the scan's temporary copy. */
  spilled: SpilledRecords | null;
  /** Decompressed copy of a compressed file that the index reads (removed with the slot). */
  dataPath: string | null;
}

/** The list's turn and tool columns and filters appear for multi-turn / agentic runs only. */
function toolsOverview(m: RunModel): RunOverview['tools'] {
  const t = m.trajectories;
  if (!isAgenticRun(t)) return null;
  let maxTurns = 0;
  for (let i = 0; i < t.turns.length; i++) if (t.turns[i] > maxTurns) maxTurns = t.turns[i];
  return { total: t.total, byName: t.byName, malformed: t.malformed, maxTurns };
}

export class RunSession {
  model: RunModel | null = null;
  isFolder = false;
  readonly timings: { firstSamplesMs: number | null; fullStatsMs: number | null } = { firstSamplesMs: null, fullStatsMs: null };
  private slots: FileSlot[] = [];
  /** Position of each sample among the samples of its record (a record may hold a whole group). */
  private sub: Uint32Array = new Uint32Array(0);
  private readonly searches = new Map<number, Uint8Array>();
  private nextSearchId = 1;
  private query: { id: number; order: Int32Array } | null = null;
  private readonly orders = new Map<GroupOrder, Int32Array>();
  private aggregatesCache: ChartAggregates | null = null;
  private trendsCache: StepTrend[] | null = null;
  private healthCache: HealthReport | null = null;
  /** Whole-run figures computed by the scan worker (null when the scan ran in this thread). */
  private derived: ScanDerived | null = null;
  /** Scoring results next to the log (Score File with the sidecar on), joined by sample index. */
  sidecar: SidecarSummary | null = null;
  /** One prompt key per sample and a one-line preview per key, read on first use (history, compare). */
  private prompts: Promise<{ keys: (string | null)[]; previews: Map<string, string> }> | null = null;
  /** How many times the run was read (a live run is read again when it grows). */
  generation = 0;

  constructor(readonly path: string, private opts: RunSessionOptions = {}) {}

  /** New reading options (a field mapping set from the viewer); they apply from the next scan(). */
  setOptions(opts: Partial<RunSessionOptions>): void {
    this.opts = { ...this.opts, ...opts };
  }

  /**
   * Field paths of the first record (one level of nesting, `doc.query`), as the detection sees them: inside the
   * record path of an inferred format. For the field mapping picker; empty when nothing could be read.
   */
  async recordKeys(): Promise<string[]> {
    const slot = this.slots.find((x) => x.index !== null || (x.spilled !== null && x.spilled.size > 0));
    if (!slot) return [];
    let value: JsonValue | undefined;
    if (slot.spilled) value = (await slot.spilled.first())?.value;
    else if (slot.index) {
      const r = await slot.index.read(0);
      value = r.ok ? r.record.value : undefined;
    }
    if (value === undefined) return [];
    const recordPath = this.model?.detection?.inference?.recordPath;
    const rec = recordPath ? expandRecordPath(value, parsePath(recordPath))[0] : value;
    return fieldPaths(rec);
  }

  /** Streams the input once (in a worker when one is given). Resolves with the model; rejects with an AbortError when cancelled. */
  async scan(events: ScanEvents = {}, signal?: AbortSignal): Promise<RunModel> {
    const t0 = performance.now();
    const { workerScript, ...opts } = this.opts;
    const r = workerScript ? await scanInWorker(workerScript, this.path, opts, events, signal) : await scanRun(this.path, opts, events, signal);
    const byPath = new Map(r.files.map((f) => [f.path, f]));
    const oldSlots = this.slots;
    this.slots = r.model.files.map((ctx) => {
      const f = byPath.get(ctx.path);
      // A compressed file's offsets point into its decompressed copy (decompress.ts: spillDecompressed).
      const index = f?.offsets ? new JsonlRecordIndex(f.dataPath ?? ctx.path, f.offsets, ctx.path, 1, f.container === 'json-array' ? 'json-array' : 'jsonl') : null;
      return { ctx, index, spilled: f?.spilled ? new SpilledRecords(f.spilled) : null, dataPath: f?.dataPath ?? null };
    });
    this.sub = subIndices(r.model);
    this.isFolder = r.isFolder;
    this.model = r.model;
    this.timings.firstSamplesMs = r.firstSamplesMs;
    this.timings.fullStatsMs = performance.now() - t0;
    // A re-read (live tail): everything derived from the previous model goes; list order ids stay valid
    // only for the query the webview runs again.
    this.generation++;
    this.query = null;
    this.orders.clear();
    this.searches.clear();
    this.aggregatesCache = r.derived?.aggregates ?? null;
    this.trendsCache = r.derived?.trends ?? null;
    this.healthCache = r.derived?.health ?? null;
    this.derived = r.derived ?? null;
    this.prompts = null;
    for (const s of oldSlots) await closeSlot(s);
    // A sidecar that matches this run (one line per sample) brings the recorded-vs-recomputed disagreements.
    if (!r.isFolder) {
      const side = await readSidecar(this.path, { maxScores: 0, signal }).catch(() => null);
      this.sidecar = side && side.samples === r.model.count ? side : null;
    }
    return r.model;
  }

  /** Prompt keys of every sample: one read per group (its members share the prompt), one per ungrouped sample. */
  promptKeys(): Promise<{ keys: (string | null)[]; previews: Map<string, string> }> {
    const m = this.requireModel();
    this.prompts ??= (async () => {
      const keys: (string | null)[] = new Array<string | null>(m.count).fill(null);
      const previews = new Map<string, string>();
      const { groupOf, groupStart, groupMembers, count } = m.groups.grouping;
      const keyOf = async (i: number): Promise<string | null> => {
        const s = await this.sample(i).catch(() => null);
        if (!s) return null;
        const text = promptText(s.prompt);
        const k = promptKey(text);
        if (k !== null && !previews.has(k)) previews.set(k, previewOf(s));
        return k;
      };
      for (let g = 0; g < count; g++) {
        if (groupStart[g + 1] === groupStart[g]) continue;
        const k = await keyOf(groupMembers[groupStart[g]]);
        for (let j = groupStart[g]; j < groupStart[g + 1]; j++) keys[groupMembers[j]] = k;
      }
      for (let i = 0; i < m.count; i++) if (groupOf[i] < 0) keys[i] = await keyOf(i);
      return { keys, previews };
    })();
    return this.prompts;
  }

  /** The prompt of sample `index` at every step of the run. */
  async history(index: number): Promise<PromptHistory | null> {
    const m = this.requireModel();
    if (index < 0 || index >= m.count) return null;
    const { keys } = await this.promptKeys();
    const key = keys[index];
    const s = await this.sample(index);
    if (key === null || !s) return { key: '', prompt: s ? promptText(s.prompt) : null, from: index, steps: [], recurringPrompts: 0 };
    return promptHistory(m, keys, key, index, promptText(s.prompt));
  }

  /** Where the run's per-step rates change (computed by the scan worker when there is one). */
  health(): HealthReport {
    this.healthCache ??= runHealth(this.requireModel());
    return this.healthCache;
  }

  trends(): StepTrend[] {
    this.trendsCache ??= runTrends(this.requireModel());
    return this.trendsCache;
  }

  /** Chart data for every step or one step. */
  aggregatesFor(sel: StepSelection): ChartAggregates {
    return sel.kind === 'all' ? this.aggregates() : chartAggregatesForStep(this.requireModel(), sel.step);
  }

  /** This run (or one of its steps) as a side of a comparison. */
  async compareSide(label: string, step: number | null | 'all'): Promise<{ side: CompareSide; previews: Map<string, string> }> {
    const model = this.requireModel();
    const { keys, previews } = await this.promptKeys();
    return { side: { label, path: this.path, model, keys, step }, previews };
  }

  /** Distinct steps of the run, in order (null last). */
  steps(): (number | null)[] {
    const m = this.requireModel();
    const set = new Set<number | null>();
    for (const v of m.columns.step) set.add(Number.isNaN(v) ? null : v);
    return [...set].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
  }

  private requireModel(): RunModel {
    if (this.model === null) throw new Error('the run has not been read yet');
    return this.model;
  }

  overview(title: string): RunOverview {
    const m = this.requireModel();
    // From the scan worker; in-thread scans (tests, small runs) derive it once here and keep the parts.
    this.derived ??= deriveScan(m);
    this.aggregatesCache ??= this.derived.aggregates;
    this.trendsCache ??= this.derived.trends;
    this.healthCache ??= this.derived.health;
    const d = this.derived;
    return {
      title,
      path: this.path,
      isFolder: this.isFolder,
      format: m.detection?.format ?? null,
      formatReason: m.detection?.reason ?? null,
      samples: m.count,
      groups: m.groups.grouping.count,
      zeroVarianceGroups: m.groups.stats.zeroVarianceCount,
      steps: d.steps,
      badLines: m.badLines.length,
      flagCounts: { ...m.flagCounts } as Record<FlagKindName, number>,
      tools: toolsOverview(m),
      advantageSource: m.groups.advantageSource,
      rewardRange: d.rewardRange,
      advantageRange: d.advantageRange,
      timings: { ...this.timings },
      disagreements: this.sidecar ? { count: this.sidecar.disagreements.size, compared: this.sidecar.disagreements.values().next().value?.reward ?? null, sidecar: this.sidecar.path } : null,
      inference: overviewInference(m.detection?.inference),
    };
  }

  /** Runs a list query and keeps its order for paging; returns the number of matching samples. */
  runQuery(queryId: number, q: SampleQuery): number {
    const order = runQuery({ model: this.requireModel(), searches: this.searches, disagreements: this.sidecar?.disagreements }, q);
    this.query = { id: queryId, order };
    return order.length;
  }

  /** The sample at a position of the current list, or null. */
  indexAt(queryId: number, position: number): number | null {
    if (!this.query || this.query.id !== queryId) return null;
    return position >= 0 && position < this.query.order.length ? this.query.order[position] : null;
  }

  positionOf(index: number): { position: number | null; total: number } {
    if (!this.query) return { position: index, total: this.model?.count ?? 0 };
    const p = this.query.order.indexOf(index);
    return { position: p >= 0 ? p : null, total: this.query.order.length };
  }

  async rows(queryId: number, offset: number, limit: number): Promise<SampleRow[]> {
    const m = this.requireModel();
    const order = this.query && this.query.id === queryId ? this.query.order : null;
    if (order === null) return [];
    const out: SampleRow[] = [];
    const end = Math.min(order.length, offset + limit);
    for (let p = Math.max(0, offset); p < end; p++) {
      const i = order[p];
      const s = await this.sample(i).catch(() => null);
      const row = sampleRow(m, i, s ? previewOf(s) : '');
      const d = this.sidecar?.disagreements.get(i);
      if (d) row.disagreement = disagreementLabel(d);
      out.push(row);
    }
    return out;
  }

  /** The raw record holding sample i (one positioned read). */
  async rawRecord(i: number): Promise<RawRecord | null> {
    const m = this.requireModel();
    if (i < 0 || i >= m.count) return null;
    const slot = this.slots[m.columns.fileIndex[i]];
    if (!slot) return null;
    const rec = m.columns.record[i];
    if (slot.spilled) return slot.spilled.get(rec);
    if (!slot.index) return null;
    const r = await slot.index.read(rec - 1);
    return r.ok ? r.record : null;
  }

  async sample(i: number): Promise<Sample | null> {
    const m = this.requireModel();
    const raw = await this.rawRecord(i);
    if (raw === null || m.detection === null) return null;
    const slot = this.slots[m.columns.fileIndex[i]];
    const out = normaliseRecord(raw, m.detection, { stepFromName: slot.ctx.stepFromName, split: slot.ctx.split });
    return Array.isArray(out) ? out[this.sub[i]] ?? null : null;
  }

  async detail(i: number, position?: number | null): Promise<SampleDetail | null> {
    const m = this.requireModel();
    const s = await this.sample(i);
    if (s === null) return null;
    const pos = position === undefined ? this.positionOf(i) : { position, total: this.query?.order.length ?? m.count };
    return sampleDetail(m, i, s, { lang: this.opts.lang ?? 'auto', enabled: this.opts.enabledFlags, position: pos.position, total: pos.total });
  }

  groupOrder(order: GroupOrder): Int32Array {
    let ids = this.orders.get(order);
    if (!ids) {
      ids = groupOrder(this.requireModel(), order);
      this.orders.set(order, ids);
    }
    return ids;
  }

  async group(g: number, order: GroupOrder): Promise<GroupDetail | null> {
    const m = this.requireModel();
    if (g < 0 || g >= m.groups.grouping.count) return null;
    const members: { index: number; sample: Sample }[] = [];
    for (const i of membersOf(m.groups.grouping, g)) {
      const s = await this.sample(i);
      if (s) members.push({ index: i, sample: s });
    }
    return groupDetail(m, g, members, order, this.groupOrder(order).indexOf(g));
  }

  /** The group `delta` places away from g in the given order (clamped). */
  async stepGroup(g: number, order: GroupOrder, delta: number): Promise<GroupDetail | null> {
    const ids = this.groupOrder(order);
    if (ids.length === 0) return null;
    const r = ids.indexOf(g);
    const next = Math.max(0, Math.min(ids.length - 1, (r < 0 ? 0 : r) + delta));
    return this.group(ids[next], order);
  }

  groupPage(order: GroupOrder, offset: number, limit: number): GroupPage {
    return groupPage(this.requireModel(), this.groupOrder(order), order, offset, limit);
  }

  aggregates(): ChartAggregates {
    this.aggregatesCache ??= chartAggregates(this.requireModel());
    return this.aggregatesCache;
  }

  /** Regex search over the run, streamed again in chunks; the result becomes a list filter (searchId). */
  async search(req: SearchRequest, signal?: AbortSignal, onStatus?: (s: SearchStatus) => void): Promise<SearchStatus> {
    const m = this.requireModel();
    const id = this.nextSearchId++;
    const report = (p: SearchProgress, done: boolean, cancelled: boolean, error: string | null): SearchStatus => ({
      searchId: id, done, cancelled, error, samplesScanned: p.scanned, matchingSamples: p.matching, hits: p.hits,
    });
    try {
      const r = await searchRun(this.path, m, req, { signal, chunkSize: this.opts.chunkSize, onProgress: (p) => onStatus?.(report(p, false, false, null)) });
      this.searches.set(id, r.matches);
      return report(r.progress, true, false, null);
    } catch (e) {
      const aborted = signal?.aborted === true;
      return report({ scanned: 0, matching: 0, hits: { prompt: 0, reasoning: 0, answer: 0 } }, true, aborted, aborted ? null : e instanceof Error ? e.message : String(e));
    }
  }

  async close(): Promise<void> {
    for (const s of this.slots) await closeSlot(s);
  }
}

const SHOWN_ROLES = ['completion', 'prompt', 'reward', 'gold', 'answer', 'group', 'step', 'reasoning', 'finishReason'] as const;

/** The viewer header's view of an inference: short `role ← field` items, and the evidence lines for its tooltip. */
export function overviewInference(inf: InferenceReport | undefined): OverviewInference | null {
  if (!inf) return null;
  const short: string[] = [];
  const evidence: string[] = [];
  if (inf.recordPath) evidence.push(`records found at ${inf.recordPath}`);
  for (const role of SHOWN_ROLES) {
    const ev = inf.roles[role];
    if (!ev) continue;
    short.push(`${role} ← ${ev.field}`);
    evidence.push(`${role} ← ${ev.evidence} (confidence ${ev.confidence.toFixed(2)})`);
  }
  for (const m of inf.missing) evidence.push(`not found: ${m}`);
  return { confidence: inf.confidence, weak: inf.weak, short, evidence };
}

/** Keys of an object and of its plain-object values (`doc.query`), in order. */
function fieldPaths(v: JsonValue | undefined): string[] {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
  const out: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    out.push(k);
    if (x !== null && typeof x === 'object' && !Array.isArray(x)) for (const k2 of Object.keys(x)) out.push(`${k}.${k2}`);
  }
  return out;
}

async function closeSlot(s: FileSlot): Promise<void> {
  await s.index?.close().catch(() => undefined);
  await s.spilled?.close();
  if (s.dataPath) await removeSpill(s.dataPath);
}

/** 32-bit: a nested JSON file can hold every sample of the run in one record. */
function subIndices(m: RunModel): Uint32Array {
  const sub = new Uint32Array(m.count);
  const { fileIndex, record } = m.columns;
  for (let i = 1; i < m.count; i++) {
    if (fileIndex[i] === fileIndex[i - 1] && record[i] === record[i - 1]) sub[i] = sub[i - 1] + 1;
  }
  return sub;
}
