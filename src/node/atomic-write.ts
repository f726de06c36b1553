// Every file Rollout Lens writes goes through a temp file in the target's folder and a rename, so a reader
// never sees half a file and a cancelled or failed run leaves nothing behind. Synchronous on purpose: the
// CLI streams results from synchronous reader callbacks.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export class AtomicWriter {
  private fd: number | null;
  private pending: string[] = [];
  private pendingChars = 0;

  private constructor(readonly target: string, readonly temp: string, fd: number) {
    this.fd = fd;
  }

  static open(target: string): AtomicWriter {
    const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(temp, 'wx', 0o644);
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
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingChars = 0;
  }

  /** Makes the file visible under its final name. */
  commit(): void {
    if (this.fd === null) return;
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.temp, this.target);
  }

  /** Drops the temp file; the target is left as it was. */
  abort(): void {
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    rmSync(this.temp, { force: true });
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
