// The interned n-gram count (dense ids per unit, then per k-gram) must give exactly the penalty of the JSON-keyed
// implementation it replaced (repetition-v1; its outputs are recorded in test/golden/repetition-v1.json, see
// test/support/golden.ts): on every string of the real fixtures, on a generated verl
// dump with tail loops, on seeded random word soups (case, Unicode whitespace, words that look alike as JSON), for
// n = 1…6, in the en and zh modes, and on token-id lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repetitionPenaltyText, repetitionPenaltyTokens } from '../../../src/core/rewards/repetition';
import { rng } from '../../../bench/generate';
import { generatedDumpStrings, jsonFilesStrings } from './json-strings';
import { REAL, needFixtures } from '../../support/fixtures';
import { GoldenFile, canonical, digest, exactNumbers, fixtureSection, loadReference, type Json } from '../../support/golden';

const SIZES = [1, 2, 3, 4, 6];

const golden = new GoldenFile('repetition-v1', 'repetitionPenaltyText/Tokens before the interned n-gram count (reference/repetition-v1.ts, removed): per input, one list of penalties per language (or per case), n = 1, 2, 3, 4, 6 (a digest when long)');

interface Reference {
  repetitionPenaltyText(text: string, n: number, max: number, language?: string): number;
  repetitionPenaltyTokens(ids: readonly number[], n: number, max: number): number;
}

/** The old implementation (recording only). */
function reference(): Promise<Reference> {
  return loadReference<Reference>('rewards/reference/repetition-v1');
}

type Penalties = (text: string, n: number, language: string) => number;

/** The penalties of a text for each language, n = SIZES (one list per language). */
function penalties(f: Penalties, t: string, languages: readonly string[]): Json[] {
  return languages.map((language) => exactNumbers(SIZES.map((n) => f(t, n, language))));
}

/** The recorded penalties of some texts in some languages, keyed by `name` (recording them first if asked). */
function recorded(texts: readonly string[], languages: readonly string[], name: string, inputs = digest(...texts)): Promise<Json[]> {
  return golden.entries(name, inputs, async () => {
    const ref = await reference();
    return texts.map((t) => penalties((s, n, l) => ref.repetitionPenaltyText(s, n, -1, l), t, languages));
  });
}

