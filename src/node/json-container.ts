// Non-JSONL JSON containers (docs/formats.md §7.1): a top-level JSON array (ORZ iter{N}_generation_results.json, MLflow
// val_step*.json) streamed item by item, and a single whole-file object (ROLL columnar, W&B table export, or a
// known non-rollout object such as TRL's trainer_state.json).
import { isUtf8 } from 'node:buffer';
import { promises as fsp } from 'node:fs';
import { explainNonRollout, isJsonObject, type NotRollout } from '../core/columnar';
import { parseJsonTolerant } from '../core/json-tolerant';
import { JsonStringSkipper } from './json-string-skip';
import { DEFAULT_CHUNK_SIZE } from './jsonl-scan';
import { HUGE_VALUE_BYTES, hugeValueMessage, isHugeNonRecord, isWhitespace } from './jsonl-line';
import type { ReadHandlers, ReadSource } from './read-types';
import { RecordEmitter } from './record-emitter';
import { RecordOffsets } from './record-offsets';

export interface ContainerOptions {
  signal?: AbortSignal;
  keepOffsets?: boolean;
  chunkSize?: number;
  displayName?: string;
  /** (arrays) Read through this instead of opening `path` (a decompressing reader); the scan closes it. */
  source?: ReadSource;
  /**
   * Read only the items in [start, end) of the array (the parallel reader: planJsonArrayRanges cut it just after
   * depth-1 commas); itemBase items come before. The array's opening and closing are only seen by the first and
   * last range, so only the last reports an unclosed array or trailing text.
   */
  range?: ArrayRange;
  /** Items at least this long that do not start with '{' are skipped unread (HUGE_VALUE_BYTES; tests lower it). */
  hugeValueBytes?: number;
}

export interface ArrayRange {
  start: number;
  end: number;
  /** Items before `start` (depth-1 commas before it). */
  itemBase: number;
  first: boolean;
  last: boolean;
}

export interface ArrayScanStats {
  items: number;
  records: number;
  badLines: number;
  bytes: number;
  totalBytes: number;
  /** False when the file ended before the closing ']' (truncated or still being written). */
  closed: boolean;
  offsets?: RecordOffsets;
}

const QUOTE = 0x22;
const isWs = isWhitespace;

/**
 * Streams the items of a top-level JSON array without parsing the whole file: a byte scanner tracks strings,
 * escapes and depth, cuts each depth-1 item out, and parses items one at a time.
 */
