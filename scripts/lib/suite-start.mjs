// The start shared by the two code-server suites (scripts/test-e2e.mjs, scripts/test-integration.mjs): timed notes
// on stderr, the final `<label>: N passed, N failed` line test-all parses, and a loud failure (never a skip) when
// code-server or Chromium is missing.
import { findChromium, requireCodeServer } from './code-server.mjs';

/**
 * @param {string} label 'e2e' or 'integration'
 * @returns {{ note: (m: string) => void, elapsed: () => string, finish: (passed: number, failed: number, code: number) => never }}
 */
export function startSuite(label) {
  const t0 = Date.now();
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  const note = (m) => console.error(`[${label} ${elapsed()}] ${m}`);
  const finish = (passed, failed, code) => {
    console.log(`${label}: ${passed} passed, ${failed} failed`);
    process.exit(code);
  };
  try {
    requireCodeServer();
    findChromium();
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    finish(0, 1, 1);
  }
  return { note, elapsed, finish };
}
