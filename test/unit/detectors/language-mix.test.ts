// Language mixing: flagged runs at exact spans, quiet on clean traces in many languages (docs/detection.md §10.6–10.8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLanguageMix, dominantLanguage, languageRatio } from '../../../src/core/detectors/language-mix';
import { hanVerdict } from '../../../src/core/detectors/lang/cjk';
import { LANG_CASES } from '../../fixtures/traces/language';

for (const c of LANG_CASES) {
  test(`${c.foreign ? 'flags' : 'quiet on'}: ${c.name}`, () => {
    const r = detectLanguageMix(c.text, { target: c.target });
    if (c.foreign === null) {
      assert.deepEqual(r.flags.map((f) => f.message), []);
      assert.equal(r.ratio, 1);
      return;
    }
    assert.equal(r.flags.length, 1, JSON.stringify(r.flags.map((f) => f.message)));
    const f = r.flags[0]!;
    assert.equal(c.text.slice(f.start, f.end), c.foreign);
    assert.equal(f.kind, 'language-mix');
    assert.equal(f.language, c.language);
    assert.ok(r.ratio < 0.95 && r.ratio > 0.3, `ratio ${r.ratio}`);
    assert.match(f.message, /inside/);
    assert.match(f.message, new RegExp(`\\(${f.end - f.start} chars`));
  });
}

test('dominant language of every clean and mixed case matches its target', () => {
  for (const c of LANG_CASES) assert.equal(dominantLanguage(c.text), c.target, c.name);
});

test('message names both languages and the size', () => {
  const t = 'We need the total. 我们需要计算总和以及平均值 and then divide by two.';
  const r = detectLanguageMix(t, { target: 'en' });
  assert.equal(r.flags.length, 1);
  assert.match(r.flags[0]!.message, /^Chinese inside English reasoning \(13 chars/);
  assert.equal(r.flags[0]!.code, 'zh-in-en');
});

test('Chinese vs Japanese hard strings (§10.7)', () => {
  assert.equal(hanVerdict('計算結果確認済'), 'ja');
  assert.equal(hanVerdict('東京大学入試問題'), 'ja');
  assert.equal(hanVerdict('首先我们设'), 'zh');
  assert.equal(hanVerdict('嗯'), 'zh');
  assert.equal(hanVerdict('答案是'), 'ambiguous');
  assert.equal(dominantLanguage('計算結果確認済。'), 'ja');
  assert.equal(dominantLanguage('東京大学入試問題'), 'ja');
  assert.equal(dominantLanguage('答案是12'), 'zh');
  assert.equal(dominantLanguage('嗯'), 'zh');
  assert.equal(dominantLanguage('好的'), 'zh');
});

test('kanji-only Japanese sentences stay Japanese; kana in Chinese is mixing', () => {
  const ja = '数学的帰納法で証明する。計算結果確認済。n=1 のとき成り立つ。';
  assert.deepEqual(detectLanguageMix(ja, { target: 'ja' }).flags, []);
  const zh = '首先我们设这个数为 x。つまり、答えは三です。所以答案是三。';
  const r = detectLanguageMix(zh, { target: 'zh' });
  assert.equal(r.flags.length, 1);
  assert.equal(zh.slice(r.flags[0]!.start, r.flags[0]!.end), 'つまり、答えは三です');
  assert.equal(r.flags[0]!.language, 'ja');
});

test('Chinese target: one Japanese variant glyph is not Japanese, several are', () => {
  assert.deepEqual(detectLanguageMix('山林隠逸，丘壑依稀。可怜浄玉如高士。', { target: 'zh' }).flags, []);
  const t = '我们先到车站。図書館駅前広場。然后一起走。';
  const r = detectLanguageMix(t, { target: 'zh' });
  assert.equal(r.flags.length, 1);
  assert.equal(t.slice(r.flags[0]!.start, r.flags[0]!.end), '図書館駅前広場');
});

test('Korean, Russian and Spanish targets with an English sentence', () => {
  const cases: [string, string, string][] = [
    ['ko', '먼저 방정식을 정리하면 두 개의 해가 있습니다. ', 'then we can apply the quadratic formula'],
    ['ru', 'Итак, ответ равен сорока двум. ', 'Let me verify this once more'],
    ['es', 'Entonces la respuesta es doce y el cálculo está bien. ', 'but I should double check the sum of the angles'],
  ];
  for (const [target, pre, en] of cases) {
    const t = `${pre}${en}. ${pre}`;
    const r = detectLanguageMix(t, { target });
    assert.equal(r.flags.length, 1, target);
    assert.equal(t.slice(r.flags[0]!.start, r.flags[0]!.end), en, target);
    assert.equal(r.flags[0]!.language, 'en');
  }
});

test('single English words in Chinese are counted but not flagged', () => {
  const t = '我们用 Newton 法求解，得到 x = 2。所以答案是 2。';
  const r = detectLanguageMix(t, { target: 'zh' });
  assert.deepEqual(r.flags, []);
  assert.ok(r.ratio < 1 && r.ratio > 0.8);
});

test('a reasoning written entirely in another language is reported as a mismatch', () => {
  const t = '首先我们计算判别式，然后求出两个根。所以答案是三和四。';
  const r = detectLanguageMix(t, { target: 'en' });
  assert.ok(r.flags.some((f) => f.code === 'mismatch-zh-for-en' && f.start === 0 && f.end === t.length));
  assert.equal(r.ratio, 0);
});

test('offsets are relative to the whole text when a region is given', () => {
  const pre = '<think>';
  const body = 'We add them. 这个积分 equals one half.';
  const t = `${pre}${body}</think>answer`;
  const r = detectLanguageMix(t, { target: 'en', from: pre.length, to: pre.length + body.length });
  assert.equal(t.slice(r.flags[0]!.start, r.flags[0]!.end), '这个积分');
});

test('languageRatio is R1\'s target words / words', () => {
  assert.equal(languageRatio('', 'en'), 1);
  assert.equal(languageRatio('Plain English reasoning only.', 'en'), 1);
  const r = languageRatio('Donc la réponse est douze. But let me check it once more.', 'fr');
  assert.ok(r > 0.3 && r < 0.7, String(r));
  assert.equal(languageRatio('首先我们设这个数。', 'zh'), 1);
  assert.equal(languageRatio('首先我们设这个数。', 'en'), 0);
});

test('prompt boilerplate in English does not make a Chinese prompt English', () => {
  const p = 'system\nYou are a helpful assistant.\nuser\n已知三角形的两边分别为三和四，夹角为直角，求第三边的长度。\nPlease reason step by step, and put your final answer within \\boxed{}.\nassistant\n';
  assert.equal(dominantLanguage(p), 'zh');
});
