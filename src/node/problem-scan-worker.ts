// Worker thread entry for the large-file problem scan (dist/problem-scan-worker.js): see problem-scan.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { scanProblems, type ProblemScanOptions, type ProblemScanResult } from './problem-scan';

export type ProblemScanMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; result: ProblemScanResult | null }
  | { type: 'error'; message: string };

const port = parentPort;
const data = workerData as { path: string; opts: ProblemScanOptions };
if (port) {
  const post = (m: ProblemScanMessage): void => port.postMessage(m);
  let last = 0;
  scanProblems(data.path, data.opts, (done, total) => {
    // A progress message per chunk is plenty; the host only moves a notification bar.
    if (done - last >= total / 200 || done === total) {
      last = done;
      post({ type: 'progress', done, total });
    }
  }).then(
    (result) => post({ type: 'done', result }),
    (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
}
