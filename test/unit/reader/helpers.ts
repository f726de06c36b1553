// Shared helper for the reader tests: a collector for the reader callbacks (temporary folders: test/support/temp-dir.ts).
import type { BadLine, RawRecord, ReadNote } from '../../../src/core/types';
import type { ReadHandlers } from '../../../src/node/read-types';

export interface Collected {
  records: RawRecord[];
  bad: BadLine[];
  notes: ReadNote[];
  handlers: ReadHandlers;
}

export function collect(): Collected {
  const c: Collected = {
    records: [], bad: [], notes: [],
    handlers: {
      onRecord: (r) => c.records.push(r),
      onBadLine: (b) => c.bad.push(b),
      onNote: (n) => c.notes.push(n),
    },
  };
  return c;
}

/** Runs a reader over `path` into a fresh collector: the collected callbacks and the reader's own result. */
export async function scanned<S>(path: string, scan: (path: string, handlers: ReadHandlers) => Promise<S>): Promise<[Collected, S]> {
  const c = collect();
  return [c, await scan(path, c.handlers)];
}
