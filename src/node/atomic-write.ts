// Every file Rollout Lens writes goes through a temp file in the target's folder and a rename, so a reader
// never sees half a file and a cancelled or failed run leaves nothing behind. Synchronous on purpose: the
// CLI streams results from synchronous reader callbacks.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Writing the output failed; names the user's path, never the hidden temp file. */
export class OutputWriteError extends Error {
  constructor(readonly target: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException | null)?.code;
    const why: Record<string, string> = {
      ENOENT: 'its folder does not exist', ENOTDIR: 'its folder does not exist', EACCES: 'permission denied',
      EPERM: 'permission denied', EROFS: 'read-only file system', ENOSPC: 'no space left on the device',
      EDQUOT: 'disk quota exceeded', EISDIR: 'it is a folder', EIO: 'input/output error', EFBIG: 'file too large',
    };
    super(`cannot write ${target}: ${(code && why[code]) ?? (code ?? (cause instanceof Error ? cause.message : String(cause)))}`);
    this.name = 'OutputWriteError';
  }
}

/** Temp files not yet committed or aborted: removed when the process exits or is signalled (process-cleanup.ts). */
const liveTemps = new Set<string>();

/** Removes every temp file still open (synchronous: called from exit and signal handlers). */
export function removeLiveTemps(): void {
  for (const t of liveTemps) rmSync(t, { force: true });
  liveTemps.clear();
}

export class AtomicWriter {
  private fd: number | null;
  private pending: string[] = [];
  private pendingChars = 0;

  private constructor(readonly target: string, readonly temp: string, fd: number) {
    this.fd = fd;
  }

  static open(target: string): AtomicWriter {
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    let fd: number;
    try {
      fd = openSync(temp, 'wx', 0o644);
    } catch (e) {
      throw new OutputWriteError(target, e);
    }
    liveTemps.add(temp);
    return new AtomicWriter(target, temp, fd);
  }

  write(text: string): void {
    if (this.fd === null) throw new Error('write after commit or abort');
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.fd === null || this.pending.length === 0) return;
    try {
      writeSync(this.fd, this.pending.join(''));
    } catch (e) {
      throw new OutputWriteError(this.target, e);
    }
    this.pending = [];
    this.pendingChars = 0;
  }

  /** Makes the file visible under its final name. */
  commit(): void {
    if (this.fd === null) return;
    this.flush();
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
      renameSync(this.temp, this.target);
    } catch (e) {
      throw new OutputWriteError(this.target, e);
    }
    liveTemps.delete(this.temp);
  }

  /** Drops the temp file; the target is left as it was. */
  abort(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    rmSync(this.temp, { force: true });
    liveTemps.delete(this.temp);
  }
}

/** Writes a whole file atomically. */
export function writeFileAtomic(target: string, text: string): void {
  const w = AtomicWriter.open(target);
  try {
    w.write(text);
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  }
}
