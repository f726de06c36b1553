// Extension-host test entry (`extensionTestsPath`): the workbench `require`s this bundle in the remote Node
// extension host and calls run(). A resolved promise means exit 0, a rejection exit 1 (docs/platform.md §4.3), so
// the real counts travel as a log line that scripts/test-integration.mjs parses.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export const COUNT_PREFIX = 'rollout-lens-integration-result:';
// The extension host's console arrives in the runner mixed with workbench log lines of the same type; the
// runner echoes only what comes between these two markers.
export const START_MARKER = 'rollout-lens-integration-start';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: Number(process.env.ROLLOUT_LENS_TEST_TIMEOUT_MS ?? 30000) });
  const grep = process.env.ROLLOUT_LENS_TEST_GREP;
  if (grep) mocha.grep(grep);
  // The bundles sit next to this file (scripts/build.mjs writes them all to out/test/integration/).
  // Heavy suites (hundreds of MB generated at test time) run last: after them VS Code was seen to miss file changes
  // for a while (the live-tail suite failed right after the large-file one, and passed before it).
  const heavy = (n: string): number => (n.startsWith('large-file') ? 1 : 0);
  for (const name of fs.readdirSync(__dirname).sort((a, b) => heavy(a) - heavy(b) || (a < b ? -1 : a > b ? 1 : 0))) {
    if (name.endsWith('.vscode.test.js')) mocha.addFile(path.join(__dirname, name));
  }
  return new Promise((resolve, reject) => {
    console.log(START_MARKER);
    try {
      const runner = mocha.run((failures) => {
        const passes = runner.stats?.passes ?? 0;
        console.log(`${COUNT_PREFIX} ${passes} passed, ${failures} failed`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
