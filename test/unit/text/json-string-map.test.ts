// Decoded ↔ raw offsets inside JSON string literals (src/core/text/json-string-map.ts): property tests over random
// strings (astral characters, lone surrogates, control characters, quotes, backslashes, CJK) written the way
// JavaScript writes them and the way Python's json.dumps(ensure_ascii=True) writes them, plus the chat-message
// locator (src/core/text/completion-locator.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { JsonStringMap, decodeRaw, findStringAtPath, findStringsWithValue, parseFieldPath } from '../../../src/core/text/json-string-map';
import { CompletionLocator } from '../../../src/core/text/completion-locator';
import { completionPieces, completionText } from '../../../src/core/run/sample-text';
import type { ChatMessage } from '../../../src/core/types';

/** Python json.dumps(ensure_ascii=True): every non-ASCII UTF-16 unit as \uXXXX (astral chars as two escapes). */
function ensureAscii(json: string): string {
  return json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
/** Some writers escape '/' too (PHP, old Java). Only outside escapes: JSON.stringify never emits a raw '\/'. */
function escapeSlashes(json: string): string {
  return json.replace(/\//g, '\\/');
}

// Strings that stress the map: astral (emoji, math), CJK, lone surrogates, control characters, quotes, backslashes.
const unit = fc.oneof(
  fc.constantFrom('"', '\\', '/', '\n', '\t', '\r', '\b', '\f', '\u0000', '\u001f', '\u2028', '😀', '𝑥', '中', '日本', 'é', '\ud83d', '\ude00', '<think>', '</answer>'),
  fc.string({ unit: 'grapheme', maxLength: 3 }),
  fc.string({ unit: 'binary', maxLength: 3 }),
);
const text = fc.array(unit, { maxLength: 40 }).map((a) => a.join(''));
const writer = fc.constantFrom('js', 'ensure_ascii', 'slashes', 'ensure_ascii+slashes');

function write(record: unknown, how: string): string {
  let s = JSON.stringify(record);
  if (how.includes('ensure_ascii')) s = ensureAscii(s);
  if (how.includes('slashes')) s = escapeSlashes(s);
  return s;
}

test('every decoded offset maps to a raw offset whose raw prefix decodes to the decoded prefix', () => {
  fc.assert(fc.property(text, text, writer, (value, other, how) => {
    const line = write({ prompt: other, completion: value, reward: 1 }, how);
    const span = findStringAtPath(line, 'completion');
    assert.ok(span, `no completion in ${line}`);
    assert.equal(JSON.parse(`"${line.slice(span.start, span.end)}"`), value);
    const map = new JsonStringMap(line, span);
    assert.equal(map.decodedLength, value.length);
    for (let d = 0; d <= value.length; d++) {
      const r = map.toRaw(d);
      assert.equal(decodeRaw(line.slice(span.start, r)), value.slice(0, d), `prefix ${d} of ${JSON.stringify(value)} (${how})`);
      assert.equal(map.toDecoded(r), d, `round trip at ${d}`);
    }
  }), { numRuns: 400 });
});

test('a decoded span maps to the raw text that decodes to exactly that span', () => {
  fc.assert(fc.property(text, writer, fc.nat(), fc.nat(), (value, how, a, b) => {
    const line = write({ completion: value }, how);
    const map = new JsonStringMap(line, findStringAtPath(line, ['completion'])!);
    const s = value.length ? a % (value.length + 1) : 0;
    const e = s + (value.length - s ? b % (value.length - s + 1) : 0);
    const r = map.rangeToRaw(s, e);
    assert.equal(decodeRaw(line.slice(r.start, r.end)), value.slice(s, e));
  }), { numRuns: 400 });
});

test('decodeRaw agrees with JSON.parse on every string JSON.stringify writes', () => {
  fc.assert(fc.property(text, writer, (value, how) => {
    const lit = write(value, how);
    assert.equal(decodeRaw(lit.slice(1, -1)), JSON.parse(lit));
  }), { numRuns: 300 });
});

test('paths: dotted, array indices, nested chat messages, keys with escapes', () => {
  const line = JSON.stringify({ 'we"ird': 'x', completion: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a1' }, { role: 'tool', content: 't' }, { role: 'assistant', content: 'a2 "q"' }], meta: { deep: ['p', 'q'] } });
  const at = (p: string): string | null => {
    const s = findStringAtPath(line, p);
    return s ? JSON.parse(`"${line.slice(s.start, s.end)}"`) as string : null;
  };
  assert.deepEqual(parseFieldPath('completion.3.content'), ['completion', 3, 'content']);
  assert.equal(at('completion.1.content'), 'a1');
  assert.equal(at('completion.3.content'), 'a2 "q"');
  assert.equal(at('meta.deep.1'), 'q');
  assert.equal(at('we"ird'), 'x');
  assert.equal(at('completion.9.content'), null);
  assert.equal(at('completion'), null, 'an array is not a string');
  assert.equal(findStringsWithValue(line, 'a2 "q"').length, 1);
});

test('whitespace and Python-style separators (json.dumps default ", " / ": ") are walked', () => {
  const line = '{"prompt": "p", "completion": "x\\ny", "reward": NaN, "nested": {"a": [1, 2.5e3, true, null]}, "z": "end"}';
  assert.equal(decodeRaw(line.slice(findStringAtPath(line, 'completion')!.start, findStringAtPath(line, 'completion')!.end)), 'x\ny');
  assert.ok(findStringAtPath(line, 'z'));
});

test('chat completion: pieces follow completionText (\\n\\n joins, synthetic think tags around reasoning)', () => {
  const msgs: ChatMessage[] = [
    { role: 'user', content: 'q' },
    { role: 'assistant', content: '<think>a</think>b' },
    { role: 'tool', content: 'ignored' },
    { role: 'assistant', content: 'c', reasoning: 'r' },
  ];
  const joined = completionText(msgs);
  for (const p of completionPieces(msgs)) {
    const m = msgs[p.message!]!;
    assert.equal(joined.slice(p.start, p.end), p.part === 'reasoning' ? m.reasoning : m.content);
  }
});

test('chat completion: a flag span on each assistant message maps to that message literal on the line', () => {
  fc.assert(fc.property(text, text, text, writer, (a, b, user, how) => {
    fc.pre(a.length > 0 && b.length > 0 && a !== b);
    const msgs: ChatMessage[] = [{ role: 'user', content: user }, { role: 'assistant', content: a }, { role: 'assistant', content: b }];
    const line = write({ prompt: 'p', completion: msgs, reward: 0 }, how);
    const loc = CompletionLocator.locate({ line, completion: msgs, completionField: 'completion', sampleIndex: null });
    assert.ok(loc);
    const joined = completionText(msgs);
    // The whole join: two raw ranges, one per assistant message, each decoding to that message.
    const ranges = loc.toRaw(0, joined.length);
    assert.deepEqual(ranges.map((r) => decodeRaw(line.slice(r.start, r.end))), [a, b]);
    // A span inside the second message.
    const s = a.length + 2;
    const [r] = loc.toRaw(s, s + b.length);
    assert.equal(decodeRaw(line.slice(r!.start, r!.end)), b);
  }), { numRuns: 200 });
});

test('locator: row holding a group, list-wrapped values, unknown field found by value', () => {
  const row = JSON.stringify({ prompt: 'p', responses: ['first', 'sec\\ond "x"', 'third'] });
  const loc = CompletionLocator.locate({ line: row, completion: 'sec\\ond "x"', completionField: 'responses', sampleIndex: 1 });
  const [r] = loc!.toRaw(0, 6);
  assert.equal(decodeRaw(row.slice(r!.start, r!.end)), 'sec\\on');
  const wrapped = JSON.stringify({ content: ['<think>x</think>'] });
  const w = CompletionLocator.locate({ line: wrapped, completion: '<think>x</think>', completionField: 'content', sampleIndex: null, unwrapLists: true });
  assert.equal(w!.literals.length, 1);
  const unknown = JSON.stringify({ a: { b: 'the completion 😀' } });
  const u = CompletionLocator.locate({ line: unknown, completion: 'the completion 😀', completionField: 'output', sampleIndex: null });
  assert.deepEqual(u!.toRaw(4, 14).map((x) => unknown.slice(x.start, x.end)), ['completion']);
});
