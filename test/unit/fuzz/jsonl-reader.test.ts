// Fuzzing the streaming JSONL reader (src/node/jsonl-scan.ts) with ANY bytes: valid records, invalid UTF-8,
// multi-byte characters, NUL runs, stray CR, BOMs, NaN literals and garbage, cut into chunks of any size. The
// chunk size must never change what is read (records, their lines and byte offsets, bad lines and their messages,
// notes); the reader must never throw; line numbers must be the real ones; every record offset must read back
// the same record by random access; and the whole pipeline (readInput: sniffing + container choice) must either
// read or refuse with an InputError, nothing else. test/unit/reader/jsonl-scan.test.ts holds the reader's
// property test over well-formed UTF-8; this one is about hostile bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { scanJsonl } from '../../../src/node/jsonl-scan';
import { InputError, readInput } from '../../../src/node/read-input';
import { JsonlRecordIndex } from '../../../src/node/record-index';
import { collect } from '../reader/helpers';
import { withTempDir } from '../../support/temp-dir';
import { check, FUZZ_SEED } from './seed';

console.log(`# fuzz seed ${FUZZ_SEED} (FUZZ_SEED=<n> or FUZZ_SEED=random to change)`);

const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');

// Pieces a line is made of. Joined without separators, so a multi-byte character, an escape or a CRLF can land on
// any chunk boundary.
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(
    '{"prompt": "q", "completion": "<think>a</think>", "reward": 1}', '{"a":1}', '{"s": "日本語 ✓ 😀"}', '{"r": NaN}',
    '{"r": -Infinity, "x": "NaN"}', '{"u": "\\ud800\\udc00 \\ud800"}', '[1,2]', '"str"', '42', 'null', '{', '}', '{"broken": ', ',',
    ' ', '\t', '\r', '\r\n', '\n', '\n\n',
  ).map(enc) },
  { weight: 2, arbitrary: fc.constantFrom('é', '中', '😀', '\u2028', '\ufeff').map(enc) },
  // Broken UTF-8: lone continuation bytes, truncated sequences, overlongs, surrogate encodings, 0xff.
  { weight: 2, arbitrary: fc.constantFrom([0x80], [0xc3], [0xe6, 0x97], [0xf0, 0x9f, 0x98], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xff], [0xfe, 0xff]).map((b) => Uint8Array.from(b)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 40 }).map((n) => new Uint8Array(n)) }, // NUL runs
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 12 }) }, // anything
);
const fileBytes = fc.array(piece, { maxLength: 60 }).map((ps) => Buffer.concat(ps));

interface Read {
  records: { value: unknown; line: number | null; offset: number | null }[];
  bad: { line: number; error: string }[];
  notes: { line: number | null; kind: string; message: string }[];
  endOffset: number;
  nextLine: number;
}

async function read(path: string, chunkSize: number, keepOffsets = false): Promise<Read & { index?: JsonlRecordIndex }> {
  const c = collect();
  const st = await scanJsonl(path, c.handlers, { chunkSize, keepOffsets });
  return {
    records: c.records.map((r) => ({ value: r.value, line: r.source.line, offset: r.source.byteOffset })),
    bad: c.bad.map((b) => ({ line: b.line, error: b.error })),
    notes: c.notes.map((n) => ({ line: n.line, kind: n.kind, message: n.message })),
    endOffset: st.endOffset,
    nextLine: st.nextLine,
    index: st.offsets ? new JsonlRecordIndex(path, st.offsets) : undefined,
  };
}

/** 1-based line of the byte at `offset`: one more than the LFs before it. */
function lineAt(bytes: Buffer, offset: number): number {
  let n = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}

test('any bytes: identical result for every chunk size, real line numbers, offsets that read back', async () => {
  await withTempDir(async (t) => {
    await check(fc.asyncProperty(fileBytes, fc.integer({ min: 1, max: 97 }), async (bytes, chunk) => {
      const p = t.file('fuzz.jsonl', bytes);
      const whole = await read(p, 1 << 22, true);
      for (const size of [1, 2, 3, chunk]) {
        const r = await read(p, size);
        assert.deepEqual(r, { ...whole, index: undefined }, `chunk size ${size} changed the result`);
      }
      // Line numbers are the file's: a record's line is the line its first byte sits on (BOM skipped at 0).
      for (const rec of whole.records) {
        assert.ok(rec.offset !== null && rec.line !== null);
        assert.equal(rec.line, lineAt(bytes, rec.offset), `record at byte ${rec.offset}`);
      }
      const lfs = bytes.reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
      for (const b of whole.bad) assert.ok(b.line >= 1 && b.line <= lfs + 1, `bad line ${b.line} beyond the file (${lfs} LF)`);
      // endOffset is just past the last LF: a live tail resumes there.
      assert.equal(whole.endOffset, bytes.lastIndexOf(0x0a) + 1);
      assert.equal(whole.nextLine, lfs + 1);
      // Random access: every record offset reads back the very same record.
      const index = whole.index!;
      try {
        assert.equal(index.count, whole.records.length);
        for (let i = 0; i < index.count; i++) {
          const back = await index.read(i);
          assert.ok(back.ok, `record ${i} does not read back: ${JSON.stringify(back)}`);
          assert.deepEqual(back.record.value, whole.records[i].value);
        }
      } finally {
        await index.close();
      }
    }), 250);
  });
});

test('any bytes through readInput (sniffing, container choice): records, or an InputError, never a crash', async () => {
  await withTempDir(async (t) => {
    await check(fc.asyncProperty(fc.oneof(fileBytes, fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a))), fc.constantFrom('a.jsonl', 'b.json'), async (bytes, name) => {
      const p = t.file(name, bytes);
      const c = collect();
      try {
        const r = await readInput(p, c.handlers);
        assert.equal(r.records, c.records.length);
        assert.equal(r.badLines, c.bad.length);
        for (const b of c.bad) assert.ok(b.error.length > 0 && !/\n\s+at /.test(b.error), 'bad line message is one clean line');
        for (const rec of c.records) assert.ok(rec.value !== null && typeof rec.value === 'object' && !Array.isArray(rec.value), 'records are objects');
      } catch (e) {
        assert.ok(e instanceof InputError, `not an InputError: ${e instanceof Error ? e.stack : String(e)}`);
        assert.ok(e.message.startsWith(p), `the message names the file: ${e.message}`);
      }
    }), 300);
  });
});
