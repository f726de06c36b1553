// Worker thread for the viewer's scan: parsing and analysing a big file takes minutes of CPU, which would stall
// the extension host; here it only costs a core. Posts progress, the first rows, then the structured-cloneable
// ScanResult (typed arrays, offsets tables, where the records of parquet files were copied), or the error.
import { parentPort, workerData } from 'node:worker_threads';
import { deriveScan, scanRun, type ScanOptions } from './run-scan';
import { InputError } from '../read-types';
import { transferablesOf } from './transferables';
import { releaseSpill } from '../decompress';
import type { SampleRow, ScanProgress } from '../../protocol/viewer-protocol';
import type { ScanResult } from './run-scan';

export type WorkerMessage =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'firstRows'; rows: SampleRow[] }
  | { type: 'done'; result: ScanResult }
  | { type: 'error'; message: string; inputError: { path: string; code: InputError['code'] } | null };

const port = parentPort;
const data = workerData as { path: string; opts: ScanOptions };
if (port) {
  const post = (m: WorkerMessage): void => port.postMessage(m);
  scanRun(data.path, data.opts, {
    progress: (p) => post({ type: 'progress', progress: p }),
    firstRows: (rows) => post({ type: 'firstRows', rows }),
  }).then(
    // Chart data and trends are computed here, not on the extension host that receives the model. The model's
    // typed arrays move to the host rather than being copied (the worker ends after this message).
    (result) => {
      const derived = deriveScan(result.model);
      const moved = transferablesOf([result.model, result.files.map((f) => [f.offsets, f.spilled]), derived]);
      // The temporary copies now belong to the extension host (scan-in-worker.ts adopts them).
      for (const f of result.files) {
        if (f.spilled) releaseSpill(f.spilled.path);
        if (f.dataPath) releaseSpill(f.dataPath);
      }
      port.postMessage({ type: 'done', result: { ...result, derived } } satisfies WorkerMessage, moved);
    },
    (e: unknown) => post({
      type: 'error',
      message: e instanceof Error ? e.message : String(e),
      inputError: e instanceof InputError ? { path: e.path, code: e.code } : null,
    }),
  );
}
