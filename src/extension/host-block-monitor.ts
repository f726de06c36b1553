// Extension-host responsiveness probe for the test suites (started by test-hooks.ts, only in test runs): every
// extension shares one host thread, so a synchronous stretch of ours delays every other extension's work and the
// workbench's requests to the host. A short timer that fires late measures how long the thread was held; Node's
// event-loop-delay histogram is read alongside as a second opinion. Blocks are kept with their wall-clock start,
// so a test can ask "the longest block while I opened this file" (reset + read through rolloutLens._testState,
// or, from Playwright outside the host, the JSON file this writes to the server's private TMPDIR).
//
// Wall time alone overstates blocks on a loaded machine (2 shared cores: a timer is also late when the thread
// was runnable but not scheduled, or idle in epoll while the OS ran something else). So each block also carries
// the thread's own on-CPU time over the same stretch, from /proc/thread-self/schedstat (ns resolution, Linux;
// elsewhere the event loop's active time from eventLoopUtilization). `busyMs` is what the block would have cost on
// an idle machine; both are reported. Notes (e.g. "a document was opened") are attached to the block they fall in,
// so a block can be traced to the work that ran in it.
import { closeSync, openSync, promises as fsp, readSync } from 'node:fs';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

export interface HostBlock {
  /** Wall-clock time (ms since the epoch) when the block began. */
  at: number;
  /** Wall-clock length. */
  ms: number;
  /** Time the host thread itself was busy (on CPU) during the block. */
  busyMs: number;
  /** Notes recorded while the block ran. */
  notes?: string[];
}

export interface HostBlockReport {
  /** Length of the observed window in ms (since start or the last reset). */
  windowMs: number;
  /** Busy time of the longest block in the window (0 when no probe gap passed recordOverMs). */
  longestMs: number;
  /** Wall-clock length of the longest block (includes time the OS did not run the thread). */
  longestWallMs: number;
  /** Blocks whose busy time exceeded 50 ms (a "long task" in the browser's sense). */
  over50: number;
  /** The worst blocks of the window by busy time (at most 20, worst first). */
  worst: HostBlock[];
  /** How busy time was measured. */
  clock: 'thread-cpu' | 'event-loop-active';
  /** Node's event-loop-delay histogram over the window: max and 99th percentile in ms. */
  delayMaxMs: number;
  delayP99Ms: number;
}

export interface HostBlockMonitorOptions {
  /** Probe period; a tick that comes later than this by more than recordOverMs is a block. */
  intervalMs?: number;
  recordOverMs?: number;
  /** When set, every blocks list is written there (for readers outside the host). */
  file?: string;
  fileEveryMs?: number;
}

const MAX_KEPT = 20_000;

/**
 * Marks a point in the extension's own work (e.g. "model: finish 15184 samples") on the running monitor, so a long
 * block can be told apart from VS Code's or another extension's; a no-op unless a monitor runs (test mode).
 */
export function traceNote(text: string): void {
  for (const m of running) m.note(text);
}
const running = new Set<HostBlockMonitor>();

/** On-CPU time of the calling thread in ms from /proc/thread-self/schedstat, or null where there is none. */
function threadCpuClock(): (() => number) | null {
  let fd: number;
  try {
    fd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    return null;
  }
  const buf = Buffer.alloc(128);
  const read = (): number => {
    const n = readSync(fd, buf, 0, buf.length, 0);
    const ns = Number(buf.toString('latin1', 0, n).split(' ')[0]);
    return ns / 1e6;
  };
  try {
    if (!Number.isFinite(read())) throw new Error('unreadable');
  } catch {
    closeSync(fd);
    return null;
  }
  clocks.push(fd);
  return read;
}
const clocks: number[] = [];

export class HostBlockMonitor {
  private readonly intervalMs: number;
  private readonly recordOverMs: number;
  private readonly blocks: HostBlock[] = [];
  private readonly histogram: IntervalHistogram;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last = 0;
  private readonly startedAt = Date.now();
  private windowStart = this.startedAt;
  private windowFirstBlock = 0;
  private lastWrite = 0;
  private writing = false;
  private readonly cpu = threadCpuClock();
  private lastBusy = 0;
  private readonly notes: { at: number; text: string }[] = [];

