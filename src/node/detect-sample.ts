// The records the parallel reader detects the format on: the first `want` records of the first file, exactly as the
// streaming readers emit them (they are the streaming readers, stopped after `want` records: the same line rules,
// a huge value that cannot be a record skipped unread). Read in a worker (analysis-worker.ts, SampleTask): the first
// record of a ROLL step file is a line of megabytes, and a parquet file's first row group may hold 100k rows;
// neither belongs on the thread that serves the editor.
import { promises as fsp } from 'node:fs';
import type { JsonValue } from '../core/types';
import { COLUMNAR_SCAN_MIN_BYTES, columnarLineRow, scanColumnarLine } from './columnar-line';
import { scanJsonArray } from './json-container';
import { scanJsonl } from './jsonl-scan';
import { readParquet } from './parquet-reader';
import type { ContainerKind } from './sniff';

const LF = 0x0a;
const CR = 0x0d;
/** A first line longer than this goes to the streaming reader (which skips a huge non-record unread). */
const MAX_COLUMNAR_SAMPLE_LINE = 64 << 20;

/** The first `want` records of a file (terminated JSONL lines only, as the streaming reader would emit them). */
export async function firstRecordsOf(path: string, container: ContainerKind, want: number): Promise<JsonValue[]> {
  if (container === 'jsonl') {
    const rows = await firstColumnarRows(path, want);
    if (rows !== null) return rows;
  }
  const values: JsonValue[] = [];
  const stop = new AbortController();
  const onRecord = (r: { value: JsonValue }): void => {
    if (values.length < want) values.push(r.value);
    if (values.length >= want) stop.abort();
  };
  try {
    if (container === 'parquet') await readParquet(path, { onRecord }, { signal: stop.signal, rowGroups: { from: 0, to: 1 }, maxRows: want });
    else if (container === 'jsonl') await scanJsonl(path, { onRecord }, { signal: stop.signal, expandContainers: true, chunkSize: 1 << 20 });
    else await scanJsonArray(path, { onRecord }, { signal: stop.signal, chunkSize: 1 << 20 });
  } catch (e) {
    if (!stop.signal.aborted) throw e;
  }
  return values;
}

/**
 * The first `want` rows of a ROLL step file whose first line is one column-oriented object of at least `want` rows,
 * read from the line's bytes as the range workers read it (columnar-line.ts), so equal to what the streaming reader
 * emits. Parsing the 8 MB line whole held its text, the parsed columns and the rows at once, for 20 rows: the run's
 * early peak (issue #18). Null for anything else (a BOM, leading blanks, a short, unterminated or huge first line, a
 * line the scanner declines, fewer rows than wanted): the streaming reader decides those.
 */
async function firstColumnarRows(path: string, want: number): Promise<JsonValue[] | null> {
  const fh = await fsp.open(path, 'r');
  try {
    const probe = Buffer.allocUnsafe(1 << 20);
    let nl = -1;
    for (let at = 0; nl < 0 && at < MAX_COLUMNAR_SAMPLE_LINE; ) {
      const { bytesRead } = await fh.read(probe, 0, probe.length, at);
      if (bytesRead === 0) return null; // unterminated: the streaming reader does not emit it
      if (at === 0 && probe[0] !== 0x7b) return null;
      const i = probe.subarray(0, bytesRead).indexOf(LF);
      if (i >= 0) nl = at + i;
      at += bytesRead;
    }
    if (nl < COLUMNAR_SCAN_MIN_BYTES) return null;
    const line = Buffer.allocUnsafe(nl);
    const { bytesRead } = await fh.read(line, 0, nl, 0);
    if (bytesRead !== nl) return null;
    const end = line[nl - 1] === CR ? nl - 1 : nl;
    const layout = scanColumnarLine(line, 0, end);
    if (layout === null || layout.rows < want) return null;
    return Array.from({ length: want }, (_, i) => columnarLineRow(line, layout, i));
  } finally {
    await fh.close();
  }
}
