// Streaming JSONL scan (docs/formats.md §2.6): reads through one reusable buffer (never the whole file as a string),
// splits on '\n' with Buffer.indexOf, and tolerates what real trainers write: a BOM, CRLF, blank lines, NaN
// literals, invalid UTF-8, a last line still being written, lines of hundreds of MB. Callbacks are synchronous
// because a Promise per line would cost more than the parse itself.
import { isUtf8 } from 'node:buffer';
import { promises as fsp } from 'node:fs';
import { classifyLine, firstNonBlank, HUGE_VALUE_BYTES, hugeValueMessage, isAllNul, isHugeNonRecord } from './jsonl-line';
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
  /** Lines at least this long that do not start with '{' are skipped unread (HUGE_VALUE_BYTES; tests lower it). */
  hugeValueBytes?: number;
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

function hasBom(b: Buffer): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

export async function scanJsonl(path: string, handlers: ReadHandlers, opts: ScanOptions = {}): Promise<ScanStats> {
  const file = opts.displayName ?? path;
  const chunkSize = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const hugeBytes = opts.hugeValueBytes ?? HUGE_VALUE_BYTES;
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
    const c = classifyLine(b, s, e, off, lineNo, knownUtf8, terminated, hugeBytes);
    if (c.bom) handlers.onNote?.({ file, line: 1, kind: 'bom', message: 'UTF-8 byte order mark at the start of the file (ignored)' });
    const o = c.outcome;
    if (o.kind === 'blank') {
      stats.blankLines++;
      return;
    }
    if (c.invalidUtf8) {
      stats.invalidUtf8Lines++;
      if (stats.invalidUtf8Lines <= MAX_NOTES_PER_KIND) {
        handlers.onNote?.({
          file, line: lineNo, kind: 'invalid-utf8',
          message: `line ${lineNo} is not valid UTF-8; invalid bytes were replaced by U+FFFD`,
        });
      }
    }
    if (o.kind === 'bad') {
      emitter.bad(pos(lineNo, c.offset, c.length), o.error);
      return;
    }
    if (o.kind === 'incomplete') {
      stats.pendingTail = true;
      handlers.onNote?.({
        file, line: lineNo, kind: 'incomplete-last-line',
        message: `incomplete last line ${lineNo} (the trainer may still be writing)`,
      });
      return;
    }
    if (o.nonFinite) {
      stats.nonFiniteLines++;
      if (stats.nonFiniteLines === 1) {
        handlers.onNote?.({
          file, line: lineNo, kind: 'non-finite-number',
          message: `line ${lineNo} has NaN/Infinity literals (Python json.dumps); read as NaN/±Infinity`,
        });
      }
    }
    const produced = emitter.emit(o.value, pos(lineNo, c.offset, c.length));
    stats.records += produced;
    if (!terminated) {
      stats.tailRecordEmitted = produced > 0;
      tailRecords = produced;
    }
  };
  /**
   * A line too long to be a record that does not start with '{' (isHugeNonRecord), seen across chunks: only its
   * length is kept, and it is reported as one bad line when it ends.
   */
  const skipHugeLine = (start: number, length: number, first: number, allNul: boolean): void => {
    const lineNo = line++;
    stats.lines++;
    emitter.bad(pos(lineNo, start, length), `line is ${hugeValueMessage(first, length, allNul)}`);
  };
  const pos = (lineNo: number, off: number, len: number) => ({
    file, line: lineNo, badLineNumber: lineNo, byteOffset: off, byteLength: len, rowIndex: null, unit: 'line' as const,
  });

  const fh: ReadSource = opts.source ?? await fsp.open(path, 'r');
  try {
    stats.totalBytes = (await fh.stat()).size;
    const buf = Buffer.allocUnsafe(chunkSize);
    let fileOffset = startOffset; // file offset of buf[0]
    // A line that spans chunks: copies of its earlier parts (the buffer is reused), their total length and the
    // line's first non-blank byte (-1 while only blanks were seen).
    let pieces: Buffer[] = [];
    let piecesStart = 0;
    let piecesBytes = 0;
    let first = -1;
    // The spanning line is too long to be a record (skipHugeLine): its bytes are counted, not kept.
    let skipping = false;
    let allNul = true;
    /** Adds bytes of the spanning line; switches to skipping once it is a huge non-record. */
    const addPiece = (part: Buffer, copy: boolean): void => {
      if (first < 0) first = firstNonBlank(part, piecesStart === 0 && piecesBytes === 0 && line === 1 && hasBom(part) ? 3 : 0, part.length);
      if (!skipping && isHugeNonRecord(first, piecesBytes + part.length, hugeBytes)) {
        skipping = true;
        allNul = pieces.every((x) => isAllNul(x, 0, x.length));
        pieces = [];
      }
      if (skipping) {
        if (allNul) allNul = isAllNul(part, 0, part.length);
      } else {
        pieces.push(copy ? Buffer.from(part) : part);
      }
      piecesBytes += part.length;
    };
    const endPieces = (): void => {
      pieces = [];
      piecesBytes = 0;
      first = -1;
      skipping = false;
      allNul = true;
    };
    for (;;) {
      opts.signal?.throwIfAborted();
      const { bytesRead } = await fh.read(buf, 0, chunkSize, fileOffset);
      if (bytesRead === 0) break;
      const view = bytesRead === chunkSize ? buf : buf.subarray(0, bytesRead);
      let p = 0;
      if (piecesBytes > 0) {
        const nl = view.indexOf(LF);
        if (nl < 0) {
          addPiece(view, true);
          fileOffset += bytesRead;
          stats.bytes += bytesRead;
          handlers.onProgress?.(fileOffset, stats.totalBytes);
          continue;
        }
        addPiece(view.subarray(0, nl), false);
        if (skipping) {
          skipHugeLine(piecesStart, piecesBytes, first, allNul);
        } else {
          const whole = Buffer.concat(pieces);
          pieces = [];
          handleLine(whole, 0, whole.length, piecesStart, false, true);
        }
        endPieces();
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
          piecesStart = fileOffset + p;
          addPiece(view.subarray(p), true);
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
    if (piecesBytes > 0) {
      const linesBefore = line;
      if (skipping) {
        // Not a record whatever follows: reported now, like a short unterminated line that is not an object.
        skipHugeLine(piecesStart, piecesBytes, first, allNul);
      } else {
        const whole = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
        handleLine(whole, 0, whole.length, piecesStart, false, false);
      }
      endPieces();
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
