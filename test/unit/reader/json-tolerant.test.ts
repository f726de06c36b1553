import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_JSON_DEPTH, parseJsonTolerant } from '../../../src/core/json-tolerant';

test('plain JSON takes the fast path', () => {
  const r = parseJsonTolerant('{"a":1,"b":[true,null,"x"]}');
  assert.deepEqual(r, { ok: true, value: { a: 1, b: [true, null, 'x'] }, nonFinite: false });
});

test('NaN, Infinity and -Infinity become numbers; strings containing them are untouched', () => {
  const r = parseJsonTolerant('{"score": NaN, "hi": Infinity, "lo": -Infinity, "s": "NaN", "t": "x Infinity -Infinity NaN", "arr": [NaN,1]}');
  assert.ok(r.ok);
  assert.equal(r.nonFinite, true);
  const v = r.value as Record<string, unknown>;
  assert.ok(Number.isNaN(v.score));
  assert.equal(v.hi, Infinity);
  assert.equal(v.lo, -Infinity);
  assert.equal(v.s, 'NaN');
  assert.equal(v.t, 'x Infinity -Infinity NaN');
  assert.ok(Number.isNaN((v.arr as number[])[0]));
});

test('escaped quotes inside strings do not confuse the NaN scanner', () => {
  const r = parseJsonTolerant('{"s": "say \\"NaN\\" \\\\", "v": NaN}');
  assert.ok(r.ok);
  assert.equal((r.value as Record<string, unknown>).s, 'say "NaN" \\');
  assert.ok(Number.isNaN((r.value as Record<string, unknown>).v));
});

test('text that already contains the private-use sentinel is still read correctly', () => {
  const r = parseJsonTolerant('{"s": "\uE000", "e": "\\ue001", "v": NaN}');
  assert.ok(r.ok);
  const v = r.value as Record<string, unknown>;
  assert.equal(v.s, '\uE000');
  assert.equal(v.e, '\uE001');
  assert.ok(Number.isNaN(v.v));
});

test('errors name the token and a 1-based column', () => {
  const line = '{"input": "q", "output": "a very long completion text that goes on", "score": 1.0, "x": }';
  const r = parseJsonTolerant(line);
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.error, `Unexpected token } at column ${line.indexOf('}', 80) + 1}`);
  assert.deepEqual(parseJsonTolerant('{"a":1'), { ok: false, error: 'Unexpected end of input at column 7' });
  assert.deepEqual(parseJsonTolerant('{"a":1} x'), { ok: false, error: 'Unexpected x after the JSON value at column 9' });
  assert.deepEqual(parseJsonTolerant('{a:1}'), { ok: false, error: 'Expected property name at column 2' });
  const withNan = parseJsonTolerant('{"a": NaN, "b": ]}');
  assert.deepEqual(withNan, { ok: false, error: 'Unexpected token ] at column 17' });
});

test('very deep nesting is an error, not a crash', () => {
  const n = 100_000;
  const deep = '['.repeat(n) + ']'.repeat(n);
  assert.deepEqual(parseJsonTolerant(deep), { ok: false, error: `nesting too deep (more than ${MAX_JSON_DEPTH} levels)` });
  const deepNan = '['.repeat(n) + 'NaN' + ']'.repeat(n);
  assert.equal(parseJsonTolerant(deepNan).ok, false);
  const unclosed = parseJsonTolerant('['.repeat(n));
  assert.equal(unclosed.ok, false);
  // Moderate nesting (well above real records) is fine.
  const ok = parseJsonTolerant('['.repeat(100) + ']'.repeat(100));
  assert.equal(ok.ok, true);
});
