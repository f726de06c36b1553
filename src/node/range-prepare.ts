// Worker side of the parallel reader: reads one byte range of a JSONL file (or the items of a JSON array in a byte
// range, or a span of parquet row groups: prepareTask), splits, parses and normalises its records and analyses every
// sample, exactly as the streaming readers + RunBuilder.addRecord would on the main thread, and
// returns compact columns (range-messages.ts). The main thread then only merges numbers and group keys, so that
// reading a 1 GB file uses both cores for the parse as well as for the analysis.
//
// Lines are classified by the same rules as scanJsonl's (jsonl-line.ts: BOM, CR, blank lines, invalid UTF-8,
// tolerant JSON, an unterminated last line, huge non-records); notes are returned as events so that the main thread
// applies the file-wide limits (first 100 invalid-UTF-8 notes, one non-finite note) in file order.
import { isUtf8 } from 'node:buffer';
import { openSync, readSync, closeSync } from 'node:fs';
import { normaliseRecord } from '../core/formats/normalise';
import { analyseCompletion } from '../core/analyse';
import { agenticFields } from '../core/trajectory/analyse-fields';
import { completionTrajectory, trajectoryStats } from '../core/trajectory/trajectory';
import { completionText, promptGroupKey, promptText } from '../core/run/sample-text';
import { flagBitsOf } from '../core/run/run-builder';
import { FloatVec, IntVec } from '../core/groups/int-vec';
import { Interner } from '../core/text/interner';
import { relogRowHash } from '../core/groups/relog';
import type { Flag, RawRecord } from '../core/types';
import { scanJsonArray } from './json-container';
import { classifyLine } from './jsonl-line';
import { readParquet } from './parquet-reader';
import { SpillChunkBuilder } from './viewer/record-spill';
import type { ReadHandlers } from './read-types';
import { RecordEmitter, type EmitPosition } from './record-emitter';
import { COLUMNAR_SCAN_MIN_BYTES, scanColumnarLine } from './columnar-line';
import { RecordOffsets } from './record-offsets';
import { zlibCompressRatio } from './zlib-ratio';
import { GROUP_KEY_SOURCES, type RangeEvent, type RangeResult, type RangeTask } from './range-messages';

const LF = 0x0a;
const CR = 0x0d;

/**
 * The thread's read buffer, reused by its line ranges: a worker runs them one after the other (analysis-worker.ts)
 * and nothing keeps a view of the bytes past prepareRange (cells and lines are decoded into new strings). A fresh
 * 8 MB buffer per ROLL step file left one or two dead ones per worker waiting for a GC, and freed blocks that size
 * stay in the allocator's arenas: RSS that grew with the run (issue #18).
 */
let scratch: Buffer | null = null;
/** Larger ranges (one huge line) get their own buffer, so that a worker does not keep it after the range. */
const SCRATCH_MAX_BYTES = 32 << 20;
const SCRATCH_STEP = 1 << 20;

function rangeBuffer(n: number): Buffer {
  if (n > SCRATCH_MAX_BYTES) return Buffer.allocUnsafe(n);
  // Rounded up to whole MB so that step files a few bytes longer than the last one do not each reallocate.
  if (scratch === null || scratch.length < n) scratch = Buffer.allocUnsafe(Math.ceil(n / SCRATCH_STEP) * SCRATCH_STEP);
  return scratch.subarray(0, n);
}

