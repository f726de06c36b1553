// The fast language ratio (pieces cut at spaces, classified once and cached) must give exactly the ratio of the
// implementation it replaced (language-ratio-v1, Intl.Segmenter over every sentence; its outputs are recorded in
// test/golden/language-ratio-v1.json, see test/support/golden.ts), for every target:
// on every string of the real fixtures, on a generated verl dump, and on seeded random text that mixes Latin, CJK,
// kana, Hangul, Cyrillic, LaTeX, code, numbers and the characters that decide where a piece may start (combining
// marks, soft hyphen, ZWJ, NBSP, ideographic and thin spaces, tabs, runs of spaces).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { languageRatio } from '../../../src/core/rewards/language-ratio';
import { reasoningText } from '../../../src/core/rewards/registry';
import { rng } from '../../../bench/generate';
import { generatedDumpStrings, jsonFilesStrings } from './json-strings';
import { REAL, needFixtures } from '../../support/fixtures';
import { GoldenFile, canonical, digest, exactNumbers, fixtureSection, loadReference, type Json } from '../../support/golden';

const TARGETS = ['en', 'zh', 'ja', 'ko', 'ru', 'zh-CN', 'latin', 'other', ''];

const golden = new GoldenFile('language-ratio-v1', 'languageRatio before the piece cache (reference/language-ratio-v1.ts, removed): per text, its ratios for the targets en, zh, ja, ko, ru, zh-CN, latin, other and \'\' (a digest when long)');

type RatioFn = (text: string, target: string) => number | null;

/** The ratios of the old implementation for each text (recording only). */
async function referenceRatios(texts: readonly string[]): Promise<Json[]> {
  const ref = await loadReference<{ languageRatio: RatioFn }>('rewards/reference/language-ratio-v1');
  return texts.map((s) => exactNumbers(TARGETS.map((t) => ref.languageRatio(s, t))));
}

/** The recorded ratios of a set of texts, keyed by `name` (a fixture file's section, or a digest of the texts). */
function recorded(texts: readonly string[], name: string, inputs = digest(...texts)): Promise<Json[]> {
  return golden.entries(name, inputs, () => referenceRatios(texts));
}

/** Every text must have exactly (Object.is) the recorded ratio for every target. Returns the comparisons made. */
function compare(texts: readonly string[], want: readonly Json[], what: string): number {
  assert.equal(want.length, texts.length, `${what}: one golden entry per text`);
  texts.forEach((s, i) => {
    const ratios = TARGETS.map((t) => languageRatio(s, t));
    if (canonical(exactNumbers(ratios)) !== canonical(want[i])) {
      assert.fail(`${what} #${i}, targets ${TARGETS.join('/')}: ${JSON.stringify(ratios)} instead of the recorded ${JSON.stringify(want[i])} for ${JSON.stringify(s.slice(0, 300))}`);
    }
  });
  return texts.length * TARGETS.length;
}

