// The user's Python reward function (TRL `f(prompts, completions, **kwargs)` or verl `compute_score(...)`) run in a
// subprocess with the interpreter the user picked, through resources/reward-fn/python_driver.py: one JSON line per
// batch each way on fd 3, a channel of its own (stdout could be corrupted or forged by the function or its
// children). The driver runs in its own process group: a batch that runs past the timeout kills the group (the
// function and anything it started); the next batch starts a fresh one. stdout and stderr go to `log`.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { createInterface } from 'node:readline';
import { dirname, resolve } from 'node:path';
import type { BatchReward, BatchRewardInput, BatchRewardResult } from '../../core/scoring/batch-reward';
import { abortError, checkResults, failedBatch } from './batch-results';
import { driverPath } from './driver-path';
import { killGroup, trackGroup, untrackGroup } from '../process-cleanup';

export interface PythonRewardOptions {
  /** Function name; null = `compute_score`, or the only function taking `completions`. */
  name: string | null;
  pythonPath: string;
  timeoutMs: number;
  /** Column name in results. */
  column: string;
  log?: (text: string) => void;
}

interface Reply {
  id?: number;
  results?: unknown;
  ready?: boolean;
  fatal?: string;
  function?: string;
  signature?: string;
}

/** The function could not be started at all (interpreter missing, import error): the run cannot go on. */
export class RewardFnLoadError extends Error {}

export class PythonReward implements BatchReward {
  readonly name: string;
  readonly description: string;
  /** 'trl' or 'verl', known once the driver has loaded the file. */
  signature: string | null = null;
  private proc: ChildProcess | null = null;
  private channel: Duplex | null = null;
  private ready: Promise<void> | null = null;
  private waiters = new Map<number, (r: Reply | null) => void>();
  private nextId = 1;
  private readonly file: string;

  constructor(file: string, private readonly opts: PythonRewardOptions) {
    this.file = resolve(file);
    this.name = opts.column;
    this.description = `your Python reward function ${opts.name ?? ''} in ${file}`.replace('  ', ' ');
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const p = spawn(this.opts.pythonPath, ['-u', driverPath('python_driver.py'), this.file, this.opts.name ?? ''], {
      cwd: dirname(this.file),
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', PYTHONIOENCODING: 'utf-8' },
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      detached: true, // own process group: a timeout or cancel ends the function and everything it started
    });
    this.proc = p;
    trackGroup(p.pid);
    const channel = p.stdio[3] as Duplex;
    this.channel = channel;
    // A process that died leaves a closed pipe: the exit handler reports it, the write error must not crash us.
    channel.on('error', () => undefined);
    for (const stream of [p.stdout, p.stderr]) {
      if (stream) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (l) => this.opts.log?.(`[${this.name}] ${l}`));
    }
    const lines = createInterface({ input: channel, crlfDelay: Infinity });
    this.ready = new Promise<void>((resolveReady, rejectReady) => {
      let started = false;
      lines.on('line', (l) => {
        let msg: Reply;
        try {
          msg = JSON.parse(l) as Reply;
        } catch {
          this.opts.log?.(`[${this.name}] (unreadable line on the result channel) ${l.slice(0, 200)}`);
          return;
        }
        if (!started) {
          started = true;
          if (msg.fatal !== undefined) rejectReady(new RewardFnLoadError(`${this.file}: ${msg.fatal}`));
          else {
            this.signature = msg.signature ?? null;
            this.opts.log?.(`[${this.name}] loaded ${msg.function ?? '?'} (${msg.signature ?? '?'} signature) with ${this.opts.pythonPath}`);
            resolveReady();
          }
          return;
        }
        if (typeof msg.id === 'number') {
          const w = this.waiters.get(msg.id);
          this.waiters.delete(msg.id);
          w?.(msg);
        }
      });
      p.on('error', (e: NodeJS.ErrnoException) => {
        const why = e.code === 'ENOENT' ? `Python interpreter not found: ${this.opts.pythonPath} (pick one with Python: Select Interpreter, or set rolloutLens.pythonPath)` : `cannot start ${this.opts.pythonPath}: ${e.message}`;
        started = true;
        rejectReady(new RewardFnLoadError(why));
      });
      p.on('exit', (code, sig) => {
        untrackGroup(p.pid);
        killGroup(p.pid); // children the function left behind
        if (this.proc === p) { this.proc = null; this.channel = null; this.ready = null; }
        if (!started) {
          started = true;
          rejectReady(new RewardFnLoadError(`${this.opts.pythonPath} exited (${sig ?? code}) before loading ${this.file}; see the output for its error`));
        }
        for (const w of this.waiters.values()) w(null);
        this.waiters.clear();
      });
    });
    // A failed start must be retried from scratch by the next call, not answered from this promise forever.
    this.ready.catch(() => { this.kill(); });
    return this.ready;
  }

  private kill(): void {
    const p = this.proc;
    this.proc = null;
    this.channel = null;
    this.ready = null;
    if (p) {
      killGroup(p.pid);
      untrackGroup(p.pid);
    }
  }

  async score(batch: readonly BatchRewardInput[], signal: AbortSignal): Promise<BatchRewardResult[]> {
    if (signal.aborted) throw abortError();
    if (batch.length === 0) return [];
    await this.start();
    const p = this.proc;
    const channel = this.channel;
    if (!p || !channel) return failedBatch(batch.length, 'the Python process exited');
    const id = this.nextId++;
    const items = batch.map((b) => ({ prompt: b.prompt, completion: b.completion, gold: b.gold ?? null, data_source: b.dataSource, record: b.record }));
    const reply = await new Promise<Reply | null | 'timeout'>((resolveReply, rejectReply) => {
      const timer = setTimeout(() => done('timeout'), this.opts.timeoutMs);
      const onAbort = (): void => {
        cleanup();
        this.kill();
        rejectReply(abortError());
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(id);
      };
      const done = (r: Reply | null | 'timeout'): void => {
        cleanup();
        resolveReply(r);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(id, done);
      channel.write(JSON.stringify({ id, items }) + '\n');
    });
    if (reply === 'timeout') {
      this.kill();
      const msg = `timed out after ${this.opts.timeoutMs / 1000} s (batch of ${batch.length}); the function was stopped`;
      this.opts.log?.(`[${this.name}] ${msg}`);
      return failedBatch(batch.length, msg);
    }
    if (reply === null) return failedBatch(batch.length, 'the Python process exited while scoring this batch; see the output');
    return checkResults(reply.results, batch.length);
  }

  async dispose(): Promise<void> {
    const p = this.proc;
    const channel = this.channel;
    if (!p) return;
    this.proc = null;
    this.channel = null;
    this.ready = null;
    await new Promise<void>((res) => {
      const t = setTimeout(() => { killGroup(p.pid); res(); }, 2000);
      p.once('exit', () => { clearTimeout(t); killGroup(p.pid); res(); });
      channel?.end();
    });
    untrackGroup(p.pid);
  }
}
