// Compressed inputs: gzip and zstd JSONL / JSON files and folders, found by magic bytes, streamed for one pass and
// decompressed once to a temporary copy where the viewer needs random access.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadRun } from '../../../src/node/load-run';
import { InputError, readInput } from '../../../src/node/read-input';
import { RunSession } from '../../../src/node/viewer/run-session';
import { fixture, needFixtures } from '../../support/fixtures';
import { zstdRawFrame } from '../../support/zstd-frames';
import { collect } from '../reader/helpers';
import { withTempDir } from '../../support/temp-dir';

const line = (i: number): string => JSON.stringify({
  prompt: `What is ${i} + ${i}?`, completion: `<think>${i} + ${i} = ${2 * i}</think><answer>${2 * i}</answer>`, reward: i % 2, step: 1 + (i % 3),
});
const jsonl = (n: number, from = 0): string => Array.from({ length: n }, (_, i) => line(from + i)).join('\n') + '\n';
const ORZ = fixture('real2', 'orz-mor-li', 'na_en_q06_idx141.json');

test('.jsonl.gz and .jsonl.zst read like the .jsonl they hold', async () => {
  await withTempDir(async (t) => {
    const text = jsonl(50);
    const gz = t.file('run.jsonl.gz', gzipSync(text));
    // Two concatenated zstd frames with small blocks: what a writer that seals chunks produces.
    const half = Buffer.from(text).subarray(0, 1234);
    const zst = t.file('run.jsonl.zst', Buffer.concat([zstdRawFrame(half, 500), zstdRawFrame(Buffer.from(text).subarray(1234), 700)]));
    for (const p of [gz, zst]) {
      const m = await loadRun(p);
      assert.equal(m.count, 50, p);
      assert.equal(m.detection?.format, 'trl');
      assert.deepEqual([...m.columns.reward].slice(0, 4), [0, 1, 0, 1]);
      assert.deepEqual(m.badLines, []);
    }
  });
});

test('compression is found by magic bytes, whatever the name says', async () => {
  await withTempDir(async (t) => {
    const p = t.file('looks-plain.jsonl', gzipSync(jsonl(7)));
    const c = collect();
    const r = await readInput(p, c.handlers);
    assert.equal(r.records, 7);
    assert.equal(r.files[0].info.compression, 'gzip');
    assert.equal(r.files[0].info.container, 'jsonl');
  });
});

test('a JSON array and a whole-file JSON object inside gzip / zstd', async (t) => {
  await withTempDir(async (d) => {
    const arr = d.file('items.json.gz', gzipSync(JSON.stringify(Array.from({ length: 5 }, (_, i) => JSON.parse(line(i))), null, 2)));
    assert.equal((await loadRun(arr)).count, 5);
    if (!existsSync(ORZ)) {
      t.skip(needFixtures(ORZ) || 'ORZ fixture missing');
      return;
    }
    const orz = d.file('orz.json.zst', zstdRawFrame(readFileSync(ORZ)));
    const m = await loadRun(orz);
    assert.equal(m.detection?.format, 'inferred');
    assert.equal(m.count, 28);
  });
});

test('a folder of compressed step files is one run in step order', async () => {
  await withTempDir(async (t) => {
    const rec = (step: number): string => JSON.stringify({ input: `q${step}`, output: 'some answer text', score: 1, step }) + '\n';
    t.file('10.jsonl', rec(10));
    t.file('2.jsonl.zst', zstdRawFrame(Buffer.from(rec(2))));
    t.file('1.jsonl.gz', gzipSync(rec(1)));
    const files: string[] = [];
    const c = collect();
    const r = await readInput(t.dir, { ...c.handlers, onFile: (f) => files.push(`${f.stepFromName}:${f.compression ?? 'plain'}`) });
    assert.deepEqual(files, ['1:gzip', '2:zstd', '10:plain']);
    assert.equal(r.records, 3);
  });
});

test('a truncated archive keeps what came before the cut; a corrupt or empty one is a clear error naming the file', async () => {
  await withTempDir(async (t) => {
    const whole = gzipSync(jsonl(2000));
    const cut = t.file('cut.jsonl.gz', whole.subarray(0, whole.length >> 1));
    for (const viewer of [false, true]) {
      // Cut mid-stream: the records before the cut load (streamed and through the viewer's copy), with a note.
      const session = viewer ? new RunSession(cut) : null;
      const m = session ? await session.scan() : await loadRun(cut);
      await session?.close();
      assert.ok(m.count > 100 && m.count < 2000, `${m.count} records before the cut`);
      assert.ok(m.notes.some((n) => /gzip data ends or breaks after/.test(n.message)), m.notes.map((n) => n.message).join('; '));
    }
    const bad = t.file('bad.jsonl.zst', Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(64, 0xff)]));
    await assert.rejects(loadRun(bad), (e: unknown) => e instanceof InputError && /bad\.jsonl\.zst/.test(e.message));
    const empty = t.file('empty.jsonl.gz', gzipSync(''));
    await assert.rejects(loadRun(empty), (e: unknown) => e instanceof InputError && /empty/.test(e.message));
  });
});

test('the viewer reads any sample of a compressed file at random through its decompressed copy, removed on close', async () => {
  await withTempDir(async (t) => {
    const n = 3000;
    const p = t.file('big.jsonl.gz', gzipSync(jsonl(n)));
    const s = new RunSession(p);
    const m = await s.scan();
    assert.equal(m.count, n);
    const spill = (s as unknown as { slots: { dataPath: string | null }[] }).slots[0].dataPath;
    assert.ok(spill && existsSync(spill), 'decompressed copy exists while the session is open');
    for (const i of [n - 1, 0, 1777, 42, n - 2]) {
      const sample = await s.sample(i);
      assert.equal(sample?.prompt, `What is ${i} + ${i}?`, `sample ${i}`);
    }
    await s.close();
    assert.equal(existsSync(spill), false, 'decompressed copy removed');
    assert.ok(readFileSync(p).length > 0, 'the log itself is untouched');
  });
});

test('real zstd compression (when the zstd tool is installed)', async (t) => {
  const probe = spawnSync('zstd', ['--version']);
  if (probe.error || probe.status !== 0) {
    t.skip('zstd binary not installed');
    return;
  }
  await withTempDir(async (d) => {
    const plain = d.file('run.jsonl', jsonl(500));
    const r = spawnSync('zstd', ['-q', '-19', plain, '-o', join(d.dir, 'run.jsonl.zst')]);
    assert.equal(r.status, 0);
    writeFileSync(plain, ''); // only the archive is left with content
    const m = await loadRun(join(d.dir, 'run.jsonl.zst'));
    assert.equal(m.count, 500);
  });
});
