import assert from 'node:assert/strict';
import { createWriteStream, readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseJsonTolerant } from '../../../src/core/json-tolerant';
import { scanJsonl } from '../../../src/node/jsonl-scan';
import { JsonlRecordIndex } from '../../../src/node/record-index';
import { collect, scanned } from './helpers';
import { withTempDir } from '../../support/temp-dir';
import { sha256 } from '../../support/files';

test('BOM, CRLF and blank lines are tolerated; all records load', async () => {
  await withTempDir(async (t) => {
    const [c, st] = await scanned(t.file('a.jsonl', '\uFEFF{"a":1}\r\n\r\n   \n{"a":2}\r\n\t\n{"a":3}\n'), scanJsonl);
    assert.deepEqual(c.records.map((r) => r.value), [{ a: 1 }, { a: 2 }, { a: 3 }]);
    assert.deepEqual(c.records.map((r) => r.source.line), [1, 4, 6]);
    assert.deepEqual(c.records.map((r) => r.source.record), [1, 2, 3]);
    assert.equal(c.records[0].source.byteOffset, 3); // after the BOM
    assert.equal(c.bad.length, 0);
    assert.equal(st.blankLines, 3);
    assert.ok(c.notes.some((n) => n.kind === 'bom'));
  });
});

test('NaN / Infinity literals load as numbers, the string "NaN" stays a string, one note', async () => {
  await withTempDir(async (t) => {
    const [c, st] = await scanned(t.file('nan.jsonl', '{"score": NaN, "s": "NaN"}\n{"score": Infinity}\n{"score": -Infinity}\n{"score": 1}\n'), scanJsonl);
    assert.equal(c.records.length, 4);
    const v = c.records.map((r) => (r.value as Record<string, unknown>).score);
    assert.ok(Number.isNaN(v[0]));
    assert.deepEqual(v.slice(1), [Infinity, -Infinity, 1]);
    assert.equal((c.records[0].value as Record<string, unknown>).s, 'NaN');
    assert.equal(st.nonFiniteLines, 3);
    assert.equal(c.notes.filter((n) => n.kind === 'non-finite-number' && n.line === 1).length, 1);
  });
});

test('invalid UTF-8 is replaced with U+FFFD and noted with its line; the other lines load', async () => {
  await withTempDir(async (t) => {
    const bad = Buffer.concat([Buffer.from('{"t":"ab'), Buffer.from([0xff, 0xfe]), Buffer.from('c"}\n')]);
    const [c] = await scanned(t.file('u.jsonl', Buffer.concat([Buffer.from('{"t":"ok"}\n'), bad, Buffer.from('{"t":"é"}\n')])), scanJsonl);
    assert.deepEqual(c.records.map((r) => (r.value as Record<string, string>).t), ['ok', 'ab\uFFFD\uFFFDc', 'é']);
    const notes = c.notes.filter((n) => n.kind === 'invalid-utf8');
    assert.equal(notes.length, 1);
    assert.equal(notes[0].line, 2);
    assert.match(notes[0].message, /line 2 is not valid UTF-8/);
  });
});

test('a truncated last line is a note, not a bad line; a complete last line without newline is a record', async () => {
  await withTempDir(async (t) => {
    const [c, st] = await scanned(t.file('live.jsonl', '{"a":1}\n{"a":2}\n{"a":3, "out'), scanJsonl);
    assert.equal(c.records.length, 2);
    assert.equal(c.bad.length, 0);
    const note = c.notes.find((n) => n.kind === 'incomplete-last-line');
    assert.ok(note);
    assert.equal(note.line, 3);
    assert.match(note.message, /incomplete last line 3 \(the trainer may still be writing\)/);
    assert.equal(st.pendingTail, true);
    assert.equal(st.endOffset, 16);
    assert.equal(st.nextLine, 3);
    assert.equal(st.nextRecord, 3);

    const q = t.file('nonl.jsonl', '{"a":1}\n{"a":2}');
    const d = collect();
    const st2 = await scanJsonl(q, d.handlers);
    assert.equal(d.records.length, 2);
    assert.equal(d.notes.length, 0);
    assert.equal(st2.tailRecordEmitted, true);
  });
});

