// Worker side of the parallel reader: reads one byte range of a JSONL file, splits, parses and normalises its
// lines and analyses every sample, exactly as jsonl-scan.ts + RunBuilder.addRecord would on the main thread, and
// returns compact columns (range-messages.ts). The main thread then only merges numbers and group keys, so that
// reading a 1 GB file uses both cores for the parse as well as for the analysis.
//
// Line handling mirrors scanJsonl's handleLine line for line (BOM, CR, blank lines, invalid UTF-8, tolerant JSON,
// an unterminated last line); notes are returned as events so that the main thread applies the file-wide limits
// (first 100 invalid-UTF-8 notes, one non-finite note) in file order. Keep the two in lockstep.
import { isUtf8 } from 'node:buffer';
import { openSync, readSync, closeSync } from 'node:fs';
import { parseJsonTolerant } from '../core/json-tolerant';
import { normaliseRecord } from '../core/formats/normalise';
import { analyseCompletion } from '../core/analyse';
import { agenticFields } from '../core/trajectory/analyse-fields';
import { completionStats } from '../core/trajectory/trajectory';
import { completionText, promptGroupKey, promptText } from '../core/run/sample-text';
import { flagBitsOf } from '../core/run/run-builder';
import type { Flag, RawRecord } from '../core/types';
import { RecordEmitter, type EmitPosition } from './record-emitter';
import { RecordOffsets } from './record-offsets';
import { zlibCompressRatio } from './zlib-ratio';
import { GROUP_KEY_SOURCES, type RangeEvent, type RangeResult, type RangeTask } from './range-messages';

const LF = 0x0a;
const CR = 0x0d;


function isBlank(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== CR && c !== LF) return false;
  }
  return true;
}

function isAllNul(b: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (b[i] !== 0) return false;
  return true;
}

