// A small pool of worker threads running the trace analysis (src/node/analysis-worker.ts). Inputs are batched;
// drain() gives the reader backpressure so that in-flight text stays bounded whatever the file size.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { AnalyseInput } from '../core/analyse';
import type { Flag } from '../core/types';
import type { AnalysisRequest, AnalysisResponse } from './analysis-messages';
import { MissingWorkerError } from './worker-script';

export type AnalysisResult = (index: number, bits: number, flags: Flag[] | undefined) => void;

/** Where the worker script is: next to the bundle (dist/worker.js), or the TypeScript source under tsx. */
export function workerEntry(): { file: string; execArgv: string[] } {
  const bundled = join(__dirname, 'worker.js');
  if (existsSync(bundled)) return { file: bundled, execArgv: [] };
  const source = join(__dirname, 'analysis-worker.ts');
  if (existsSync(source)) return { file: source, execArgv: ['--require', 'tsx/cjs'] };
  throw new MissingWorkerError(bundled, 'worker');
}

export class AnalysisPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: AnalysisRequest[] = [];
  private readonly pending = new Map<number, number[]>();
  private batch: AnalyseInput[] = [];
  private batchIndices: number[] = [];
  private nextId = 0;
  private inFlight = 0;
  private failure: Error | null = null;
  private waiters: (() => void)[] = [];

  constructor(private readonly onResult: AnalysisResult, private readonly opts: { size?: number; batchSize?: number; keepFlags?: boolean; estimateCompression?: boolean } = {}) {
    const size = Math.max(1, opts.size ?? availableParallelism());
    const entry = workerEntry();
    for (let i = 0; i < size; i++) {
      const w = new Worker(entry.file, { execArgv: entry.execArgv });
      w.on('message', (res: AnalysisResponse) => this.done(w, res));
      w.on('error', (e) => this.fail(e));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  /** Queues one sample's analysis. */
  add(index: number, input: AnalyseInput): void {
    this.batch.push(input);
    this.batchIndices.push(index);
    if (this.batch.length >= (this.opts.batchSize ?? 256)) this.flushBatch();
  }

  /** Resolves once few enough batches are in flight (call between reader chunks). */
  async drain(limit = this.workers.length * 3): Promise<void> {
    this.flushBatch();
    while (this.inFlight > limit && this.failure === null) await new Promise<void>((r) => this.waiters.push(r));
    if (this.failure) throw this.failure;
  }

  /** Waits for every queued sample, then stops the workers. */
  async finish(): Promise<void> {
    try {
      await this.drain(0);
    } finally {
      await this.close();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private flushBatch(): void {
    if (this.batch.length === 0) return;
    const req: AnalysisRequest = { id: this.nextId++, inputs: this.batch, keepFlags: this.opts.keepFlags ?? false, estimateCompression: this.opts.estimateCompression };
    this.pending.set(req.id, this.batchIndices);
    this.batch = [];
    this.batchIndices = [];
    this.inFlight++;
    this.queue.push(req);
    this.pump();
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const w = this.idle.pop() as Worker;
      w.postMessage(this.queue.shift());
    }
  }

  private done(w: Worker, res: AnalysisResponse): void {
    const indices = this.pending.get(res.id) ?? [];
    this.pending.delete(res.id);
    for (let i = 0; i < indices.length; i++) this.onResult(indices[i], res.bits[i], res.flags?.[i]);
    this.inFlight--;
    this.idle.push(w);
    this.pump();
    this.wake();
  }

  private fail(e: Error): void {
    this.failure = e;
    this.wake();
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const r of ws) r();
  }
}