export async function scanJsonArray(path: string, handlers: ReadHandlers, opts: ContainerOptions = {}): Promise<ArrayScanStats> {
  const file = opts.displayName ?? path;
  const chunkSize = Math.max(1, opts.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const hugeBytes = opts.hugeValueBytes ?? HUGE_VALUE_BYTES;
  const offsets = opts.keepOffsets ? new RecordOffsets() : null;
  const range = opts.range;
  const stats: ArrayScanStats = { items: range?.itemBase ?? 0, records: 0, badLines: 0, bytes: 0, totalBytes: 0, closed: false };
  if (offsets) stats.offsets = offsets;
  const emitter = new RecordEmitter(
    { ...handlers, onBadLine: (b) => { stats.badLines++; handlers.onBadLine?.(b); } },
    false,
    offsets,
  );
  let invalidUtf8Notes = 0;

  const handleItem = (bytes: Buffer, start: number): void => {
    const itemNo = ++stats.items;
    let e = bytes.length;
    while (e > 0 && isWs(bytes[e - 1])) e--;
    const pos = {
      file, line: null, badLineNumber: itemNo, byteOffset: start, byteLength: e, rowIndex: itemNo - 1, unit: 'item' as const,
    };
    if (e === 0) {
      emitter.bad(pos, `item ${itemNo} is empty (two commas in a row or a trailing comma)`);
      return;
    }
    const view = bytes.subarray(0, e);
    if (!isUtf8(view) && invalidUtf8Notes++ < 100) {
      handlers.onNote?.({ file, line: null, kind: 'invalid-utf8', message: `item ${itemNo} is not valid UTF-8; invalid bytes were replaced by U+FFFD` });
    }
    const parsed = parseJsonTolerant(view.toString('utf8'));
    if (!parsed.ok) {
      emitter.bad(pos, `item ${itemNo}: ${parsed.error}`);
      return;
    }
    stats.records += emitter.emit(parsed.value, pos);
  };

  const fh: ReadSource = opts.source ?? await fsp.open(path, 'r');
  try {
    stats.totalBytes = (await fh.stat()).size;
    const buf = Buffer.allocUnsafe(chunkSize);
    let fileOffset = range?.start ?? 0;
    const stop = range?.end ?? Infinity;
    // A range after the first starts inside the array, just after a depth-1 comma.
    let depth = range && !range.first ? 1 : 0;
    let inString = false;
    const strings = new JsonStringSkipper();
    let ended = false;
    let trailingJunk = false;
    // Current item: file offset of its first byte (-1 when between items) and copies of its earlier chunks.
    let itemStart = -1;
    let pieces: Buffer[] = [];
    // First byte of the current item, and how many bytes of it the pieces hold.
    let itemFirst = -1;
    let piecesBytes = 0;
    // A huge item that cannot be a record (see HUGE_VALUE_BYTES): its bytes are counted, not kept.
    let skipping = false;
    let skippedBytes = 0;
    const skipHuge = (last: Buffer, start: number, first: number): void => {
      const itemNo = ++stats.items;
      const length = skippedBytes + last.length;
      skipping = false;
      skippedBytes = 0;
      emitter.bad(
        { file, line: null, badLineNumber: itemNo, byteOffset: start, byteLength: length, rowIndex: itemNo - 1, unit: 'item' },
        `item ${itemNo} is ${hugeValueMessage(first, length, false)}`,
      );
    };
    for (;;) {
      opts.signal?.throwIfAborted();
      const { bytesRead } = await fh.read(buf, 0, Math.min(chunkSize, stop - fileOffset), fileOffset);
      if (bytesRead === 0) break;
      const view = bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
      let i = 0;
      if (fileOffset === 0 && bytesRead >= 3 && view[0] === 0xef && view[1] === 0xbb && view[2] === 0xbf) i = 3;
      // Start of the current item inside this chunk (0 when it began in an earlier chunk).
      let localStart = itemStart >= 0 ? 0 : -1;
      strings.newChunk();
      const finish = (end: number): void => {
        const part = view.subarray(localStart, end);
        if (!skipping && isHugeNonRecord(itemFirst, piecesBytes + part.length, hugeBytes)) {
          // The same rule whether or not a chunk ended inside the item.
          skipping = true;
          skippedBytes = piecesBytes;
        }
        if (skipping) {
          skipHuge(part, itemStart, itemFirst);
        } else {
          handleItem(pieces.length > 0 ? Buffer.concat([...pieces, part]) : part, itemStart);
        }
        pieces = [];
        piecesBytes = 0;
        itemStart = -1;
        localStart = -1;
        itemFirst = -1;
      };
      const begin = (at: number, first: number): void => {
        itemStart = fileOffset + at;
        localStart = at;
        itemFirst = first;
      };
      while (i < bytesRead) {
        if (inString) {
          const after = strings.skip(view, i);
          if (after < 0) {
            i = bytesRead;
            continue;
          }
          inString = false;
          i = after;
          continue;
        }
        const c = view[i];
        if (ended) {
          if (!isWs(c)) trailingJunk = true;
          i++;
          continue;
        }
        if (depth === 0) {
          // Before the opening bracket: the caller sniffed '[', so only whitespace can come first.
          if (c === 0x5b) depth = 1;
          i++;
          continue;
        }
        if (c === QUOTE) {
          inString = true;
          if (depth === 1 && itemStart < 0) begin(i, c);
        } else if (c === 0x5b || c === 0x7b) {
          if (depth === 1 && itemStart < 0) begin(i, c);
          depth++;
        } else if (c === 0x5d || c === 0x7d) {
          depth--;
          if (depth === 0) {
            if (itemStart >= 0) finish(i);
            ended = true;
            stats.closed = true;
          }
        } else if (c === 0x2c && depth === 1) {
          if (itemStart < 0) begin(i, -1);
          finish(i);
        } else if (depth === 1 && itemStart < 0 && !isWs(c)) {
          begin(i, c);
        }
        i++;
      }
      if (itemStart >= 0) {
        const rest = view.subarray(localStart);
        if (!skipping && isHugeNonRecord(itemFirst, piecesBytes + rest.length, hugeBytes)) {
          // Too long to be a record and not an object: from here on only its length is kept.
          skipping = true;
          skippedBytes = piecesBytes;
          pieces = [];
          piecesBytes = 0;
        }
        if (skipping) {
          skippedBytes += rest.length;
        } else {
          pieces.push(Buffer.from(rest));
          piecesBytes += rest.length;
        }
      }
      fileOffset += bytesRead;
      stats.bytes += bytesRead;
      handlers.onProgress?.(fileOffset, stats.totalBytes);
    }
    if (range && !range.last) {
      // The range ends just after a comma: its last item was finished there. Closing is the last range's business.
    } else if (!stats.closed) {
      handlers.onNote?.({
        file, line: null, kind: 'incomplete-last-line',
        message: itemStart >= 0
          ? `JSON array is not closed: item ${stats.items + 1} is incomplete (the file may be truncated or still being written)`
          : 'JSON array is not closed (the file may be truncated or still being written)',
      });
    } else if (trailingJunk) {
      handlers.onNote?.({ file, line: null, kind: 'info', message: 'text after the closing ] of the JSON array was ignored' });
    }
  } finally {
    await fh.close();
  }
  return stats;
}

/**
 * Cuts a top-level JSON array into ranges of about `target` bytes for the parallel reader, each starting just after
 * a depth-1 comma, with the number of items before it. One pass of the same byte scanner as scanJsonArray without
 * parsing (strings are skipped with indexOf), yielding between chunks. `onRange` gets each range as soon as it is
 * cut, so that the parallel reader's workers start on the first ranges while the rest of the file is still scanned.
 */
export async function planJsonArrayRanges(path: string, target: number, signal?: AbortSignal, onRange?: (r: ArrayRange) => void): Promise<ArrayRange[]> {
  const fh = await fsp.open(path, 'r');
  const out: ArrayRange[] = [];
  try {
    const size = (await fh.stat()).size;
    // 4 MB at a time: the parallel reader merges the workers' results between chunks, so a chunk's scan (a few ms
    // per MB) is the longest the merge waits.
    const buf = Buffer.allocUnsafe(4 << 20);
    let fileOffset = 0;
    let depth = 0;
    let inString = false;
    const strings = new JsonStringSkipper();
    let commas = 0;
    let start = 0;
    let base = 0;
    while (fileOffset < size) {
      signal?.throwIfAborted();
      const { bytesRead } = await fh.read(buf, 0, buf.length, fileOffset);
      if (bytesRead === 0) break;
      const view = buf.subarray(0, bytesRead);
      strings.newChunk();
      let i = 0;
      while (i < bytesRead) {
        if (inString) {
          const after = strings.skip(view, i);
          if (after < 0) break;
          inString = false;
          i = after;
          continue;
        }
        const c = view[i];
        if (c === QUOTE) inString = true;
        else if (c === 0x5b || c === 0x7b) depth++;
        else if (c === 0x5d || c === 0x7d) depth--;
        else if (c === 0x2c && depth === 1) {
          commas++;
          const at = fileOffset + i + 1;
          if (at - start >= target) {
            const r: ArrayRange = { start, end: at, itemBase: base, first: start === 0, last: false };
            out.push(r);
            onRange?.(r);
            start = at;
            base = commas;
          }
        }
        i++;
      }
      fileOffset += bytesRead;
    }
    const r: ArrayRange = { start, end: size, itemBase: base, first: start === 0, last: true };
    out.push(r);
    onRange?.(r);
  } finally {
    await fh.close();
  }
  return out;
}

export type ObjectFileResult =
  | { kind: 'records'; records: number; badLines: number }
  | { kind: 'not-rollout'; notRollout: NotRollout }
  | { kind: 'parse-error'; error: string };

/** Above this a whole-file object is not read in one go (V8's string limit is ~512 MB of UTF-16). */
export const MAX_OBJECT_FILE_BYTES = 400 << 20;

/**
 * A file holding one JSON object, possibly pretty-printed over many lines: ROLL columnar step, W&B table export,
 * one plain record, or a known non-rollout object (explained, no records).
 */
export async function readJsonObjectFile(path: string, handlers: ReadHandlers, opts: ContainerOptions = {}): Promise<ObjectFileResult> {
  const file = opts.displayName ?? path;
  const size = (await fsp.stat(path)).size;
  if (size > MAX_OBJECT_FILE_BYTES) {
    return { kind: 'parse-error', error: `single JSON object of ${Math.round(size / 1048576)} MB is too large to read in one piece` };
  }
  opts.signal?.throwIfAborted();
  const bytes = await fsp.readFile(path, opts.signal ? { signal: opts.signal } : {});
  handlers.onProgress?.(bytes.length, bytes.length);
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const view = bytes.subarray(bom);
  if (!isUtf8(view)) {
    handlers.onNote?.({ file, line: null, kind: 'invalid-utf8', message: 'file is not valid UTF-8; invalid bytes were replaced by U+FFFD' });
  }
  const parsed = parseJsonTolerant(view.toString('utf8'));
  if (!parsed.ok) return { kind: 'parse-error', error: parsed.error };
  if (parsed.nonFinite) {
    handlers.onNote?.({ file, line: null, kind: 'non-finite-number', message: 'NaN/Infinity literals (Python json.dumps) read as NaN/±Infinity' });
  }
  if (isJsonObject(parsed.value)) {
    const nr = explainNonRollout(parsed.value);
    if (nr !== null) return { kind: 'not-rollout', notRollout: nr };
  }
  let badLines = 0;
  const emitter = new RecordEmitter({ ...handlers, onBadLine: (b) => { badLines++; handlers.onBadLine?.(b); } }, true, null);
  const records = emitter.emit(parsed.value, {
    file, line: 1, badLineNumber: 1, byteOffset: bom, byteLength: view.length, rowIndex: null, unit: 'line',
  });
  return { kind: 'records', records, badLines };
}