function readRange(path: string, start: number, end: number): Buffer {
  const buf = Buffer.allocUnsafe(end - start);
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

class Strings {
  readonly list: string[] = [];
  private readonly index = new Map<string, number>();
  id(s: string | null): number {
    if (s === null) return -1;
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

class F64 {
  a = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done(): Float64Array {
    return this.a.slice(0, this.n);
  }
}

class I32 {
  a = new Int32Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done(): Int32Array {
    return this.a.slice(0, this.n);
  }
}

export function prepareRange(task: RangeTask): RangeResult {
  const t0 = performance.now();
  const file = task.path;
  const det = task.detection;
  const ctx = { stepFromName: task.stepFromName, split: task.split };
  const events: RangeEvent[] = [];
  const strings = new Strings();
  const reward = new F64();
  const advantage = new F64();
  const step = new F64();
  const chars = new F64();
  const lineCol = new I32();
  const recordCol = new I32();
  const bits = new I32();
  const groupKey = new I32();
  const promptKey = new I32();
  const split = new I32();
  const source = new I32();
  const flags: Flag[][] | undefined = task.keepFlags ? [] : undefined;
  const turns = new I32();
  const toolCalls = new I32();
  const toolErrors = new I32();
  const toolNames = Object.create(null) as Record<string, number>;
  let malformedCalls = 0;
  const nameBits = new I32();
  const nameList: string[] = [];
  const offsets = task.keepOffsets ? new RecordOffsets() : null;

  const onRecord = (raw: RawRecord): void => {
    const out = normaliseRecord(raw, det, ctx);
    if (!Array.isArray(out)) {
      events.push({ kind: 'bad', line: raw.source.line ?? raw.source.record, error: out.error });
      return;
    }
    for (const s of out) {
      const text = completionText(s.completion);
      reward.push(s.reward ?? NaN);
      advantage.push(s.advantage ?? NaN);
      step.push(s.step ?? NaN);
      lineCol.push(s.source.line ?? 0);
      recordCol.push(s.source.record);
      chars.push(text.length);
      groupKey.push(strings.id(s.groupKey));
      promptKey.push(strings.id(promptGroupKey(s.prompt)));
      split.push(strings.id(s.split));
      source.push(GROUP_KEY_SOURCES.indexOf(s.groupKeySource));
      const ts = completionStats(s.completion);
      turns.push(ts.turns);
      toolCalls.push(ts.toolCalls);
      toolErrors.push(ts.toolErrors);
      malformedCalls += ts.malformed;
      let nb = 0;
      for (const [k, v] of Object.entries(ts.byName)) {
        toolNames[k] = (toolNames[k] ?? 0) + v;
        let at = nameList.indexOf(k);
        if (at < 0) at = nameList.push(k) - 1;
        if (at < 31) nb |= 1 << at;
      }
      nameBits.push(nb);
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
          });
          b = flagBitsOf(a.flags);
          flags?.push(a.flags);
        } catch {
          // As in analysis-worker.ts: a detector bug must not lose the range; the sample gets no flags.
          flags?.push([]);
        }
      } else {
        flags?.push([]);
      }
      bits.push(b);
    }
  };
  const emitter = new RecordEmitter(
    { onRecord, onBadLine: (b) => events.push({ kind: 'bad', line: b.line, error: b.error }) },
    true,
    offsets,
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
    if (lineNo === 1 && off === 0 && e - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf) {
      s += 3;
      off += 3;
      events.push({ kind: 'note', note: 'bom', line: 1 });
    }
    if (e > s && b[e - 1] === CR) e--;
    if (e === s || (b[s] !== 0x7b && isBlank(b, s, e))) return;
    if (b[s] === 0 && isAllNul(b, s, e)) {
      emitter.bad(pos(lineNo, off, e - s), `line is ${e - s} NUL bytes (a crash can leave the end of a file unwritten)`);
      return;
    }
    const valid = knownUtf8 || isUtf8(b.subarray(s, e));
    let text: string;
    try {
      text = b.toString('utf8', s, e);
    } catch {
      emitter.bad(pos(lineNo, off, e - s), `line is too long to decode (${e - s} bytes)`);
      return;
    }
    if (!valid) events.push({ kind: 'note', note: 'invalid-utf8', line: lineNo });
    const parsed = parseJsonTolerant(text);
    if (!parsed.ok) {
      if (!terminated) {
        pendingTail = true;
        events.push({ kind: 'note', note: 'incomplete-last-line', line: lineNo });
        return;
      }
      emitter.bad(pos(lineNo, off, e - s), parsed.error);
      return;
    }
    if (parsed.nonFinite) events.push({ kind: 'note', note: 'non-finite-number', line: lineNo });
    const produced = emitter.emit(parsed.value, pos(lineNo, off, e - s));
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

  const result: RangeResult = {
    type: 'range',
    id: task.id,
    lines: line - 1,
    records: emitter.record - 1,
    reward: reward.done(),
    advantage: advantage.done(),
    step: step.done(),
    chars: chars.done(),
    line: lineCol.done(),
    record: recordCol.done(),
    flagBits: Uint8Array.from(bits.done()),
    strings: strings.list,
    groupKey: groupKey.done(),
    promptKey: promptKey.done(),
    split: split.done(),
    groupKeySource: Uint8Array.from(source.done()),
    events,
    flags,
    turns: turns.done(),
    toolCalls: toolCalls.done(),
    toolErrors: toolErrors.done(),
    toolNames,
    malformedCalls,
    toolNameBits: nameBits.done(),
    toolNameList: nameList,
    tailRecordEmitted,
    pendingTail,
    ms: performance.now() - t0,
  };
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

/** Buffers a RangeResult moves (not copies) to the main thread. */
export function transferList(r: RangeResult): ArrayBuffer[] {
  const list = [r.reward, r.advantage, r.step, r.chars, r.line, r.record, r.flagBits, r.groupKey, r.promptKey, r.split, r.groupKeySource].map((a) => a.buffer as ArrayBuffer);
  if (r.offsets) list.push(r.offsets.byteOffset.buffer as ArrayBuffer, r.offsets.byteLength.buffer as ArrayBuffer, r.offsets.line.buffer as ArrayBuffer, r.offsets.row.buffer as ArrayBuffer);
  return list;
}
