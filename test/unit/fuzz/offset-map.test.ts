// Fuzzing the decoded ↔ raw offset mapping that puts decorations and diagnostics on the editor line
// (src/core/text/json-string-map.ts, completion-locator.ts). test/unit/text/json-string-map.test.ts checks one
// literal inside a fixed record; here the RECORD is random too: any JSON value around the completion (keys with
// escapes, nested objects holding another "completion" key, arrays, numbers, NaN), Python's separators and
// ensure_ascii escapes, a BOM, pretty-printing whitespace. Properties:
//   1. the walker reports every string value exactly once, under its real path, and its raw text decodes to it;
//   2. for every decoded span of the completion, the raw span decodes to exactly that span (surrogate pairs,
//      CJK, \uXXXX, \n …), and raw → decoded → raw round-trips at every unit boundary;
//   3. CompletionLocator finds the completion by path, by value, in a list-wrapped value and inside a row that
//      holds a group, and maps spans exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { JsonStringMap, decodeRaw, findStringAtPath, walkJsonStrings } from '../../../src/core/text/json-string-map';
import { CompletionLocator } from '../../../src/core/text/completion-locator';
import { check, FUZZ_SEED } from './seed';

console.log(`# fuzz seed ${FUZZ_SEED} (FUZZ_SEED=<n> or FUZZ_SEED=random to change)`);

// Text that stresses escapes: surrogate pairs (raw and escaped), lone surrogates, CJK, controls, quotes.
const unit = fc.oneof(
  fc.constantFrom('"', '\\', '/', '\n', '\r\n', '\t', '\b', '\f', '\u0000', '\u001b[31m', '\u007f', '\u2028', '\u2029', '😀', '👩‍👩‍👧', '𝑥²', '中文', '日本語', 'é', 'e\u0301', '\ud83d', '\ude00', '\ufeff', '<think>', '</think>', '\\u0041', '\\n'),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const text = fc.array(unit, { maxLength: 30 }).map((a) => a.join(''));
const key = fc.oneof(fc.constantFrom('completion', 'prompt', 'c"q', 'k\\e', '日本', 'completion.0', '0'), fc.string({ maxLength: 5 }));
const leaf = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const { value: jsonValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
}));

type Writer = 'js' | 'python' | 'python-ascii' | 'indent' | 'bom';
const writer = fc.constantFrom<Writer>('js', 'python', 'python-ascii', 'indent', 'bom');

/** Serialises the way the trainers do: JS, Python json.dumps (", " / ": ", optionally ensure_ascii), indented. */
function write(v: unknown, how: Writer): string {
  if (how === 'indent') return JSON.stringify(v, null, 1).replace(/\n/g, ' '); // one line, with inner spaces
  let s = JSON.stringify(v);
  if (how === 'python' || how === 'python-ascii') s = pythonSeparators(s);
  if (how === 'python-ascii') s = s.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (how === 'bom') s = '\ufeff' + s;
  return s;
}

/** `,` → `, ` and `:` → `: ` outside strings (Python's default separators). */
function pythonSeparators(s: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    out += c;
    if (inString) {
      if (c === '\\') out += s[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ',' || c === ':') out += ' ';
  }
  return out;
}

/** Every string value of `v` with its path (what the walker must report). */
function stringsOf(v: unknown, path: (string | number)[] = [], out: { path: (string | number)[]; value: string }[] = []): typeof out {
  if (typeof v === 'string') out.push({ path, value: v });
  else if (Array.isArray(v)) v.forEach((x, i) => stringsOf(x, [...path, i], out));
  else if (v !== null && typeof v === 'object') {
    // JSON.stringify writes keys in this order; a duplicate key cannot occur in a JS object.
    for (const [k, x] of Object.entries(v)) stringsOf(x, [...path, k], out);
  }
  return out;
}

test('the walker reports every string value once, under its path, and its raw text decodes to the value', async () => {
  await check(fc.property(jsonValue, writer, (v, how) => {
    const line = write(v, how);
    const seen: { path: (string | number)[]; value: string }[] = [];
    walkJsonStrings(line, (p, s, e) => {
      seen.push({ path: [...p], value: decodeRaw(line.slice(s, e)) });
      return false;
    });
    assert.deepEqual(seen, stringsOf(v), line);
  }), 600);
});

test('a random record: every decoded span of the completion maps to raw text decoding to exactly that span', async () => {
  await check(fc.property(jsonValue, text, writer, fc.nat(), fc.nat(), (around, completion, how, a, b) => {
    // The completion sits among random siblings, after a nested object that has its own "completion" key.
    const record = { meta: { completion: 'decoy', around }, completion, extra: around };
    const line = write(record, how);
    const span = findStringAtPath(line, 'completion');
    assert.ok(span, line);
    assert.equal(decodeRaw(line.slice(span.start, span.end)), completion, 'found the top-level completion, not the decoy');
    const map = new JsonStringMap(line, span);
    assert.equal(map.decodedLength, completion.length);
    const s = completion.length ? a % (completion.length + 1) : 0;
    const e = s + (completion.length - s ? b % (completion.length - s + 1) : 0);
    const r = map.rangeToRaw(s, e);
    assert.equal(decodeRaw(line.slice(r.start, r.end)), completion.slice(s, e), `[${s}, ${e}) of ${JSON.stringify(completion)} (${how})`);
    // Every raw offset inside a unit maps back to that unit; unit starts round-trip exactly.
    let prev = -1;
    for (let raw = span.start; raw <= span.end; raw++) {
      const d = map.toDecoded(raw);
      assert.ok(d >= prev, 'toDecoded is monotone');
      prev = d;
      assert.ok(map.toRaw(d) <= raw && (d === completion.length || raw < map.toRaw(d + 1)), `raw ${raw} lies in unit ${d}`);
    }
  }), 500);
});

test('CompletionLocator: by path, by value, list-wrapped, and a row holding a group all map spans exactly', async () => {
  await check(fc.property(text, text, text, writer, fc.nat(), fc.nat(), (c0, c1, other, how, a, b) => {
    fc.pre(c1.length > 0 && c1 !== c0 && c1 !== other);
    const shapes: [unknown, Parameters<typeof CompletionLocator.locate>[0]['completionField'], number | null, boolean][] = [
      [{ prompt: other, completion: c1 }, 'completion', null, false],
      [{ prompt: other, nested: { out: c1 } }, 'output', null, false], // unknown field: found by value
      [{ prompt: [other], content: [c1] }, 'content', null, true], // NeMo-RL list-wrapped
      [{ prompt: other, responses: [c0, c1, other] }, 'responses', 1, false], // a row holding a group
    ];
    for (const [record, field, sampleIndex, unwrap] of shapes) {
      const line = write(record, how);
      const loc = CompletionLocator.locate({ line, completion: c1, completionField: field, sampleIndex, unwrapLists: unwrap });
      assert.ok(loc, `not located in ${line}`);
      const s = a % (c1.length + 1);
      const e = s + (b % (c1.length - s + 1));
      const ranges = loc.toRaw(s, e);
      if (s === e) {
        assert.equal(ranges.length, 1);
        assert.equal(ranges[0].start, ranges[0].end);
        continue;
      }
      assert.equal(ranges.length, 1, `${JSON.stringify(ranges)} on ${line}`);
      assert.equal(decodeRaw(line.slice(ranges[0].start, ranges[0].end)), c1.slice(s, e), `${field} [${s}, ${e}) on ${line}`);
    }
  }), 400);
});