  constructor(private readonly opts: HostBlockMonitorOptions = {}) {
    this.intervalMs = opts.intervalMs ?? 5;
    this.recordOverMs = opts.recordOverMs ?? 16;
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
  }

  start(): this {
    running.add(this);
    this.histogram.enable();
    this.last = performance.now();
    this.lastBusy = this.busyClock();
    const tick = (): void => {
      this.sample();
      if (this.opts.file && Date.now() - this.lastWrite >= (this.opts.fileEveryMs ?? 500)) this.write(this.opts.file);
      this.timer = setTimeout(tick, this.intervalMs);
    };
    this.timer = setTimeout(tick, this.intervalMs);
    return this;
  }

  /**
   * Records the stretch since the last probe as a block when the probe is late. Called by the timer, and by
   * read()/reset() so that a block that has just ended (before the timer could fire) lands in the right window.
   */
  private sample(): void {
    const now = performance.now();
    const busyNow = this.busyClock();
    const late = now - this.last - this.intervalMs;
    if (late > this.recordOverMs) {
      if (this.blocks.length >= MAX_KEPT) {
        this.blocks.splice(0, MAX_KEPT / 2);
        this.windowFirstBlock = Math.max(0, this.windowFirstBlock - MAX_KEPT / 2);
      }
      const end = Date.now();
      const start = end - (now - this.last);
      const block: HostBlock = { at: Math.round(end - late), ms: Math.round(late), busyMs: Math.round(busyNow - this.lastBusy) };
      const notes = this.notes.filter((n) => n.at >= start - 1 && n.at <= end + 1).map((n) => n.text);
      if (notes.length) block.notes = notes;
      this.blocks.push(block);
    }
    if (this.notes.length > 200) this.notes.splice(0, 100);
    this.last = now;
    this.lastBusy = busyNow;
  }

  /** Busy-time clock in ms: thread CPU time, or the event loop's cumulative active time. */
  private busyClock(): number {
    if (this.cpu) return this.cpu();
    return performance.eventLoopUtilization().active;
  }

  /** Attaches `text` to the block that is running now (called from inside the work being traced). */
  note(text: string): void {
    this.notes.push({ at: Date.now(), text });
  }

  /** Starts a new observation window. */
  reset(): void {
    this.sample();
    this.windowStart = Date.now();
    this.windowFirstBlock = this.blocks.length;
    this.histogram.reset();
  }

  read(): HostBlockReport {
    this.sample();
    const inWindow = this.blocks.slice(this.windowFirstBlock);
    const worst = [...inWindow].sort((a, b) => b.busyMs - a.busyMs).slice(0, 20);
    const ms = (ns: number): number => Math.round(ns / 1e5) / 10;
    return {
      windowMs: Date.now() - this.windowStart,
      longestMs: worst[0]?.busyMs ?? 0,
      longestWallMs: inWindow.reduce((m, b) => Math.max(m, b.ms), 0),
      over50: inWindow.filter((b) => b.busyMs > 50).length,
      worst,
      clock: this.cpu ? 'thread-cpu' : 'event-loop-active',
      delayMaxMs: this.histogram.count > 0 ? ms(this.histogram.max) : 0,
      delayP99Ms: this.histogram.count > 0 ? ms(this.histogram.percentile(99)) : 0,
    };
  }

  /**
   * Asynchronous temp file + rename (not the synchronous atomic writer): an fsync on this thread would be a block
   * of the very kind being measured. A reader never sees half a file.
   */
  private write(file: string): void {
    if (this.writing) return;
    this.writing = true;
    this.lastWrite = Date.now();
    const tmp = `${file}.${process.pid}.tmp`;
    const body = JSON.stringify({ writtenAt: this.lastWrite, startedAt: this.startedAt, clock: this.cpu ? 'thread-cpu' : 'event-loop-active', blocks: this.blocks, notes: this.notes });
    fsp.writeFile(tmp, body)
      .then(() => fsp.rename(tmp, file))
      .catch(() => undefined) // a read-only TMPDIR only costs the e2e assertions
      .finally(() => { this.writing = false; });
  }

  dispose(): void {
    running.delete(this);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.histogram.disable();
    for (const fd of clocks.splice(0)) closeSync(fd);
  }
}