const TOKENS = [
  // Latin words, variables, labels, contractions, abbreviations, numbers
  'the', 'answer', 'Let', 'me', 'check', 'again', "don't", "students'", 'e.g.', 'i.e.', 'x', 'AB', 'ABC', 'ABCD', 'n', 'x2', '3.14', '1,000',
  'U.S.A.', 'state-of-the-art', 'snake_case', 'foo_bar_2', 'café', 'naïve', 'Straße', 'déjà', 'über', 'x:y', 'a.b', 'v1.2.3', '42', '(1)', '[x]',
  '"quoted"', "'single'", 'so,', 'so.', 'so;', 'so:', 'well...', '—', '--', '->', '+', '=', '<', '>', '%', '#', '@', '&', '|', '~', '^',
  // CJK, kana, Hangul, Cyrillic, Greek, Arabic, Thai
  '所以', '我们需要计算', '答案是十二', '。', '，', '因此', 'これは', '正しい', 'と思います', 'カタカナ', 'ｶﾀｶﾅ', 'ﾃﾞｰﾀ', '한국어', '답은', '입니다',
  'Привет', 'мир', 'ответ', 'αβγ', 'θ', 'العربية', 'ภาษาไทย', '中文English混合', 'Python编程', '第3步', '3个', '１２３', 'ＡＢＣ',
  // LaTeX, code, URLs, tags
  '$x^2$', '$$\\frac{1}{2}$$', '\\(a+b\\)', '\\[x\\]', '\\text{apples}', '\\frac{3}{4}', '\\boxed{12}', '`code`', '```py\nprint(1)\n```',
  'https://example.com/a?b=c', '<think>', '</think>', '<answer>', '</answer>',
  // sentence ends
  '.', '!', '?', '！', '？', '\n', '\n\n', '. ',
  // characters that decide where a piece may start or join words
  '\u0301', 'e\u0301', '\u00ad', 'co\u00adop', '\u200d', '👨\u200d👩\u200d👧', '\u200b', '\u200c', '\ufeff', '\u2060', '\u3099', 'か\u3099',
  '\u00a0', '\u3000', '\u2009', '\t', '\r\n', '🇫🇷', '🇫🇷🇩🇪', '😀', '👍🏽', '\u202e', '\u2028',
];
const SEPARATORS = [' ', ' ', ' ', ' ', '  ', '   ', '', '\u3000', '\u00a0', '\t', ' \u0301', ' \u00ad', ' \u200d', ' \u3099'];

function mixedText(r: () => number): string {
  const n = 1 + Math.floor(r() * 120);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += TOKENS[Math.floor(r() * TOKENS.length)];
    s += SEPARATORS[Math.floor(r() * SEPARATORS.length)];
  }
  return s;
}

test('identical to the reference on every string of the real fixtures, for every target', { skip: needFixtures(REAL) }, async () => {
  let strings = 0;
  let n = 0;
  for (const { file: f, texts } of jsonFilesStrings(REAL)) {
    // The reward is computed on the reasoning part of a completion: compare that cut as well.
    const reasoning = texts.map((t) => reasoningText(t)).filter((t) => t.length > 0);
    const section = fixtureSection(f);
    const want = await recorded([...texts, ...reasoning], section.name, section.inputs);
    n += compare(texts, want.slice(0, texts.length), `real fixture string (${section.name})`);
    n += compare(reasoning, want.slice(texts.length), `reasoning text of a real fixture string (${section.name})`);
    strings += texts.length;
  }
  assert.ok(strings > 4000, `${strings} strings`);
  assert.ok(n > 50_000);
});

test('identical on a generated verl dump (CJK drift, loops, LaTeX)', async () => {
  const texts = await generatedDumpStrings(1 << 20);
  assert.ok(texts.some((t) => /[\u4e00-\u9fff]/.test(t)) && texts.some((t) => /[\u3040-\u30ff]/.test(t)), 'the dump has Chinese and Japanese drift');
  compare(texts, await recorded(texts, 'generated'), 'generated verl string');
});

test('identical on 4000 seeded random CJK/Latin/Cyrillic/Hangul mixes with marks, joiners and odd spaces', async () => {
  const r = rng(20261124);
  const texts = Array.from({ length: 4000 }, () => mixedText(r));
  compare(texts, await recorded(texts, 'random'), 'random mix');
  // The ratios are not trivial: mixed texts give values strictly between 0 and 1 for English and Chinese targets.
  assert.ok(texts.some((t) => { const v = languageRatio(t, 'en'); return v !== null && v > 0 && v < 1; }));
  assert.ok(texts.some((t) => { const v = languageRatio(t, 'zh'); return v !== null && v > 0 && v < 1; }));
});

test('a piece seen before in another sentence kind (with and without kana) is counted for that sentence', async () => {
  // 中文 is zh in a sentence without kana and ja in one with kana: the cache must not fix the language of Han.
  const texts = ['中文 です', '中文 中文', 'これは 中文', '中文'];
  compare(texts, await recorded(texts, 'kana'), 'Han with and without kana');
});
