// Finds the driver scripts shipped in resources/reward-fn/: next to dist/ in the packaged extension and the CLI
// bundle, three levels up from this source file when run through tsx (unit tests).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function driverPath(file: string): string {
  const candidates = [resolve(__dirname, '..', 'resources', 'reward-fn', file), resolve(__dirname, '..', '..', '..', 'resources', 'reward-fn', file)];
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`Rollout Lens is missing its reward driver ${join('resources', 'reward-fn', file)} (looked in ${candidates.join(', ')})`);
}