test('a live tail resumes at endOffset with the right line and record numbers', async () => {
  await withTempDir(async (t) => {
    const p = t.file('tail.jsonl', '{"a":1}\n{"a":2}\n{"a":3,');
    const first = collect();
    const st = await scanJsonl(p, first.handlers);
    t.file('tail.jsonl', '{"a":1}\n{"a":2}\n{"a":3,"b":0}\n{"a":4}\n');
    const next = collect();
    await scanJsonl(p, next.handlers, { startOffset: st.endOffset, startLine: st.nextLine, startRecord: st.nextRecord });
    assert.deepEqual(next.records.map((r) => [r.source.line, r.source.record, r.source.byteOffset]), [[3, 3, 16], [4, 4, 30]]);
  });
});

test('malformed lines report line number and column; non-object lines are bad lines; the rest loads', async () => {
  await withTempDir(async (t) => {
    const p = t.file('m.jsonl', '{"a":1}\n{"a": 2, "b": }\n[1,2]\n42\n"text"\nnull\n{"a":3}\n');
    const [c, st] = await scanned(p, scanJsonl);
    assert.deepEqual(c.records.map((r) => r.value), [{ a: 1 }, { a: 3 }]);
    assert.deepEqual(c.bad.map((b) => [b.line, b.error]), [
      [2, 'Unexpected token } at column 15'],
      [3, 'line is a JSON array, not an object'],
      [4, 'line is a number, not an object'],
      [5, 'line is a string, not an object'],
      [6, 'line is null, not an object'],
    ]);
    assert.equal(st.badLines, 5);
    assert.equal(c.bad[0].file, p);
  });
});

test('deeply nested line: bad line, no crash, next line loads', async () => {
  await withTempDir(async (t) => {
    const n = 100_000;
    const [c] = await scanned(t.file('deep.jsonl', `{"a":1}\n{"x":${'['.repeat(n)}${']'.repeat(n)}}\n{"a":2}\n`), scanJsonl);
    assert.equal(c.records.length, 2);
    assert.equal(c.bad.length, 1);
    assert.match(c.bad[0].error, /nesting too deep/);
  });
});

test('a single line of more than 100 MB loads (spans many chunks)', async () => {
  await withTempDir(async (t) => {
    const p = `${t.dir}/huge.jsonl`;
    const out = createWriteStream(p);
    const piece = 'x'.repeat(1 << 20);
    out.write('{"a":1}\n{"big":"');
    for (let i = 0; i < 101; i++) out.write(piece);
    out.write('","score":NaN}\n{"a":2}\n');
    await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
    let bigLen = 0;
    const seen: unknown[] = [];
    const st = await scanJsonl(p, {
      onRecord: (r) => {
        const v = r.value as Record<string, unknown>;
        if (typeof v.big === 'string') bigLen = v.big.length;
        else seen.push(v.a);
      },
    });
    assert.equal(bigLen, 101 << 20);
    assert.deepEqual(seen, [1, 2]);
    assert.equal(st.records, 3);
  });
});

// Reference: split the bytes on '\n' and parse each line in one go.
function naive(bytes: Buffer): { values: unknown[]; lines: number[]; offsets: number[]; bad: number[] } {
  const out = { values: [] as unknown[], lines: [] as number[], offsets: [] as number[], bad: [] as number[] };
  let start = 0;
  let line = 1;
  while (start <= bytes.length) {
    let nl = bytes.indexOf(10, start);
    const terminated = nl >= 0;
    if (nl < 0) nl = bytes.length;
    let s = start;
    if (line === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) s = 3;
    let e = nl;
    if (e > s && bytes[e - 1] === 13) e--;
    const text = bytes.toString('utf8', s, e);
    if (text.trim() !== '') {
      const r = parseJsonTolerant(text);
      if (r.ok && r.value !== null && typeof r.value === 'object' && !Array.isArray(r.value)) {
        out.values.push(r.value);
        out.lines.push(line);
        out.offsets.push(s);
      } else if (r.ok || terminated) out.bad.push(line); // an unterminated line that fails to parse is pending
    }
    if (!terminated) break;
    start = nl + 1;
    line++;
  }
  return out;
}

