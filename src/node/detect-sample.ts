// The records the parallel reader detects the format on: the first `want` records of the first file, exactly as the
// streaming readers emit them. Read in a worker (analysis-worker.ts, SampleTask): the first record of a ROLL step
// file is a line of megabytes, and a parquet file's first row group may hold 100k rows; neither belongs on the
// thread that serves the editor.
import { closeSync, openSync, readSync } from 'node:fs';
import { parseJsonTolerant } from '../core/json-tolerant';
import type { JsonValue } from '../core/types';
import { COLUMNAR_SCAN_MIN_BYTES, columnarLineRow, scanColumnarLine } from './columnar-line';
import { scanJsonArray } from './json-container';
import { readParquet } from './parquet-reader';
import { RecordEmitter } from './record-emitter';
import type { ContainerKind } from './sniff';

/** The first `want` records of a file (terminated JSONL lines only, as the streaming reader would emit them). */
export async function firstRecordsOf(path: string, container: ContainerKind, size: number, want: number): Promise<JsonValue[]> {
  return container === 'jsonl' ? firstJsonlRecords(path, size, want) : firstContainerRecords(path, container, want);
}

async function firstContainerRecords(path: string, container: ContainerKind, want: number): Promise<JsonValue[]> {
  const values: JsonValue[] = [];
  const stop = new AbortController();
  const onRecord = (r: { value: JsonValue }): void => {
    if (values.length < want) values.push(r.value);
    if (values.length >= want) stop.abort();
  };
  try {
    if (container === 'parquet') await readParquet(path, { onRecord }, { signal: stop.signal, rowGroups: { from: 0, to: 1 }, maxRows: want });
    else await scanJsonArray(path, { onRecord }, { signal: stop.signal, chunkSize: 1 << 20 });
  } catch (e) {
    if (!stop.signal.aborted) throw e;
  }
  return values;
}

function firstJsonlRecords(path: string, size: number, want: number): JsonValue[] {
  const values: JsonValue[] = [];
  const emitter = new RecordEmitter({ onRecord: (r) => values.push(r.value) }, true, null, 1);
  const fd = openSync(path, 'r');
  try {
    let pending = Buffer.alloc(0);
    let off = 0;
    let first = true;
    const chunk = Buffer.allocUnsafe(1 << 20);
    while (values.length < want && off < size) {
      const n = readSync(fd, chunk, 0, chunk.length, off);
      if (n === 0) break;
      off += n;
      let buf = Buffer.concat([pending, chunk.subarray(0, n)]);
      if (first && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      first = false;
      let p = 0;
      for (;;) {
        const nl = buf.indexOf(0x0a, p);
        if (nl < 0) break;
        const s = p;
        p = nl + 1;
        // A ROLL step line: only the rows needed, parsed from their cells (columnar-line.ts).
        const layout = nl - s >= COLUMNAR_SCAN_MIN_BYTES && buf[s] === 0x7b ? scanColumnarLine(buf, s, nl > s && buf[nl - 1] === 0x0d ? nl - 1 : nl) : null;
        if (layout !== null) {
          for (let i = 0; i < layout.rows && values.length < want; i++) values.push(columnarLineRow(buf, layout, i));
          if (values.length >= want) break;
          continue;
        }
        const text = buf.toString('utf8', s, nl);
        if (text.trim().length === 0) continue;
        const parsed = parseJsonTolerant(text);
        if (parsed.ok) emitter.emit(parsed.value, { file: path, line: 0, badLineNumber: 0, byteOffset: 0, byteLength: 0, rowIndex: null, unit: 'line' });
        if (values.length >= want) break;
      }
      pending = Buffer.from(buf.subarray(p));
    }
  } finally {
    closeSync(fd);
  }
  return values;
}
