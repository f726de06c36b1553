// Follows a rollout file, or a run folder, that training is still writing. A FileTail reads only the bytes
// appended since the end of the last complete line (a trailing partial line waits for its newline), notices a
// file that was truncated or replaced (size shrank, or a new inode / mtime whose first bytes differ) and one
// that was deleted. fs.watch wakes it at once where the OS reports changes; a stat poll is the fallback where
// it does not (Remote-SSH on NFS, some containers). Checks are throttled (default ≤ 1 per second) and never
// overlap. check() is public so tests and callers can step it without timers.
import { promises as fsp, watch, type FSWatcher, type Stats } from 'node:fs';
import { listRunFolder } from './input-files';

export type TailEvent =
  /** Complete new lines, `text` ends with a newline; bytes [from, to) of the file. */
  | { kind: 'append'; path: string; text: string; lines: number; from: number; to: number }
  /** The file no longer continues what was read: read it again from the start. */
  | { kind: 'reset'; path: string; reason: 'truncated' | 'replaced'; size: number }
  | { kind: 'deleted'; path: string }
  /** Run folders: a new step file appeared. */
  | { kind: 'added'; path: string };

export interface TailOptions {
  onEvent(e: TailEvent): void;
  /** Stat poll period (default 1000 ms); 0 = no poll (watch only, or manual check()). */
  pollMs?: number;
  /** Minimum time between two checks (default 1000 ms). */
  minIntervalMs?: number;
  /** Use fs.watch as well as the poll (default true). */
  watch?: boolean;
  /** Where following starts: 'end' (default: the caller has read the file already) or 'start'. */
  from?: 'start' | 'end';
  onError?(e: unknown): void;
}

/** Bytes compared to tell an appended file from a replaced one. */
const PREFIX_BYTES = 1024;
/** Appended bytes are read in chunks of this size. */
const READ_CHUNK = 1 << 20;

/** A timer (not keeping the process alive) that runs `run` once `minIntervalMs` (default 1 s) after `last`. */
function throttleTimer(last: number, minIntervalMs: number | undefined, run: () => void): ReturnType<typeof setTimeout> {
  const timer = setTimeout(run, Math.max(0, last + (minIntervalMs ?? 1000) - Date.now()));
  timer.unref?.();
  return timer;
}

export class FileTail {
  /** End of the last complete line read (the next read starts here). */
  offset = 0;
  private ino = 0;
  private mtimeMs = 0;
  private prefix: Buffer = Buffer.alloc(0);
  private closed = false;
  private watcher: FSWatcher | null = null;
  private poll: ReturnType<typeof setInterval> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private lastCheck = 0;

  constructor(readonly path: string, private readonly opts: TailOptions) {}

  /** Records where the file ends now (or its start) and starts watching. */
  async start(): Promise<void> {
    const st = await fsp.stat(this.path);
    await this.remember(st, this.opts.from === 'start' ? 0 : await lastLineEnd(this.path, st.size));
    if (this.closed) return;
    const pollMs = this.opts.pollMs ?? 1000;
    if (pollMs > 0) {
      this.poll = setInterval(() => this.schedule(), pollMs);
      this.poll.unref?.();
    }
    this.rewatch();
  }

  private rewatch(): void {
    this.watcher?.close();
    this.watcher = null;
    if (this.opts.watch === false || this.closed) return;
    try {
      this.watcher = watch(this.path, { persistent: false }, () => this.schedule());
      this.watcher.on('error', () => { this.watcher?.close(); this.watcher = null; });
    } catch {
      // Some file systems cannot be watched: the poll still runs.
      this.watcher = null;
    }
  }

  private async remember(st: Stats, offset: number): Promise<void> {
    this.ino = st.ino;
    this.mtimeMs = st.mtimeMs;
    this.offset = offset;
    this.prefix = await readRange(this.path, 0, Math.min(st.size, PREFIX_BYTES));
  }