function readRange(path: string, start: number, end: number): Buffer {
  const buf = rangeBuffer(end - start);
  const fd = openSync(path, 'r');
  try {
    let done = 0;
    while (done < buf.length) {
      const n = readSync(fd, buf, done, buf.length - done, start + done);
      if (n === 0) break;
      done += n;
    }
    return done === buf.length ? buf : buf.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

/** Reads, parses, normalises and analyses one task (see RangeUnit); the result's numbers are range-relative. */
export async function prepareTask(task: RangeTask): Promise<RangeResult> {
  const unit = task.unit ?? { kind: 'lines' };
  if (unit.kind === 'lines') return prepareRange(task);
  const t0 = performance.now();
  const p = new Preparer(task);
  const handlers: ReadHandlers = {
    onRecord: (raw) => p.onRecord(raw),
    onBadLine: (b) => p.events.push({ kind: 'bad', line: b.line, error: b.error }),
    onNote: (n) => p.events.push({ kind: 'read-note', note: { line: n.line, kind: n.kind, message: n.message }, utf8Item: n.kind === 'invalid-utf8' }),
  };
  let records: number;
  let spilled: RangeResult['spill'];
  if (unit.kind === 'items') {
    const s = await scanJsonArray(task.path, handlers, {
      displayName: task.path, keepOffsets: task.keepOffsets,
      range: { start: task.start, end: task.end, itemBase: unit.itemBase, first: unit.first, last: task.last },
    });
    records = s.records;
    if (s.offsets) p.offsets = s.offsets;
  } else {
    // The viewer reads rows back from a temporary copy (record-spill.ts): this range's lines of it.
    const spill = task.keepOffsets ? new SpillChunkBuilder() : null;
    if (spill) {
      handlers.onRecord = (raw) => {
        spill.add(raw);
        p.onRecord(raw);
      };
    }
    records = (await readParquet(task.path, handlers, { displayName: task.path, rowGroups: { from: unit.fromGroup, to: unit.toGroup } })).records;
    spilled = spill?.finish();
  }
  // Items and rows carry their absolute numbers (itemBase, row groups); no lines to re-base.
  const result = p.result(0, records, false, false, performance.now() - t0);
  if (spilled) result.spill = spilled;
  return result;
}

/**
 * Column vectors reused by the thread's tasks. A task's columns grow by doubling while its range is parsed, so they
 * and their smaller copies survive scavenges and die in the old generation, where only a full GC frees them: about
 * 1 MB of dead ArrayBuffers per ROLL step file, 20–40 MB per worker between full GCs (issue #18). Reused, they are
 * allocated once per worker. A task takes them all and gives them back in result(); a second task running at the
 * same time (none does in analysis-worker.ts, but the function allows it) simply gets new ones.
 */
const spareInts: IntVec[] = [];
const spareFloats: FloatVec[] = [];

function intVec(): IntVec {
  const v = spareInts.pop();
  if (v === undefined) return new IntVec();
  v.clear();
  return v;
}

function floatVec(): FloatVec {
  const v = spareFloats.pop();
  if (v === undefined) return new FloatVec();
  v.clear();
  return v;
}

/** The per-sample work shared by every unit: normalise, analyse, and collect compact columns. */
class Preparer {
  readonly events: RangeEvent[] = [];
  private readonly strings = new Interner();
  private readonly reward = floatVec();
  private readonly advantage = floatVec();
  private readonly step = floatVec();
  private readonly chars = floatVec();
  private readonly lineCol = intVec();
  private readonly recordCol = intVec();
  private readonly bits = intVec();
  private readonly groupKey = intVec();
  private readonly promptKey = intVec();
  private readonly split = intVec();
  private readonly source = intVec();
  // Multi-turn samples (docs/agentic.md): turns, tool calls and errors per sample, tool names of the range.
  private readonly turns = intVec();
  private readonly toolCalls = intVec();
  private readonly toolErrors = intVec();
  private readonly toolNames = Object.create(null) as Record<string, number>;
  private malformedCalls = 0;
  private readonly nameCount = intVec();
  private readonly nameIds = intVec();
  private readonly nameList: string[] = [];
  private readonly nameIndex = new Map<string, number>();
  private readonly flags: Flag[][] | undefined;
  // TRL: each row's re-log hash, combined per step batch in file order by the main thread (RunBuilder.addPrepared).
  private readonly relogHash: FloatVec | null;
  offsets: RecordOffsets | null;
  private readonly ctx: { stepFromName: number | null; split: RangeTask['split'] };

  constructor(private readonly task: RangeTask) {
    this.flags = task.keepFlags ? [] : undefined;
    this.relogHash = task.detection.format === 'trl' ? floatVec() : null;
    this.offsets = task.keepOffsets ? new RecordOffsets() : null;
    this.ctx = { stepFromName: task.stepFromName, split: task.split };
  }

  onRecord(raw: RawRecord): void {
    const task = this.task;
    const out = normaliseRecord(raw, task.detection, this.ctx);
    if (!Array.isArray(out)) {
      // Without a line (rows, items) the streaming path numbers the bad record by its record number: re-based later.
      if (raw.source.line === null) this.events.push({ kind: 'bad', line: raw.source.record, error: out.error, byRecord: true });
      else this.events.push({ kind: 'bad', line: raw.source.line, error: out.error });
      return;
    }
    for (const s of out) {
      const text = completionText(s.completion);
      this.reward.push(s.reward ?? NaN);
      this.advantage.push(s.advantage ?? NaN);
      this.step.push(s.step ?? NaN);
      this.lineCol.push(s.source.line ?? 0);
      this.recordCol.push(s.source.record);
      this.chars.push(text.length);
      this.groupKey.push(this.strings.id(s.groupKey));
      this.promptKey.push(this.strings.id(promptGroupKey(s.prompt)));
      this.split.push(this.strings.id(s.split));
      this.source.push(GROUP_KEY_SOURCES.indexOf(s.groupKeySource));
      this.relogHash?.push(s.step === null ? NaN : relogRowHash(promptGroupKey(s.prompt) ?? '', text, Object.values(s.rewardComponents), s.advantage));
      // Parsed once: its counts fill the turn and tool columns, and analyseCompletion reads the same trajectory.
      const trajectory = completionTrajectory(s.completion);
      const ts = trajectoryStats(trajectory);
      this.turns.push(ts.turns);
      this.toolCalls.push(ts.toolCalls);
      this.toolErrors.push(ts.toolErrors);
      this.malformedCalls += ts.malformed;
      let called = 0;
      for (const [k, v] of Object.entries(ts.byName)) {
        this.toolNames[k] = (this.toolNames[k] ?? 0) + v;
        let at = this.nameIndex.get(k);
        if (at === undefined) {
          at = this.nameList.push(k) - 1;
          this.nameIndex.set(k, at);
        }
        this.nameIds.push(at);
        called++;
      }
      this.nameCount.push(called);
      let b = 0;
      if (task.analyse) {
        try {
          const a = analyseCompletion({
            completion: text,
            prompt: promptText(s.prompt),
            finishReason: s.finishReason,
            targetLanguage: task.lang,
            enabled: task.enabledFlags,
            compressRatio: zlibCompressRatio,
            ...agenticFields(s),
            conventions: task.conventions ?? null,
            trajectory,
            flagsOnly: true,
          });
          b = flagBitsOf(a.flags);
          this.flags?.push(a.flags);
        } catch {
          // As in analysis-worker.ts: a detector bug must not lose the range; the sample gets no flags.
          this.flags?.push([]);
        }
      } else {
        this.flags?.push([]);
      }
      this.bits.push(b);
    }
  }

  result(lines: number, records: number, tailRecordEmitted: boolean, pendingTail: boolean, ms: number): RangeResult {
    const result: RangeResult = {
      type: 'range',
      id: this.task.id,
      lines,
      records,
      reward: this.reward.toArray(),
      advantage: this.advantage.toArray(),
      step: this.step.toArray(),
      chars: this.chars.toArray(),
      line: this.lineCol.toArray(),
      record: this.recordCol.toArray(),
      flagBits: Uint8Array.from(this.bits.toArray()),
      strings: this.strings.list,
      groupKey: this.groupKey.toArray(),
      promptKey: this.promptKey.toArray(),
      split: this.split.toArray(),
      groupKeySource: Uint8Array.from(this.source.toArray()),
      events: this.events,
      flags: this.flags,
      turns: this.turns.toArray(),
      toolCalls: this.toolCalls.toArray(),
      toolErrors: this.toolErrors.toArray(),
      toolNames: this.toolNames,
      malformedCalls: this.malformedCalls,
      toolNameCount: this.nameCount.toArray(),
      toolNameIds: this.nameIds.toArray(),
      toolNameList: this.nameList,
      relogHash: this.relogHash?.toArray(),
      tailRecordEmitted,
      pendingTail,
      ms,
    };
    // Every column is copied above (toArray): the vectors go back for the thread's next task.
    spareFloats.push(this.reward, this.advantage, this.step, this.chars);
    if (this.relogHash) spareFloats.push(this.relogHash);
    spareInts.push(this.lineCol, this.recordCol, this.bits, this.groupKey, this.promptKey, this.split, this.source, this.turns, this.toolCalls, this.toolErrors, this.nameCount, this.nameIds);
    const offsets = this.offsets;
    if (offsets) {
      const n = offsets.count;
      const o = { byteOffset: new Float64Array(n), byteLength: new Int32Array(n), line: new Int32Array(n), row: new Int32Array(n) };
      for (let i = 0; i < n; i++) {
        o.byteOffset[i] = offsets.offset(i);
        o.byteLength[i] = offsets.length(i);
        o.line[i] = offsets.line(i);
        o.row[i] = offsets.row(i) ?? -1;
      }
      result.offsets = o;
    }
    return result;
  }
}

export function prepareRange(task: RangeTask): RangeResult {
  const t0 = performance.now();
  const file = task.path;
  const prep = new Preparer(task);
  const events = prep.events;
  const emitter = new RecordEmitter(
    { onRecord: (raw) => prep.onRecord(raw), onBadLine: (b) => events.push({ kind: 'bad', line: b.line, error: b.error }) },
    true,
    prep.offsets,
    1,
  );
  let line = 1;
  let tailRecordEmitted = false;
  let pendingTail = false;
  const pos = (lineNo: number, off: number, len: number): EmitPosition => ({
    file, line: lineNo, badLineNumber: lineNo, byteOffset: off, byteLength: len, rowIndex: null, unit: 'line',
  });

  const handleLine = (b: Buffer, s: number, e: number, off: number, knownUtf8: boolean, terminated: boolean): void => {
    const lineNo = line++;
    // A ROLL step line (megabytes, column-oriented): rows parsed one at a time from the raw bytes (columnar-line.ts),
    // never the whole line at once. Anything the cell scanner would not read as JSON.parse does falls through to the
    // line rules below.
    const ce = e > s && b[e - 1] === CR ? e - 1 : e;
    const layout = ce - s >= COLUMNAR_SCAN_MIN_BYTES && b[s] === 0x7b ? scanColumnarLine(b, s, ce) : null;
    if (layout !== null) {
      if (!(knownUtf8 || isUtf8(b.subarray(s, ce)))) events.push({ kind: 'note', note: 'invalid-utf8', line: lineNo });
      const produced = emitter.emitColumnarLine(b, layout, pos(lineNo, off, ce - s));
      if (!terminated) tailRecordEmitted = produced > 0;
      return;
    }
    const c = classifyLine(b, s, e, off, lineNo, knownUtf8, terminated);
    if (c.bom) events.push({ kind: 'note', note: 'bom', line: 1 });
    const o = c.outcome;
    if (o.kind === 'blank') return;
    if (c.invalidUtf8) events.push({ kind: 'note', note: 'invalid-utf8', line: lineNo });
    if (o.kind === 'bad') {
      emitter.bad(pos(lineNo, c.offset, c.length), o.error);
      return;
    }
    if (o.kind === 'incomplete') {
      pendingTail = true;
      events.push({ kind: 'note', note: 'incomplete-last-line', line: lineNo });
      return;
    }
    if (o.nonFinite) events.push({ kind: 'note', note: 'non-finite-number', line: lineNo });
    const produced = emitter.emit(o.value, pos(lineNo, c.offset, c.length));
    if (!terminated) tailRecordEmitted = produced > 0;
  };

  const buf = readRange(task.path, task.start, task.end);
  const lastNl = buf.lastIndexOf(LF);
  const allUtf8 = lastNl > 0 ? isUtf8(buf.subarray(0, lastNl)) : false;
  let p = 0;
  while (p < buf.length) {
    const nl = buf.indexOf(LF, p);
    if (nl < 0) {
      // Only the file's last range can end without '\n' (ranges are cut after a newline).
      handleLine(buf, p, buf.length, task.start + p, false, !task.last);
      break;
    }
    handleLine(buf, p, nl, task.start + p, allUtf8, true);
    p = nl + 1;
  }

  return prep.result(line - 1, emitter.record - 1, tailRecordEmitted, pendingTail, performance.now() - t0);
}

/** Buffers a RangeResult moves (not copies) to the main thread. */
export function transferList(r: RangeResult): ArrayBuffer[] {
  const list = [r.reward, r.advantage, r.step, r.chars, r.line, r.record, r.flagBits, r.groupKey, r.promptKey, r.split, r.groupKeySource].map((a) => a.buffer as ArrayBuffer);
  if (r.relogHash) list.push(r.relogHash.buffer as ArrayBuffer);
  if (r.offsets) list.push(r.offsets.byteOffset.buffer as ArrayBuffer, r.offsets.byteLength.buffer as ArrayBuffer, r.offsets.line.buffer as ArrayBuffer, r.offsets.row.buffer as ArrayBuffer);
  if (r.spill) list.push(r.spill.bytes.buffer as ArrayBuffer, r.spill.lengths.buffer as ArrayBuffer, r.spill.records.buffer as ArrayBuffer);
  return list;
}
