// The user's JS/TS reward function with TRL's signature `(prompts, completions, kwargs) => number[]`, loaded from
// its file in a worker thread (resources/reward-fn/js_driver.cjs): never eval'd, off the caller's event loop, and
// stoppable. A batch past the timeout terminates the worker, even in a synchronous endless loop; the next batch
// starts a fresh one. The function's console output goes to `log`, never into the CLI's stdout.
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BatchReward, BatchRewardInput, BatchRewardResult } from '../../core/scoring/batch-reward';
import { abortError, checkResults, failedBatch } from './batch-results';
import { driverPath } from './driver-path';
import { RewardFnLoadError } from './python-reward';

export interface JsRewardOptions {
  name: string | null;
  timeoutMs: number;
  column: string;
  log?: (text: string) => void;
}

interface WorkerReply {
  id?: number;
  results?: unknown;
  ready?: boolean;
  fatal?: string;
  function?: string;
}

export class JsReward implements BatchReward {
  readonly name: string;
  readonly description: string;
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly waiters = new Map<number, (r: WorkerReply | null) => void>();
  private nextId = 1;
  private readonly file: string;

  constructor(file: string, private readonly opts: JsRewardOptions) {
    this.file = resolve(file);
    this.name = opts.column;
    this.description = `your JS reward function ${opts.name ?? ''} in ${file}`.replace('  ', ' ');
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const w = new Worker(driverPath('js_driver.cjs'), { workerData: { file: this.file, name: this.opts.name }, stdout: true, stderr: true });
    this.worker = w;
    for (const stream of [w.stdout, w.stderr]) createInterface({ input: stream, crlfDelay: Infinity }).on('line', (l) => this.opts.log?.(`[${this.name}] ${l}`));
    this.ready = new Promise<void>((resolveReady, rejectReady) => {
      let started = false;
      w.on('message', (m: WorkerReply) => {
        if (!started) {
          started = true;
          if (m.fatal !== undefined) rejectReady(new RewardFnLoadError(`${this.file}: ${m.fatal}`));
          else {
            this.opts.log?.(`[${this.name}] loaded ${m.function ?? '?'} from ${this.file}`);
            resolveReady();
          }
          return;
        }
        if (typeof m.id === 'number') {
          const done = this.waiters.get(m.id);
          this.waiters.delete(m.id);
          done?.(m);
        }
      });
      w.on('error', (e) => {
        this.opts.log?.(`[${this.name}] ${e.stack ?? e.message}`);
        if (!started) {
          started = true;
          rejectReady(new RewardFnLoadError(`${this.file}: ${e.message}`));
        }
      });
      w.on('exit', () => {
        if (this.worker === w) { this.worker = null; this.ready = null; }
        if (!started) {
          started = true;
          rejectReady(new RewardFnLoadError(`${this.file}: the reward worker exited before loading it`));
        }
        for (const done of this.waiters.values()) done(null);
        this.waiters.clear();
      });
    });
    this.ready.catch(() => { this.stop(); });
    return this.ready;
  }

  private stop(): void {
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) void w.terminate();
  }

  async score(batch: readonly BatchRewardInput[], signal: AbortSignal): Promise<BatchRewardResult[]> {
    if (signal.aborted) throw abortError();
    if (batch.length === 0) return [];
    await this.start();
    const w = this.worker;
    if (!w) return failedBatch(batch.length, 'the reward worker exited');
    const id = this.nextId++;
    const items = batch.map((b) => ({ prompt: b.prompt, completion: b.completion, gold: b.gold ?? null, data_source: b.dataSource, record: b.record }));
    const reply = await new Promise<WorkerReply | null | 'timeout'>((resolveReply, rejectReply) => {
      const timer = setTimeout(() => done('timeout'), this.opts.timeoutMs);
      const onAbort = (): void => {
        cleanup();
        this.stop();
        rejectReply(abortError());
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiters.delete(id);
      };
      const done = (r: WorkerReply | null | 'timeout'): void => {
        cleanup();
        resolveReply(r);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(id, done);
      w.postMessage({ id, items });
    });
    if (reply === 'timeout') {
      this.stop();
      const msg = `timed out after ${this.opts.timeoutMs / 1000} s (batch of ${batch.length}); the function was stopped`;
      this.opts.log?.(`[${this.name}] ${msg}`);
      return failedBatch(batch.length, msg);
    }
    if (reply === null) return failedBatch(batch.length, 'the reward worker exited while scoring this batch; see the output');
    return checkResults(reply.results, batch.length);
  }

  async dispose(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    if (w) await w.terminate();
  }
}