  /** Asks for a check; runs it now or when the throttle interval has passed. */
  schedule(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) return;
    this.timer = throttleTimer(this.lastCheck, this.opts.minIntervalMs, () => {
      this.timer = null;
      void this.check();
    });
  }

  /** One check: stat, then report an append, a reset or a deletion. Resolves when the events were delivered. */
  check(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.checkOnce().catch((e: unknown) => this.opts.onError?.(e)).finally(() => {
      this.running = null;
      this.lastCheck = Date.now();
      if (this.again && !this.closed) {
        this.again = false;
        this.schedule();
      }
    });
    return this.running;
  }

  private async checkOnce(): Promise<void> {
    if (this.closed) return;
    let st: Stats;
    try {
      st = await fsp.stat(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        this.close();
        this.opts.onEvent({ kind: 'deleted', path: this.path });
        return;
      }
      throw e;
    }
    const newFile = st.ino !== this.ino && st.ino !== 0 && this.ino !== 0;
    const touched = st.mtimeMs !== this.mtimeMs;
    if (st.size < this.offset) return this.reset(st, newFile ? 'replaced' : 'truncated');
    if (newFile || (touched && st.size <= this.offset)) {
      // A new inode (rename over) or a rewrite that did not grow: still ours only if it starts the same way.
      const head = await readRange(this.path, 0, this.prefix.length);
      if (!head.equals(this.prefix)) return this.reset(st, newFile ? 'replaced' : 'truncated');
    }
    this.ino = st.ino;
    this.mtimeMs = st.mtimeMs;
    if (this.prefix.length < PREFIX_BYTES && st.size > this.prefix.length) this.prefix = await readRange(this.path, 0, Math.min(st.size, PREFIX_BYTES));
    if (st.size > this.offset) await this.readAppended(st.size);
  }

  private async reset(st: Stats, reason: 'truncated' | 'replaced'): Promise<void> {
    // The caller re-reads the whole file; we follow on from its current last complete line.
    await this.remember(st, await lastLineEnd(this.path, st.size));
    if (reason === 'replaced') this.rewatch();
    this.opts.onEvent({ kind: 'reset', path: this.path, reason, size: st.size });
  }

  private async readAppended(size: number): Promise<void> {
    const from = this.offset;
    const parts: Buffer[] = [];
    let pos = from;
    let lastNl = -1;
    while (pos < size) {
      const b = await readRange(this.path, pos, Math.min(READ_CHUNK, size - pos));
      if (b.length === 0) break;
      const nl = b.lastIndexOf(0x0a);
      if (nl >= 0) lastNl = pos + nl;
      parts.push(b);
      pos += b.length;
    }
    if (lastNl < 0) return; // only a partial line so far: it waits for its newline
    const to = lastNl + 1;
    const text = Buffer.concat(parts).subarray(0, to - from).toString('utf8');
    this.offset = to;
    let lines = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lines++;
    this.opts.onEvent({ kind: 'append', path: this.path, text, lines, from, to });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    if (this.timer) clearTimeout(this.timer);
    this.poll = null;
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
  }
}

/**
 * A run folder: one FileTail per step file, plus new step files as they appear (listed the way the reader
 * lists a run, so only files that would be read join). A deleted step file is reported and stops being followed.
 */
export class FolderTail {
  private readonly tails = new Map<string, FileTail>();
  private closed = false;
  private watcher: FSWatcher | null = null;
  private poll: ReturnType<typeof setInterval> | null = null;
  private listing: Promise<void> | null = null;
  private lastList = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(readonly folder: string, private readonly opts: TailOptions & { listFiles?: (folder: string) => Promise<string[]> }) {}

  private list(): Promise<string[]> {
    return this.opts.listFiles ? this.opts.listFiles(this.folder) : listRunFolder(this.folder).then((l) => l.files.map((f) => f.path));
  }

  async start(): Promise<void> {
    for (const p of await this.list()) await this.follow(p, false);
    const pollMs = this.opts.pollMs ?? 1000;
    if (pollMs > 0) {
      this.poll = setInterval(() => this.schedule(), pollMs);
      this.poll.unref?.();
    }
    if (this.opts.watch !== false) {
      try {
        this.watcher = watch(this.folder, { persistent: false, recursive: true }, () => this.schedule());
        this.watcher.on('error', () => { this.watcher?.close(); this.watcher = null; });
      } catch {
        this.watcher = null;
      }
    }
  }

  private async follow(path: string, isNew: boolean): Promise<void> {
    const t = new FileTail(path, {
      ...this.opts,
      // The folder's own watcher and poll drive the checks of every file (one timer, not one per step file).
      pollMs: 0,
      watch: false,
      // A new step file is read whole by the caller's re-read; follow it from its current end.
      from: 'end',
      onEvent: (e) => {
        if (e.kind === 'deleted') this.tails.delete(path);
        this.opts.onEvent(e);
      },
    });
    this.tails.set(path, t);
    try {
      await t.start();
    } catch (e) {
      this.tails.delete(path);
      t.close();
      if (!isNew) throw e;
      return;
    }
    if (isNew) this.opts.onEvent({ kind: 'added', path });
  }

  private schedule(): void {
    if (this.closed || this.timer) return;
    this.timer = throttleTimer(this.lastList, this.opts.minIntervalMs, () => {
      this.timer = null;
      void this.check();
    });
  }

  /** Lists the folder for new files and checks every followed file once. */
  check(): Promise<void> {
    this.listing ??= this.checkOnce().catch((e: unknown) => this.opts.onError?.(e)).finally(() => {
      this.listing = null;
      this.lastList = Date.now();
    });
    return this.listing;
  }

  private async checkOnce(): Promise<void> {
    if (this.closed) return;
    for (const t of [...this.tails.values()]) await t.check();
    let files: string[];
    try {
      files = await this.list();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        this.close();
        this.opts.onEvent({ kind: 'deleted', path: this.folder });
        return;
      }
      throw e;
    }
    for (const p of files) if (!this.tails.has(p) && !this.closed) await this.follow(p, true);
  }

  get files(): string[] {
    return [...this.tails.keys()];
  }

  close(): void {
    this.closed = true;
    if (this.poll) clearInterval(this.poll);
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = null;
    for (const t of this.tails.values()) t.close();
    this.tails.clear();
  }
}

async function readRange(path: string, start: number, length: number): Promise<Buffer> {
  if (length <= 0) return Buffer.alloc(0);
  const fh = await fsp.open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const { bytesRead } = await fh.read(buf, 0, length, start);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Offset just after the last newline at or before `size` (0 when there is none): a partial last line is not "read". */
export async function lastLineEnd(path: string, size: number): Promise<number> {
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - 64 * 1024);
    const b = await readRange(path, start, end - start);
    const nl = b.lastIndexOf(0x0a);
    if (nl >= 0) return start + nl + 1;
    end = start;
  }
  return 0;
}
