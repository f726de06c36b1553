// The tool-name filter works for any number of tools (it held the first 31 names of a run in a bitmask): a run
// whose samples call 40 different tools, loaded through the range workers and through the single-thread path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRun } from '../../../src/node/load-run';
import { loadRunParallel } from '../../../src/node/parallel-load';
import { filterSamples } from '../../../src/core/viewer/sample-query';

const TOOLS = 40;

function call(name: string): string {
  return `<tool_call>\n{"name": "${name}", "arguments": {"q": 1}}\n</tool_call>`;
}

/** Sample k calls tool_(k mod 40), and every third sample tool_39 as well: tool_39 is the run's 40th name. */
function rows(): string {
  const out: string[] = [];
  for (let k = 0; k < 120; k++) {
    const names = [`tool_${k % TOOLS}`];
    if (k % 3 === 0 && k % TOOLS !== TOOLS - 1) names.push(`tool_${TOOLS - 1}`);
    const output = `${names.map(call).join('\n')}\nuser\n<tool_response>\nok\n</tool_response>\nassistant\nDone: #### ${k}`;
    out.push(JSON.stringify({ input: 'system\nUse tools.\nuser\nGo.\nassistant\n', output, score: k % 2, step: 1 }));
  }
  return out.join('\n') + '\n';
}

function expected(name: string): number[] {
  const n = Number(name.slice('tool_'.length));
  const hits: number[] = [];
  for (let k = 0; k < 120; k++) if (k % TOOLS === n || (n === TOOLS - 1 && k % 3 === 0)) hits.push(k);
  return hits;
}

for (const workers of [false, 2] as const) {
  test(`tool-name filter past the 31st name (${workers ? 'range workers' : 'one thread'})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rl-tool-names-'));
    try {
      const path = join(dir, 'many-tools.jsonl');
      writeFileSync(path, rows());
      // minBytes 0: the range workers even for this small file (they carry the name table across the thread boundary).
      const model = workers ? (await loadRunParallel(path, { analyse: true, workers, minBytes: 0 }))?.model : await loadRun(path, { analyse: true });
      assert.ok(model);
      assert.equal(model.count, 120);
      assert.equal(model.trajectories.toolNames.length, TOOLS);
      for (const name of ['tool_0', 'tool_30', 'tool_31', 'tool_35', `tool_${TOOLS - 1}`]) {
        assert.deepEqual(Array.from(filterSamples({ model }, { toolName: name })), expected(name), name);
      }
      assert.equal(filterSamples({ model }, { toolName: 'tool_99' }).length, 0);
      assert.equal(filterSamples({ model }, { toolName: '__proto__' }).length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
