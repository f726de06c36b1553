import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readParquet } from '../../../src/node/parquet-reader';
import { InputError, readInput } from '../../../src/node/read-input';
import { collect } from './helpers';
import { withTempDir } from '../../support/temp-dir';
import { writeParquet as writeParquetFile } from '../../support/files';

function writeParquet(path: string, codec: string, compressors?: Record<string, (x: Uint8Array) => Uint8Array>): Promise<void> {
  return writeParquetFile(path, [
    { name: 'step', data: [BigInt(12), BigInt(12), BigInt(12)], type: 'INT64' },
    { name: 'prompt', data: ['p NaN', 'p', 'p'], type: 'STRING' },
    { name: 'completion', data: ['<think>a</think>', 'b', 'ç'], type: 'STRING' },
    { name: 'accuracy_reward', data: [1.0, NaN, 0.5], type: 'DOUBLE' },
    { name: 'advantage', data: [0.8, -0.4, 0.1], type: 'DOUBLE' },
  ], { codec, compressors, rowGroupSize: 2 });
}

test('parquet rows become records with rowIndex; BigInt → number; NaN reward stays NaN (snappy, gzip, none)', async () => {
  await withTempDir(async (t) => {
    const cases: [string, Record<string, (x: Uint8Array) => Uint8Array> | undefined][] = [
      ['SNAPPY', undefined],
      ['UNCOMPRESSED', undefined],
      ['GZIP', { GZIP: (x) => new Uint8Array(gzipSync(x)) }],
    ];
    for (const [codec, compressors] of cases) {
      const p = `${t.dir}/completions_00012.${codec}.parquet`;
      await writeParquet(p, codec, compressors);
      const c = collect();
      const st = await readParquet(p, c.handlers);
      assert.equal(st.records, 3, codec);
      assert.equal(st.rowGroups, 2);
      assert.deepEqual(c.records.map((r) => r.source.rowIndex), [0, 1, 2]);
      assert.deepEqual(c.records.map((r) => r.source.line), [null, null, null]);
      const v = c.records.map((r) => r.value as Record<string, unknown>);
      assert.equal(v[0].step, 12);
      assert.equal(v[0].prompt, 'p NaN');
      assert.equal(v[2].completion, 'ç');
      assert.ok(Number.isNaN(v[1].accuracy_reward));
      assert.equal(v[1].advantage, -0.4);
    }
  });
});

test('parquet is detected by PAR1 magic, not by extension; step and split come from the name', async () => {
  await withTempDir(async (t) => {
    const p = `${t.dir}/completions_00042.jsonl`;
    await writeParquet(p, 'SNAPPY');
    const c = collect();
    const r = await readInput(p, c.handlers);
    assert.equal(r.files[0].info.container, 'parquet');
    assert.equal(r.files[0].info.stepFromName, 42);
    assert.equal(r.records, 3);
  });
});

test('an unsupported codec gives a clear error naming the column and codec', async () => {
  await withTempDir(async (t) => {
    const p = `${t.dir}/lzo.parquet`;
    await writeParquet(p, 'LZO', { LZO: (x) => x });
    await assert.rejects(readInput(p, collect().handlers), (e: unknown) => {
      assert.ok(e instanceof InputError);
      assert.match(e.message, /parquet column step uses codec LZO which is not supported$/);
      assert.doesNotMatch(e.message, /\n\s+at /);
      return true;
    });
  });
});
