// Shared helpers for the reader tests: temp files and a collector for the reader callbacks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

export function tempDir(): { dir: string; file(name: string, content: string | Uint8Array): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'rl-reader-'));
  return {
    dir,
    file(name, content) {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
