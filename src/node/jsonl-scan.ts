// Streaming JSONL scan (docs/formats.md §2.6): reads through one reusable buffer (never the whole file as a string),
// splits on '\n' with Buffer.indexOf, and tolerates what real trainers write: a BOM, CRLF, blank lines, NaN
// literals, invalid UTF-8, a last line still being written, lines of hundreds of MB. Callbacks are synchronous
// because a Promise per line would cost more than the parse itself.
import { isUtf8 } from 'node:buffer';
import { promises as fsp } from 'node:fs';
import { parseJsonTolerant } from '../core/json-tolerant';
import type { ReadHandlers, ReadSource } from './read-types';
import { RecordEmitter } from './record-emitter';
import { RecordOffsets } from './record-offsets';

export const DEFAULT_CHUNK_SIZE = 4 << 20;
/** Per-line notes beyond this are summarised once, so that a file of garbage does not flood the UI. */
const MAX_NOTES_PER_KIND = 100;

export interface ScanOptions {
  signal?: AbortSignal;
  /** Byte offset to start at (a live tail resumes at the previous endOffset). */
  startOffset?: number;
  /** Line number of the line that starts at startOffset (1-based). */
  startLine?: number;
  /** Record number given to the first record emitted (1-based). */
  startRecord?: number;
  /** Keep the offset/length of every record for random access (RecordOffsets). */
  keepOffsets?: boolean;
  /** Expand ROLL column-oriented lines and W&B table objects into one record per row. */
  expandContainers?: boolean;
  /** Read buffer size; tests use tiny values to put chunk boundaries everywhere. */
  chunkSize?: number;
  /** Name used in SourceRef.file / BadLine.file; defaults to the path. */
  displayName?: string;
  /** Read through this instead of opening `path` (a decompressing reader); the scan closes it. */
  source?: ReadSource;
}

export interface ScanStats {
  /** Physical lines seen (including blank ones and a pending last line). */
  lines: number;
  records: number;
  badLines: number;
  blankLines: number;
  invalidUtf8Lines: number;
  nonFiniteLines: number;
  /** Bytes read by this scan. */
  bytes: number;
  /** File size when the scan started. */
  totalBytes: number;
  /** Offset just after the last newline-terminated line: where a live tail resumes. */
  endOffset: number;
  /** Line number of the line that starts at endOffset. */
  nextLine: number;
  /** Record number the next record after endOffset gets. */
  nextRecord: number;
  /**
   * True when the file ends in a line without '\n' that parsed and was emitted. A tail that resumes at endOffset
   * will see that line again (dedupe by byteOffset).
   */
  tailRecordEmitted: boolean;
  /** True when the file ends in an unterminated line that did not parse (a 'incomplete-last-line' note was sent). */
  pendingTail: boolean;
  /** Present when keepOffsets was set. */
  offsets?: RecordOffsets;
}

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