test('chunk boundaries anywhere give the same result as a naive whole-file parse (property)', async () => {
  await withTempDir(async (t) => {
    const lineArb = fc.oneof(
      fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.constant('NaN'), fc.double({ noNaN: true, noDefaultInfinity: true })), { maxKeys: 4 })
        .map((o) => JSON.stringify(o)),
      fc.constant('{"score": NaN, "s": "NaN"}'),
      fc.constant('{"t": "日本語 ✓ 😀"}'),
      fc.constant(''),
      fc.constant('   '),
      fc.constant('{"broken": '),
      fc.constant('[1,2]'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { maxLength: 25 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 64 }),
        async (lines, crlf, bom, trailingNewline, chunkSize) => {
          const sep = crlf ? '\r\n' : '\n';
          const text = (bom ? '\uFEFF' : '') + lines.join(sep) + (trailingNewline && lines.length > 0 ? sep : '');
          const bytes = Buffer.from(text, 'utf8');
          const p = t.file('prop.jsonl', bytes);
          const c = collect();
          await scanJsonl(p, c.handlers, { chunkSize, keepOffsets: true });
          const ref = naive(bytes);
          assert.deepEqual(c.records.map((r) => r.value), ref.values);
          assert.deepEqual(c.records.map((r) => r.source.line), ref.lines);
          assert.deepEqual(c.records.map((r) => r.source.byteOffset), ref.offsets);
          assert.deepEqual(c.bad.map((b) => b.line), ref.bad);
        },
      ),
      { numRuns: 300 },
    );
  });
});

test('random access by index reads one record at its offset, including columnar rows', async () => {
  await withTempDir(async (t) => {
    const lines = ['{"i":0}', 'garbage', '{"i":1,"s":"é"}', '', '{"responses":["r0","r1"],"scores":[1,0],"id":["q","q"]}', '{"i":4}'];
    const p = t.file('idx.jsonl', lines.join('\r\n') + '\n');
    const c = collect();
    const st = await scanJsonl(p, c.handlers, { keepOffsets: true, expandContainers: true });
    assert.ok(st.offsets);
    const index = new JsonlRecordIndex(p, st.offsets);
    try {
      assert.equal(index.count, 5);
      for (let n = 0; n < index.count; n++) {
        const r = await index.read(n);
        assert.ok(r.ok);
        assert.deepEqual(r.record, c.records[n]);
      }
      const row = await index.read(3);
      assert.ok(row.ok);
      assert.deepEqual(row.record.value, { responses: 'r1', scores: 0, id: 'q' });
      assert.equal(row.record.source.rowIndex, 1);
      await assert.rejects(index.read(5), RangeError);
    } finally {
      await index.close();
    }
  });
});

test('abort signal stops the scan; progress is reported; the file bytes are unchanged', async () => {
  await withTempDir(async (t) => {
    const p = t.file('p.jsonl', Array.from({ length: 200 }, (_, i) => JSON.stringify({ i })).join('\n') + '\n');
    const before = sha256(p);
    const progress: number[] = [];
    await scanJsonl(p, { onRecord: () => undefined, onProgress: (d) => progress.push(d) }, { chunkSize: 256 });
    assert.ok(progress.length > 5);
    assert.equal(progress[progress.length - 1], readFileSync(p).length);
    const ac = new AbortController();
    let n = 0;
    await assert.rejects(
      scanJsonl(p, { onRecord: () => { if (++n === 10) ac.abort(); } }, { chunkSize: 64, signal: ac.signal }),
      (e: Error) => e.name === 'AbortError',
    );
    assert.ok(n < 200);
    assert.equal(sha256(p), before);
  });
});
