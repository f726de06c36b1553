// A temporary folder for one test: files written into it by name, removed afterwards whatever the test did.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempDir {
  dir: string;
  /** Writes `content` to `name` below the folder and returns the file's path. */
  file(name: string, content: string | Uint8Array): string;
  cleanup(): void;
}

export function tempDir(prefix = 'rl-test-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
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

/** Runs `body` with a fresh temporary folder and removes the folder after it, passed or failed. */
export async function withTempDir<T>(body: (t: TempDir) => Promise<T> | T, prefix?: string): Promise<T> {
  const t = tempDir(prefix);
  try {
    return await body(t);
  } finally {
    t.cleanup();
  }
}
