// isOwnOutput reads a file's tail backwards in 64 KB chunks and searches bytes (issue #18: the whole-MB read and
// decode held 128 MB of buffers and 270 MB of strings on a 1 GB ROLL folder). It must answer exactly as the
// whole-MB version did, including at chunk boundaries, past the 1 MB window, and inside broken UTF-8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isOwnOutput } from '../../../src/node/own-output';
import { withTempDir } from '../../support/temp-dir';

/** The previous implementation, kept as the reference: decode the last MB, take its last line, test it. */
function reference(content: Buffer): boolean {
  if (content.length === 0) return false;
  const buf = content.subarray(Math.max(0, content.length - (1 << 20)));
  let end = buf.length;
  while (end > 0 && (buf[end - 1] === 0x0a || buf[end - 1] === 0x0d)) end--;
  const start = buf.lastIndexOf(0x0a, end - 1) + 1;
  const last = buf.toString('utf8', start, end);
  return /"rollout_lens":\{"step":/.test(last) && last.endsWith('}');
}

const MARK = '"rollout_lens":{"step":3,"scores":{"r":1}}';
const CHUNK = 1 << 16;

function pad(n: number, ch = 'x'): string {
  return ch.repeat(n);
}

const cases: [string, string | Buffer][] = [
  ['a scored line', `{"a":1}\n{"a":2,${MARK}}\n`],
  ['a scored line, CRLF and many blank lines after it', `{"a":2,${MARK}}` + '\r\n'.repeat(40000)],
  ['trailing line ends longer than a chunk, then a plain line', `{"a":2}` + '\n'.repeat(CHUNK + 10)],
  ['the marker on an earlier line only', `{"a":2,${MARK}}\n{"a":3}\n`],
  ['the marker but the line does not end with }', `{"a":2,${MARK}} \n`],
  ['a plain ROLL-like single long line', `{"responses":["${pad(3 * CHUNK)}"],"scores":[1]}`],
  ['a long line with the marker near its start, inside the MB', `{${MARK.slice(0, -1)},"x":"${pad(5 * CHUNK)}"}}`],
  ['a long line with the marker just outside the MB', `{${MARK.slice(0, -1)},"x":"${pad((1 << 20) + 5)}"}}`],
  ['an empty file', ''],
  ['only line ends', '\n\r\n\n'],
  ['a short file without newline', `{"a":1,${MARK}}`],
];
// The marker straddling every position around the first two chunk boundaries (counted from the end of the file).
const MARKER = '"rollout_lens":{"step":';
for (const boundary of [CHUNK, 2 * CHUNK - 22]) {
  for (const shift of [-30, -23, -22, -12, -1, 0, 1, 12]) {
    const head = `{${MARK.slice(0, -1)},"x":"`;
    const tail = '"}}\n';
    // The marker starts at size - boundary + shift: that many bytes from its start to the end of the file.
    const after = boundary - shift - head.length - tail.length + 1; // +1: the head's leading '{'
    const content = head + pad(after) + tail;
    const fromEnd = content.length - content.indexOf(MARKER);
    assert.equal(fromEnd, boundary - shift, 'case construction');
    cases.push([`marker starting ${fromEnd} bytes from the end`, content]);
  }
}
// Invalid UTF-8 and multi-byte characters on both sides of the marker.
cases.push(['invalid UTF-8 around the marker', Buffer.concat([Buffer.from('{"x":"'), Buffer.from([0xe2, 0x82]), Buffer.from(`",${MARK}`), Buffer.from([0xf0, 0x9f]), Buffer.from('}\n')])]);
cases.push(['multi-byte text on a long scored line', `{"x":"${'é'.repeat(CHUNK)}",${MARK}}\n`]);

test('isOwnOutput answers as the whole-MB decode did, on every edge of the chunked byte search', async () => {
  await withTempDir(async (t) => {
    let scored = 0;
    for (const [name, content] of cases) {
      const p = t.file(`c${scored++}.jsonl`, content);
      const want = reference(readFileSync(p));
      assert.equal(await isOwnOutput(p), want, name);
    }
    // The cases exercise both answers, not one.
    const answers = await Promise.all(cases.map((_, i) => isOwnOutput(`${t.dir}/c${i}.jsonl`)));
    assert.ok(answers.filter(Boolean).length >= 5 && answers.filter((a) => !a).length >= 5, answers.join(','));
  });
});

test('isOwnOutput: sidecars by name, other extensions never, unreadable files are not ours', async () => {
  await withTempDir(async (t) => {
    assert.equal(await isOwnOutput(t.file('run.rollout-lens.jsonl', '{}\n')), true);
    assert.equal(await isOwnOutput(t.file('run.json', `{"a":2,${MARK}}\n`)), false);
    assert.equal(await isOwnOutput(`${t.dir}/missing.jsonl`), false);
  });
});
