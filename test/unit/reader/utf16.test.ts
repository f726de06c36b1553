// UTF-16 text files (PowerShell's `>` writes UTF-16LE with a BOM) are decoded to UTF-8 as they are read, the way
// compressed files are decompressed: a decoding stream for one pass, a decoded temporary copy for random access.
// The user's file is never modified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readInput } from '../../../src/node/read-input';
import { removeSpill, utf16Of } from '../../../src/node/decompress';
import { loadRunParallel } from '../../../src/node/parallel-load';
import { collect } from './helpers';
import { tempDir } from '../../support/temp-dir';

// Non-ASCII on purpose: an accented letter, a BMP symbol and an astral character (a surrogate pair in UTF-16).
const records = [0, 1, 2].map((i) => ({ prompt: `Combien font ${i}+${i} ? é`, completion: `<think>✓ 𝄞 ${i}</think> ${2 * i}`, reward: i % 2 }));
const jsonl = records.map((r) => JSON.stringify(r)).join('\r\n') + '\r\n';
const array = `[\n${records.map((r) => JSON.stringify(r, null, 2)).join(',\n')}\n]\n`;

function utf16(text: string, bigEndian: boolean, bom: boolean): Buffer {
  const le = Buffer.from(text, 'utf16le');
  const body = bigEndian ? Buffer.from(le).swap16() : le;
  return bom ? Buffer.concat([Buffer.from(bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]), body]) : body;
}

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

for (const bigEndian of [false, true]) {
  const name = bigEndian ? 'UTF-16BE' : 'UTF-16LE';
  for (const [kind, text] of [['JSONL', jsonl], ['JSON array', array]] as const) {
    test(`${name} ${kind} with a BOM is decoded: same records as UTF-8, a note, the file unchanged`, async () => {
      const t = tempDir();
      try {
        const p = t.file(kind === 'JSONL' ? 'u.jsonl' : 'u.json', utf16(text, bigEndian, true));
        const before = sha(p);
        const c = collect();
        const r = await readInput(p, c.handlers);
        assert.equal(r.records, 3);
        assert.deepEqual(c.records.map((x) => x.value), records);
        assert.deepEqual(c.bad, []);
        assert.ok(c.notes.some((n) => n.message === `${name} text, decoded to UTF-8 as it is read (the file is unchanged)`));
        assert.ok(!c.notes.some((n) => n.kind === 'bom' || n.kind === 'invalid-utf8'), 'the BOM is dropped by the decoder');
        assert.equal(r.files[0].info.container, kind === 'JSONL' ? 'jsonl' : 'json-array');
        // Random access (the viewer): a decoded copy the offsets point into; the record read back is the same.
        const k = collect();
        const ri = await readInput(p, k.handlers, { keepOffsets: true });
        const fr = ri.files[0];
        assert.ok(fr.index && fr.info.dataPath, 'an index over the decoded copy');
        const back = await fr.index.read(2);
        assert.ok(back.ok);
        assert.deepEqual(back.record.value, records[2]);
        await fr.index.close();
        await removeSpill(fr.info.dataPath);
        assert.equal(sha(p), before, 'the user\'s file is not modified');
      } finally {
        t.cleanup();
      }
    });
  }
  test(`${name} without a BOM is recognised from its first characters and decoded`, async () => {
    const t = tempDir();
    try {
      const p = t.file('nobom.jsonl', utf16(jsonl, bigEndian, false));
      assert.equal(utf16Of(readFileSync(p)), bigEndian ? 'utf-16be' : 'utf-16le');
      const c = collect();
      assert.equal((await readInput(p, c.handlers)).records, 3);
      assert.deepEqual(c.records.map((x) => x.value), records);
    } finally {
      t.cleanup();
    }
  });
}

test('UTF-16: a chunk boundary inside a surrogate pair or a BE byte pair decodes cleanly (a 3 MB file, 1 MB chunks)', async () => {
  const t = tempDir();
  try {
    // An odd number of bytes before each astral character moves the pairs across the 1 MB read boundaries.
    const line = JSON.stringify({ prompt: 'p', completion: `${'𝄞'.repeat(1000)}x`, reward: 1 });
    const many = Array.from({ length: 800 }, () => line).join('\n') + '\n';
    for (const be of [false, true]) {
      const p = t.file(be ? 'be.jsonl' : 'le.jsonl', utf16(many, be, true));
      const c = collect();
      const r = await readInput(p, c.handlers);
      assert.equal(r.records, 800);
      assert.deepEqual(c.bad, []);
      assert.ok(c.records.every((x) => (x.value as { completion: string }).completion === `${'𝄞'.repeat(1000)}x`));
      // Not cut into byte ranges: the parallel reader leaves it to the decoding stream.
      assert.equal(await loadRunParallel(p, { analyse: true, minBytes: 0 }), null);
    }
  } finally {
    t.cleanup();
  }
});

test('UTF-16 holding only a BOM is an empty file, named as such', async () => {
  const t = tempDir();
  try {
    const p = t.file('empty.jsonl', Buffer.from([0xff, 0xfe]));
    await assert.rejects(readInput(p, collect().handlers), /the file is empty \(UTF-16LE text with no characters\)/);
  } finally {
    t.cleanup();
  }
});
