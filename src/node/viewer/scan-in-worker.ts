// Runs scanRun in a worker thread (dist/viewer-worker.js) and revives its result on this side: the offsets
// tables come back as plain objects and get their class again; errors keep their InputError code.
import { resolve as resolvePath } from 'node:path';
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { RecordOffsets } from '../record-offsets';
import { InputError } from '../read-types';
import { adoptSpill } from '../decompress';
import { MissingWorkerError } from '../worker-script';
import type { ScanEvents, ScanOptions, ScanResult } from './run-scan';
import type { WorkerMessage } from './viewer-worker';

export function scanInWorker(script: string, path: string, opts: ScanOptions, events: ScanEvents = {}, signal?: AbortSignal): Promise<ScanResult> {
  return new Promise<ScanResult>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new DOMException('The scan was cancelled', 'AbortError'));
      return;
    }
    // A missing bundle is an installation error, not a reason to scan on the caller's (the extension host's) thread.
    if (!existsSync(script)) {
      reject(new MissingWorkerError(script, 'viewer-worker'));
      return;
    }
    // A JSON copy: options may come from VS Code configuration proxies, which structured clone refuses.
    // The scan thread merges the range workers' results: short-lived objects per sample, a few MB of live data. A
    // bounded young generation, as for the range workers (parallel-load.ts), keeps its heap from growing to V8's
    // default semi-spaces. 4 MB: on the 1 GB file of real model texts the scan peaked at 304 MB against 322 with
    // 16 MB, at the same CPU time (the merge is a small part of the scan's work).
    const w = new Worker(resolvePath(script), {
      workerData: { path, opts: JSON.parse(JSON.stringify(opts)) as ScanOptions },
      resourceLimits: { maxYoungGenerationSizeMb: 4 },
    });
    let settled = false;
    const finish = (f: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = (): void => finish(() => {
      void w.terminate();
      reject(new DOMException('The scan was cancelled', 'AbortError'));
    });
    signal?.addEventListener('abort', onAbort);
    w.on('message', (m: WorkerMessage) => {
      switch (m.type) {
        case 'progress': events.progress?.(m.progress); return;
        case 'firstRows': events.firstRows?.(m.rows); return;
        case 'done':
          for (const f of m.result.files) {
            // Structured clone keeps the fields, not the prototype.
            if (f.offsets) Object.setPrototypeOf(f.offsets, RecordOffsets.prototype);
            // Temporary copies the worker made: removed by the session, or when this process exits.
            if (f.spilled) adoptSpill(f.spilled.path);
            if (f.dataPath) adoptSpill(f.dataPath);
          }
          finish(() => resolve(m.result));
          void w.terminate();
          return;
        case 'error':
          finish(() => reject(m.inputError ? new InputError(m.message, m.inputError.path, m.inputError.code) : new Error(m.message)));
          void w.terminate();
          return;
      }
    });
    w.on('error', (e) => finish(() => reject(e)));
    w.on('exit', (code) => finish(() => reject(new Error(`the scan worker exited (${code})`))));
  });
}