function compareText(texts: readonly string[], want: readonly Json[], what: string, languages = ['en']): void {
  assert.equal(want.length, texts.length, `${what}: one golden entry per text`);
  texts.forEach((t, i) => {
    const got = penalties((s, n, l) => repetitionPenaltyText(s, n, -1, l), t, languages);
    if (canonical(got) !== canonical(want[i])) assert.fail(`${what} #${i}, n=${SIZES.join('/')} ${languages.join('+')}: ${JSON.stringify(got)} instead of the recorded ${JSON.stringify(want[i])} for ${JSON.stringify(t.slice(0, 200))}`);
  });
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

test('identical to the reference on every string of the real fixtures, n = 1…6', { skip: needFixtures(REAL) }, async () => {
  let strings = 0;
  // zh mode segments with Intl.Segmenter: the first 600 strings under 20,000 characters only (slow on long texts).
  let zhLeft = 600;
  for (const { file: f, texts } of jsonFilesStrings(REAL)) {
    const zh = texts.filter((t) => t.length < 20_000).slice(0, zhLeft);
    zhLeft -= zh.length;
    const section = fixtureSection(f);
    const want = await recorded(texts, ['en'], section.name, section.inputs);
    compareText(texts, want, `real fixture string (${section.name})`);
    const wantZh = await recorded(zh, ['zh'], `${section.name} zh`, digest(section.inputs, String(zh.length)));
    compareText(zh, wantZh, `real fixture string (${section.name})`, ['zh']);
    strings += texts.length;
  }
  assert.ok(strings > 4000);
});

test('identical on a generated verl dump with tail loops', async () => {
  const texts = await generatedDumpStrings(1 << 20);
  compareText(texts, await recorded(texts, ['en'], 'generated'), 'generated string');
  // (the same values as the reference's, just compared)
  assert.ok(texts.some((t) => repetitionPenaltyText(t, 3, -1) < -0.5), 'some completions loop');
  // The whole dump as one long completion.
  const all = [texts.join(' ')];
  compareText(all, await recorded(all, ['en'], 'generated, whole dump'), 'whole dump');
});

test('identical on 3000 seeded word soups (case, Unicode whitespace, JSON-like words), en and zh', async () => {
  const r = rng(424242);
  const texts = Array.from({ length: 3000 }, () => soup(r));
  compareText(texts, await recorded(texts, ['en', 'zh'], 'word soups'), 'word soup', ['en', 'zh']);
  assert.ok(texts.some((t) => { const v = repetitionPenaltyText(t, 3, -1); return v < 0 && v > -1; }), 'penalties strictly between 0 and -1');
});

test('token ids: identical on seeded id lists, including negative zero, NaN and fractional n', async () => {
  const r = rng(7);
  const lists: number[][] = [];
  for (let k = 0; k < 2000; k++) {
    const len = Math.floor(r() * 300);
    const vocab = 1 + Math.floor(r() * 50);
    const ids = Array.from({ length: len }, () => Math.floor(r() * vocab));
    if (k % 50 === 0 && len > 3) ids.splice(1, 2, -0, 0);
    if (k % 77 === 0 && len > 3) ids.splice(2, 2, NaN, NaN);
    lists.push(ids);
  }
  const ns = [...SIZES, 2.5];
  const byIds = (f: (ids: readonly number[], n: number, max: number) => number): Json[] => lists.map((ids) => exactNumbers(ns.map((n) => f(ids, n, -0.5))));
  const want = await golden.entries('token ids', digest(...lists.map(canonical)), async () => byIds((await reference()).repetitionPenaltyTokens));
  const got = byIds(repetitionPenaltyTokens);
  lists.forEach((ids, k) => assert.equal(canonical(got[k]), canonical(want[k]), `ids ${JSON.stringify(ids.slice(0, 20))} n=${ns.join('/')}`));
  // Degenerate n (0, negative, fractional) on text.
  const odd = [0, -1, 2.5];
  const oddText = (f: Penalties): Json[] => [exactNumbers(odd.map((n) => f('a b a b a b', n, 'en')))];
  const wantOdd = await golden.entries('odd n', digest(...odd.map(String)), async () => {
    const ref = await reference();
    return oddText((s, n, l) => ref.repetitionPenaltyText(s, n, -1, l));
  });
  assert.deepEqual(oddText((s, n, l) => repetitionPenaltyText(s, n, -1, l)), wantOdd, `n=${odd.join('/')}`);
  assert.throws(() => repetitionPenaltyText('a', 3, 1), /should not be positive/);
});

test('zh mode on long texts (segmented in chunks cut after line feeds): same tokens as one pass', async () => {
  const r = rng(99);
  // ~40 KB each: over the 8 KB chunk, under the size where the one-pass reference gets slow. Line feeds followed
  // by combining marks, joiners, CRLF and CJK text sit at the cuts.
  const pieces = [...(await generatedDumpStrings(256 << 10)), ...Array.from({ length: 400 }, () => soup(r) + ['\n', '\n\u0301', '\r\n', '\n\u200d😀', '\n所以'][Math.floor(r() * 5)])];
  const long: string[] = [];
  for (let at = 0; at < pieces.length && long.length < 6;) {
    let s = '';
    while (s.length < 40_000 && at < pieces.length) s += pieces[at++] + (r() < 0.5 ? '\n' : ' ');
    long.push(s);
  }
  for (const t of long) assert.ok(t.length > 8192 && t.includes('\n'));
  const both = (f: Penalties): Json[] => long.map((t) => exactNumbers([1, 3].map((n) => f(t, n, 'zh'))));
  const want = await golden.entries('zh long', digest(...long), async () => {
    const ref = await reference();
    return both((s, n, l) => ref.repetitionPenaltyText(s, n, -1, l));
  });
  const got = both((s, n, l) => repetitionPenaltyText(s, n, -1, l));
  long.forEach((t, i) => assert.equal(canonical(got[i]), canonical(want[i]), `n=1/3, ${t.length} chars`));
});
