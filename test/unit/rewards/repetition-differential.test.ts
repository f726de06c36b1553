// The interned n-gram count (dense ids per unit, then per k-gram) must give exactly the penalty of the JSON-keyed
// implementation it replaced (reference/repetition-v1.ts): on every string of the real fixtures, on a generated verl
// dump with tail loops, on seeded random word soups (case, Unicode whitespace, words that look alike as JSON), for
// n = 1…6, in the en and zh modes, and on token-id lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repetitionPenaltyText, repetitionPenaltyTokens } from '../../../src/core/rewards/repetition';
import * as reference from './reference/repetition-v1';
import { generateRolloutFile, rng } from '../../../bench/generate';
import { filesUnder, jsonStrings } from './json-strings';
import { REAL, needFixtures } from '../../support/fixtures';

const SIZES = [1, 2, 3, 4, 6];

function compareText(texts: string[], what: string, languages = ['en']): void {
  for (const language of languages) {
    for (const n of SIZES) {
      for (const t of texts) {
        const want = reference.repetitionPenaltyText(t, n, -1, language);
        const got = repetitionPenaltyText(t, n, -1, language);
        if (!Object.is(got, want)) assert.fail(`${what}, n=${n} ${language}: ${got} instead of ${want} for ${JSON.stringify(t.slice(0, 200))}`);
      }
    }
  }
}

const WORDS = ['the', 'The', 'THE', 'answer', 'is', '12', '12.', 'so', 'So', '"a', 'a"', '"a"', 'a","b', 'a,b', '[a]', '\\"', '\\', 'x', 'İ', 'ß', 'ΣΑΣ', '答案', '是', '十二', '所以', '😀', 'a\u0301', 'á'];
const SPACES = [' ', ' ', ' ', '  ', '\n', '\t', '\u00a0', '\u3000', '\u2028', '\u200b', '\u001f', '\u0085', ''];

function soup(r: () => number): string {
  const n = Math.floor(r() * 80);
  // Small vocabularies repeat a lot (high penalties); large ones rarely.
  const vocab = 1 + Math.floor(r() * WORDS.length);
  let s = '';
  for (let i = 0; i < n; i++) s += WORDS[Math.floor(r() * vocab)] + SPACES[Math.floor(r() * SPACES.length)];
  return s;
}

test('identical to the reference on every string of the real fixtures, n = 1…6', { skip: needFixtures(REAL) }, () => {
  const texts: string[] = [];
  for (const f of filesUnder(REAL)) if (/\.jsonl?$/.test(f)) texts.push(...jsonStrings(f));
  assert.ok(texts.length > 4000);
  compareText(texts, 'real fixture string');
  // zh mode segments with Intl.Segmenter: the completions of the real fixtures only (it is slow on long texts).
  compareText(texts.filter((t) => t.length < 20_000).slice(0, 600), 'real fixture string', ['zh']);
});

test('identical on a generated verl dump with tail loops', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-repetition-'));
  try {
    const file = join(dir, 'gen.jsonl');
    await generateRolloutFile(file, 1 << 20);
    const texts = jsonStrings(file);
    assert.ok(texts.some((t) => reference.repetitionPenaltyText(t, 3, -1) < -0.5), 'some completions loop');
    compareText(texts, 'generated string');
    // The whole dump as one long completion.
    const all = texts.join(' ');
    for (const n of SIZES) assert.equal(repetitionPenaltyText(all, n, -1), reference.repetitionPenaltyText(all, n, -1), `whole dump, n=${n}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('identical on 3000 seeded word soups (case, Unicode whitespace, JSON-like words), en and zh', () => {
  const r = rng(424242);
  const texts = Array.from({ length: 3000 }, () => soup(r));
  compareText(texts, 'word soup', ['en', 'zh']);
  assert.ok(texts.some((t) => { const v = repetitionPenaltyText(t, 3, -1); return v < 0 && v > -1; }), 'penalties strictly between 0 and -1');
});

test('token ids: identical on seeded id lists, including negative zero, NaN and fractional n', () => {
  const r = rng(7);
  for (let k = 0; k < 2000; k++) {
    const len = Math.floor(r() * 300);
    const vocab = 1 + Math.floor(r() * 50);
    const ids = Array.from({ length: len }, () => Math.floor(r() * vocab));
    if (k % 50 === 0 && len > 3) ids.splice(1, 2, -0, 0);
    if (k % 77 === 0 && len > 3) ids.splice(2, 2, NaN, NaN);
    for (const n of [...SIZES, 2.5]) {
      assert.ok(Object.is(repetitionPenaltyTokens(ids, n, -0.5), reference.repetitionPenaltyTokens(ids, n, -0.5)), `ids ${JSON.stringify(ids.slice(0, 20))} n=${n}`);
    }
  }
  for (const n of [0, -1, 2.5]) assert.equal(repetitionPenaltyText('a b a b a b', n, -1), reference.repetitionPenaltyText('a b a b a b', n, -1), `n=${n}`);
  assert.throws(() => repetitionPenaltyText('a', 3, 1), /should not be positive/);
});

test('zh mode on long texts (segmented in chunks cut after line feeds): same tokens as one pass', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-repetition-zh-'));
  try {
    const file = join(dir, 'gen.jsonl');
    await generateRolloutFile(file, 256 << 10);
    const r = rng(99);
    // ~40 KB each: over the 8 KB chunk, under the size where the one-pass reference gets slow. Line feeds followed
    // by combining marks, joiners, CRLF and CJK text sit at the cuts.
    const pieces = [...jsonStrings(file), ...Array.from({ length: 400 }, () => soup(r) + ['\n', '\n\u0301', '\r\n', '\n\u200d😀', '\n所以'][Math.floor(r() * 5)])];
    const long: string[] = [];
    for (let at = 0; at < pieces.length && long.length < 6;) {
      let s = '';
      while (s.length < 40_000 && at < pieces.length) s += pieces[at++] + (r() < 0.5 ? '\n' : ' ');
      long.push(s);
    }
    for (const t of long) {
      assert.ok(t.length > 8192 && t.includes('\n'));
      for (const n of [1, 3]) assert.ok(Object.is(repetitionPenaltyText(t, n, -1, 'zh'), reference.repetitionPenaltyText(t, n, -1, 'zh')), `n=${n}, ${t.length} chars`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
