// The reused deflate stream must give exactly deflateSync's length on every window the detector compresses:
// the compressible flag compares the ratio with a threshold, so any difference could move a flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { zlibCompressRatio } from '../../../src/node/zlib-ratio';

import { REAL, needFixtures } from '../../support/fixtures';

function strings(v: unknown, out: string[]): void {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
}

test('zlibCompressRatio equals deflateSync on real text windows, empty, short and degenerate strings', { skip: needFixtures(REAL) }, () => {
  const texts: string[] = ['', 'a', 'ab', '数学', '😀'.repeat(3000), 'x'.repeat(5000), 'Wait, let me check. '.repeat(200)];
  for (const f of ['reward-kit/gsm8k_regenerated_think_traces.jsonl', 'reward-kit/openr1_math_regenerated_think_traces.jsonl', 'rl-logging-board/eval_poem_task_data.jsonl', 'verifiers/wordle_qwen3-30b-a3b-thinking_results.jsonl']) {
    for (const line of readFileSync(join(REAL, f), 'utf8').split('\n')) if (line.trim()) strings(JSON.parse(line), texts);
  }
  let checked = 0;
  for (const t of texts) {
    for (const w of [t, t.slice(-2000), t.slice(0, 700)]) {
      const b = Buffer.from(w, 'utf8');
      const want = b.length === 0 ? 1 : b.length / deflateSync(b).length;
      assert.equal(zlibCompressRatio(w), want, JSON.stringify(w.slice(0, 60)));
      checked++;
    }
  }
  assert.ok(checked > 3000);
});
