// Files that change under the reader: truncated, deleted or rewritten while a scan is in the middle of them, and
// random access (the viewer's sample detail) after the file shrank. The reader must finish without throwing,
// keep what it read, say what happened, and never read beyond what is there. The CLI and the extension both read
// through readInput/scanJsonl, so this is where the race is tested deterministically (the callbacks fire between
// chunk reads).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { scanJsonl } from '../../../src/node/jsonl-scan';
import { readInput } from '../../../src/node/read-input';
import { JsonlRecordIndex } from '../../../src/node/record-index';
import { collect } from '../reader/helpers';
import { withTempDir } from '../../support/temp-dir';

const rec = (i: number): string => JSON.stringify({ prompt: `What is ${i} + ${i}?`, completion: `<think>${i}+${i}</think><answer>${2 * i}</answer>`, reward: i % 2 });
const body = (n: number): string => Array.from({ length: n }, (_, i) => rec(i + 1)).join('\n') + '\n';

test('file truncated mid-scan: the records before the cut load, the cut line is pending, nothing throws', async () => {
  await withTempDir(async (t) => {
    const text = body(200);
    const p = t.file('live.jsonl', text);
    const c = collect();
    let cut = -1;
    const handlers = {
      ...c.handlers,
      onRecord: (r: Parameters<typeof c.handlers.onRecord>[0]) => {
        c.handlers.onRecord(r);
        if (c.records.length === 20) {
          cut = Math.floor(text.length / 2) + 7; // mid-line
          truncateSync(p, cut);
        }
      },
    };
    const st = await scanJsonl(p, handlers, { chunkSize: 256 });
    assert.ok(cut > 0);
    const complete = text.slice(0, cut).split('\n').length - 1; // whole lines before the cut
    assert.equal(c.records.length, complete, 'every whole line before the cut');
    c.records.forEach((r, i) => assert.deepEqual(r.value, JSON.parse(rec(i + 1))));
    assert.deepEqual(c.bad, []);
    assert.ok(st.pendingTail, 'the cut line is pending (a live file), not a parse error');
    assert.ok(c.notes.some((n) => n.kind === 'incomplete-last-line' && n.line === complete + 1), JSON.stringify(c.notes));
  });
});

test('file deleted mid-scan: the open handle still reads every record (POSIX keeps the inode)', async () => {
  await withTempDir(async (t) => {
    const p = t.file('gone.jsonl', body(100));
    const c = collect();
    await readInput(p, {
      ...c.handlers,
      onRecord: (r) => {
        c.handlers.onRecord(r);
        if (c.records.length === 5) unlinkSync(p);
      },
    }, { chunkSize: 128 });
    assert.equal(c.records.length, 100);
    assert.deepEqual(c.bad, []);
  });
});

test('file rewritten shorter mid-scan: no throw, no record read twice or past the end', async () => {
  await withTempDir(async (t) => {
    const p = t.file('rewritten.jsonl', body(100));
    const c = collect();
    await readInput(p, {
      ...c.handlers,
      onRecord: (r) => {
        c.handlers.onRecord(r);
        if (c.records.length === 10) writeFileSync(p, body(3)); // a new run started writing the same file
      },
    }, { chunkSize: 128 });
    assert.ok(c.records.length >= 10 && c.records.length < 100, `${c.records.length} records`);
    const lines = c.records.map((r) => r.source.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => (a ?? 0) - (b ?? 0)), 'line numbers only go forward');
    assert.equal(new Set(lines).size, lines.length, 'no line read twice');
  });
});

test('random access after the file shrank: "file changed" for the lost records, no throw', async () => {
  await withTempDir(async (t) => {
    const text = body(50);
    const p = t.file('shrunk.jsonl', text);
    const c = collect();
    const st = await scanJsonl(p, c.handlers, { keepOffsets: true });
    const index = new JsonlRecordIndex(p, st.offsets!);
    try {
      truncateSync(p, Math.floor(text.length / 2));
      const first = await index.read(0);
      assert.ok(first.ok);
      assert.deepEqual(first.record.value, JSON.parse(rec(1)));
      const last = await index.read(49);
      assert.ok(!last.ok);
      assert.match(last.bad.error, /file changed/);
      assert.equal(last.bad.line, 50, 'the message names the line');
      unlinkSync(p);
      // The index holds its handle open or reopens: either way a result, never an exception.
      const after = await index.read(1).catch((e: unknown) => ({ threw: e }));
      assert.ok(!('threw' in after), `read after delete threw: ${String((after as { threw: unknown }).threw)}`);
    } finally {
      await index.close();
    }
  });
});
