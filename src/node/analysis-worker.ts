// Worker thread: runs the core trace analysis on batches of completions sent by AnalysisPool, so that a
// 1 GB scan uses every core and the extension host's thread stays free.
import { parentPort } from 'node:worker_threads';
import { analyseCompletion, type AnalyseInput } from '../core/analyse';
import { flagBitsOf } from '../core/run/run-builder';
import type { AnalysisRequest, AnalysisResponse } from './analysis-messages';
import type { RangeTask, SampleResult, SampleTask } from './range-messages';
import { firstRecordsOf } from './detect-sample';
import { prepareTask, transferList } from './range-prepare';
import { zlibCompressRatio } from './zlib-ratio';

/** The real zlib ratio (docs/detection.md §11.4), injected into the pure core (re-exported for older importers). */
export { zlibCompressRatio };

if (parentPort) {
  const port = parentPort;
  // Tasks of the parallel reader run one after the other (parquet and JSON-array parts await their reads): two
  // interleaved tasks would hold twice the parsed records.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (msg: AnalysisRequest | RangeTask | SampleTask) => {
    if ('type' in msg && msg.type === 'sample') {
      // The parallel reader's detection sample, read here so that a megabyte line is never parsed on its thread.
      queue = queue.then(async () => {
        let r: SampleResult;
        try {
          r = { type: 'sample', values: await firstRecordsOf(msg.path, msg.container, msg.want) };
        } catch (e) {
          const err = e as { message?: unknown; name?: unknown; path?: unknown; code?: unknown };
          r = { type: 'sample', error: { message: String(err?.message ?? e), name: String(err?.name ?? 'Error'), path: typeof err?.path === 'string' ? err.path : undefined, code: typeof err?.code === 'string' ? err.code : undefined } };
        }
        port.postMessage(r);
      });
      return;
    }
    if ('type' in msg) {
      // The parallel reader (parallel-load.ts): this worker reads, parses and analyses a part of a file itself.
      queue = queue.then(async () => {
        const r = await prepareTask(msg);
        port.postMessage(r, transferList(r));
      });
      // A failed read (a file removed meanwhile) must reach the parallel reader as the worker's error.
      queue.catch((e: unknown) => setImmediate(() => { throw e; }));
      return;
    }
    const req = msg;
    const bits = new Uint8Array(req.inputs.length);
    const flags: AnalysisResponse['flags'] = req.keepFlags ? [] : undefined;
    for (let i = 0; i < req.inputs.length; i++) {
      // Only the flags go back, so the detectors may skip metrics no flag needs (AnalyseInput.flagsOnly).
      const input: AnalyseInput = req.estimateCompression ? { ...req.inputs[i], flagsOnly: true } : { ...req.inputs[i], compressRatio: zlibCompressRatio, flagsOnly: true };
      try {
        const a = analyseCompletion(input);
        bits[i] = flagBitsOf(a.flags);
        flags?.push(a.flags);
      } catch {
        // A detector bug must not lose the batch: the sample simply gets no flags.
        flags?.push([]);
      }
    }
    const res: AnalysisResponse = { id: req.id, bits, flags };
    port.postMessage(res, [bits.buffer]);
  });
}
