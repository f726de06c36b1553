// Repetition: tail loops (Z-function on digit-normalised text), compression, seq-rep-4, repeated lines (§11).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { detectRepetition, findTailLoop, seqRep } from '../../../src/core/detectors/repetition';
import { ENUMERATION, LOOP_SENTENCE, LOOP_ZH, NATURAL_EN, NATURAL_ZH, PARAGRAPH, SELF_CORRECTION } from '../../fixtures/traces/repetition';

const zlibRatio = (s: string): number => Buffer.byteLength(s) / deflateSync(Buffer.from(s)).length;
const codes = (t: string, cr?: (s: string) => number): string[] => detectRepetition(t, { compressRatio: cr }).flags.map((f) => f.code ?? '');

test('natural English and Chinese text: no flag (estimate and real zlib)', () => {
  for (const t of [NATURAL_EN, NATURAL_ZH, SELF_CORRECTION + '\n' + NATURAL_EN]) {
    assert.deepEqual(codes(t), []);
    assert.deepEqual(codes(t, zlibRatio), []);
  }
});

test('"Wait, …" self-correction and short enumerations stay quiet', () => {
  assert.deepEqual(codes(SELF_CORRECTION), []);
  assert.deepEqual(codes(ENUMERATION), []);
  assert.deepEqual(codes(NATURAL_EN + '\n' + ENUMERATION), []);
});

test('tail loop in English: span, unit and count', () => {
  const t = NATURAL_EN + ' ' + LOOP_SENTENCE.repeat(20);
  const r = detectRepetition(t);
  const loop = r.flags.find((f) => f.code === 'tail-loop');
  assert.ok(loop);
  assert.equal(loop.severity, 'error');
  assert.equal(loop.end, t.length);
  // The covered span is a whole number of units plus at most one partial unit.
  const covered = t.slice(loop.start, loop.end);
  assert.ok(covered.endsWith(LOOP_SENTENCE.repeat(19)));
  assert.ok(covered.length < LOOP_SENTENCE.length * 21);
  assert.equal(loop.evidence!['period'], LOOP_SENTENCE.length);
  assert.ok(Number(loop.evidence!['repeats']) >= 20);
  assert.match(loop.message, /repeated 2\d(\.\d)?× at the end/);
  assert.ok(r.metrics.tailLoop && r.metrics.tailLoop.unit.trim().length > 0);
  // The unit is one rotation of the sentence.
  assert.ok((LOOP_SENTENCE + LOOP_SENTENCE).includes(r.metrics.tailLoop.unit));
  // The compressible flag is folded into the loop, so the tail's compression ratio is not computed; ×20 would be > 3.
  assert.equal(r.metrics.tailCompressRatio, null);
  assert.ok(!r.flags.some((f) => f.code === 'compressible'));
  assert.ok(zlibRatio(t.slice(-2000)) > 3);
});

test('sentence ×5 fires the loop only (330 chars), not the soft signals', () => {
  const t = NATURAL_EN + ' ' + LOOP_SENTENCE.repeat(5);
  assert.deepEqual(codes(t, zlibRatio), ['tail-loop']);
});

test('tail loop in Chinese', () => {
  const t = NATURAL_ZH + LOOP_ZH.repeat(20);
  const loop = detectRepetition(t).flags.find((f) => f.code === 'tail-loop');
  assert.ok(loop);
  assert.ok(t.slice(loop.start).endsWith(LOOP_ZH.repeat(19)));
  assert.equal(loop.evidence!['period'], LOOP_ZH.length);
});

test('counter loop is caught only thanks to digit normalisation', () => {
  let t = NATURAL_EN + '\n';
  for (let k = 7; k < 37; k++) t += `Step ${k}: check case n = ${k}, it fails.\n`;
  const loop = findTailLoop(t);
  assert.ok(loop);
  assert.ok(loop.repeats >= 25);
  assert.match(t.slice(loop.start, loop.end), /Step 3\d: check case n = 3\d, it fails\.\n$/);
});

test('short units need 40% coverage: a ruler of ===== is not a loop', () => {
  const t = NATURAL_EN + '\n' + '='.repeat(250);
  assert.equal(findTailLoop(t), null);
  assert.ok(findTailLoop('x'.repeat(50) + '1111'.repeat(600)));
});

test('"the the the" ×300 and 1111… are loops', () => {
  assert.ok(codes(NATURAL_EN + ' ' + 'the '.repeat(300)).includes('tail-loop'));
  assert.ok(codes(NATURAL_EN + ' ' + '1'.repeat(2000)).includes('tail-loop'));
});

test('paragraph ×10 in the middle (the model recovers): repeated-line and compressible, no tail loop', () => {
  const t = NATURAL_EN + '\n' + (PARAGRAPH + '\n').repeat(10) + 'So the answer is 3 p.m.';
  const r = detectRepetition(t, { compressRatio: zlibRatio });
  const c = r.flags.map((f) => f.code);
  assert.ok(!c.includes('tail-loop'));
  assert.ok(c.includes('compressible'));
  const rep = r.flags.find((f) => f.code === 'repeated-line')!;
  assert.equal(rep.evidence!['count'], 10);
  assert.ok(t.slice(rep.start, rep.end).startsWith(PARAGRAPH));
  assert.ok(t.slice(rep.start, rep.end).endsWith(PARAGRAPH));
});

test('seq-rep-4 flag needs ≥ 500 words', () => {
  const short = LOOP_SENTENCE.repeat(10);
  assert.ok(seqRep(short).rate > 0.5);
  const long = NATURAL_EN + ' ' + (LOOP_SENTENCE + NATURAL_EN.slice(0, 200) + ' ').repeat(12);
  const r = detectRepetition(long);
  assert.ok(r.flags.some((f) => f.code === 'ngram-repetition' && f.start === 0 && f.end === long.length));
});

test('seq-rep on CJK uses characters, not whitespace words', () => {
  assert.ok(seqRep(LOOP_ZH.repeat(20)).rate > 0.9);
  assert.ok(seqRep(NATURAL_ZH).rate < 0.1);
  assert.equal(seqRep('').rate, 0);
});

test('region offsets: only text[from, to) is examined', () => {
  const body = NATURAL_EN + ' ' + LOOP_SENTENCE.repeat(20);
  const t = `<think>${body}</think>\nThe answer is 3.`;
  const r = detectRepetition(t, { from: 7, to: 7 + body.length });
  const loop = r.flags.find((f) => f.code === 'tail-loop')!;
  assert.equal(loop.end, 7 + body.length);
});
