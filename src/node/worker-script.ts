// Where the worker threads the extension starts are: bundles next to dist/extension.js (scripts/build.mjs builds
// them, dist/bundles.json lists them, the VSIX ships dist/ as a whole). A missing bundle is an installation error,
// reported as such: falling back to running the scan on the caller's thread would block the extension host for
// seconds on a large file, silently (issue #18: the VSIX once left out problem-scan-worker.js).
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The worker bundles the extension can start (file names in dist/, without .js). */
export const WORKER_BUNDLES = ['worker', 'viewer-worker', 'problem-scan-worker'] as const;
export type WorkerBundle = (typeof WORKER_BUNDLES)[number];

const PURPOSE: Record<WorkerBundle, string> = {
  worker: 'trace analysis',
  'viewer-worker': 'Rollout Viewer scan',
  'problem-scan-worker': 'large-file problem scan',
};

export class MissingWorkerError extends Error {
  constructor(readonly file: string, readonly bundle: WorkerBundle) {
    super(`Rollout Lens is incompletely installed: ${file} is missing, so the ${PURPOSE[bundle]} cannot run in a worker thread. Reinstall the extension.`);
    this.name = 'MissingWorkerError';
  }
}

/** The bundled worker script `name` in `dir` (the extension's dist/); throws MissingWorkerError when it is absent. */
export function bundledWorker(dir: string, name: WorkerBundle): string {
  const file = join(dir, `${name}.js`);
  if (!existsSync(file)) throw new MissingWorkerError(file, name);
  return file;
}