export async function scanJsonl(path: string, handlers: ReadHandlers, opts: ScanOptions = {}): Promise<ScanStats> {
  const file = opts.displayName ?? path;
  const chunkSize = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const startOffset = opts.startOffset ?? 0;
  const offsets = opts.keepOffsets ? new RecordOffsets() : null;
  const stats: ScanStats = {
    lines: 0, records: 0, badLines: 0, blankLines: 0, invalidUtf8Lines: 0, nonFiniteLines: 0, bytes: 0,
    totalBytes: 0, endOffset: startOffset, nextLine: opts.startLine ?? 1, nextRecord: opts.startRecord ?? 1,
    tailRecordEmitted: false, pendingTail: false,
  };
  if (offsets) stats.offsets = offsets;
  const onBad = handlers.onBadLine;
  const countingHandlers: ReadHandlers = {
    ...handlers,
    onBadLine: (b) => {
      stats.badLines++;
      onBad?.(b);
    },
  };
  const emitter = new RecordEmitter(countingHandlers, opts.expandContainers ?? false, offsets, opts.startRecord ?? 1);
  let tailRecords = 0;

  let line = opts.startLine ?? 1;

  /** Handles bytes [s, e) of `b` (without the '\n'), starting at file offset `off`. */
  const handleLine = (b: Buffer, s: number, e: number, off: number, knownUtf8: boolean, terminated: boolean): void => {
    const lineNo = line++;
    stats.lines++;
    if (lineNo === 1 && off === 0 && e - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf) {
      // A BOM written by Windows tools; the JSON starts after it.
      s += 3;
      off += 3;
      handlers.onNote?.({ file, line: 1, kind: 'bom', message: 'UTF-8 byte order mark at the start of the file (ignored)' });
    }
    if (e > s && b[e - 1] === CR) e--;
    if (e === s || (b[s] !== 0x7b && isBlank(b, s, e))) {
      stats.blankLines++;
      return;
    }
    if (b[s] === 0 && isAllNul(b, s, e)) {
      emitter.bad(pos(lineNo, off, e - s), `line is ${e - s} NUL bytes (a crash can leave the end of a file unwritten)`);
      return;
    }
    const valid = knownUtf8 || isUtf8(b.subarray(s, e));
    let text: string;
    try {
      text = b.toString('utf8', s, e);
    } catch {
      // Above V8's maximum string length (~512 MB of UTF-16): nothing can hold this line as one string.
      emitter.bad(pos(lineNo, off, e - s), `line is too long to decode (${e - s} bytes)`);
      return;
    }
    if (!valid) {
      stats.invalidUtf8Lines++;
      if (stats.invalidUtf8Lines <= MAX_NOTES_PER_KIND) {
        handlers.onNote?.({
          file, line: lineNo, kind: 'invalid-utf8',
          message: `line ${lineNo} is not valid UTF-8; invalid bytes were replaced by U+FFFD`,
        });
      }
    }
    const parsed = parseJsonTolerant(text);
    if (!parsed.ok) {
      if (!terminated) {
        stats.pendingTail = true;
        handlers.onNote?.({
          file, line: lineNo, kind: 'incomplete-last-line',
          message: `incomplete last line ${lineNo} (the trainer may still be writing)`,
        });
        return;
      }
      emitter.bad(pos(lineNo, off, e - s), parsed.error);
      return;
    }
    if (parsed.nonFinite) {
      stats.nonFiniteLines++;
      if (stats.nonFiniteLines === 1) {
        handlers.onNote?.({
          file, line: lineNo, kind: 'non-finite-number',
          message: `line ${lineNo} has NaN/Infinity literals (Python json.dumps); read as NaN/±Infinity`,
        });
      }
    }
    const produced = emitter.emit(parsed.value, pos(lineNo, off, e - s));
    stats.records += produced;
    if (!terminated) {
      stats.tailRecordEmitted = produced > 0;
      tailRecords = produced;
    }
  };
  const pos = (lineNo: number, off: number, len: number) => ({
    file, line: lineNo, badLineNumber: lineNo, byteOffset: off, byteLength: len, rowIndex: null, unit: 'line' as const,
  });

  const fh: ReadSource = opts.source ?? await fsp.open(path, 'r');
  try {
    stats.totalBytes = (await fh.stat()).size;
    const buf = Buffer.allocUnsafe(chunkSize);
    let fileOffset = startOffset; // file offset of buf[0]
    // A line that spans chunks: copies of its earlier parts (the buffer is reused).
    let pieces: Buffer[] = [];
    let piecesStart = 0;
    for (;;) {
      opts.signal?.throwIfAborted();
      const { bytesRead } = await fh.read(buf, 0, chunkSize, fileOffset);
      if (bytesRead === 0) break;
      const view = bytesRead === chunkSize ? buf : buf.subarray(0, bytesRead);
      let p = 0;
      if (pieces.length > 0) {
        const nl = view.indexOf(LF);
        if (nl < 0) {
          pieces.push(Buffer.from(view));
          fileOffset += bytesRead;
          stats.bytes += bytesRead;
          handlers.onProgress?.(fileOffset, stats.totalBytes);
          continue;
        }
        pieces.push(view.subarray(0, nl));
        const whole = Buffer.concat(pieces);
        pieces = [];
        handleLine(whole, 0, whole.length, piecesStart, false, true);
        stats.endOffset = fileOffset + nl + 1;
        p = nl + 1;
      }
      // Lines never split a UTF-8 sequence, so one check over all complete lines of the chunk usually replaces
      // a check per line.
      const lastNl = view.lastIndexOf(LF);
      const chunkUtf8 = lastNl > p ? isUtf8(view.subarray(p, lastNl)) : false;
      while (p < bytesRead) {
        const nl = view.indexOf(LF, p);
        if (nl < 0) {
          pieces.push(Buffer.from(view.subarray(p)));
          piecesStart = fileOffset + p;
          break;
        }
        handleLine(view, p, nl, fileOffset + p, chunkUtf8, true);
        p = nl + 1;
      }
      if (lastNl >= 0) stats.endOffset = fileOffset + lastNl + 1;
      fileOffset += bytesRead;
      stats.bytes += bytesRead;
      handlers.onProgress?.(fileOffset, stats.totalBytes);
      // Backpressure: a consumer that hands records to workers can hold the reader here.
      if (handlers.drain) await handlers.drain();
    }
    if (pieces.length > 0) {
      const whole = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
      const linesBefore = line;
      handleLine(whole, 0, whole.length, piecesStart, false, false);
      // A pending or parsed unterminated line is not "complete": a tail resumes at its start with its number.
      stats.nextLine = linesBefore;
    } else {
      stats.nextLine = line;
    }
  } finally {
    await fh.close();
  }
  if (stats.invalidUtf8Lines > MAX_NOTES_PER_KIND) {
    handlers.onNote?.({
      file, line: null, kind: 'invalid-utf8',
      message: `${stats.invalidUtf8Lines} lines are not valid UTF-8 (only the first ${MAX_NOTES_PER_KIND} are listed)`,
    });
  }
  if (stats.nonFiniteLines > 1) {
    handlers.onNote?.({
      file, line: null, kind: 'non-finite-number',
      message: `${stats.nonFiniteLines} lines have NaN/Infinity literals; read as NaN/±Infinity`,
    });
  }
  // Records of an unterminated last line will be read again by a tail resuming at endOffset.
  stats.nextRecord = emitter.record - tailRecords;
  return stats;
}
