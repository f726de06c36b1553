// Reference copy of src/core/rewards/language-ratio.ts as it was before the performance work (commit a459b5b).
// test/unit/rewards/language-ratio-differential.test.ts runs it against the current one and requires identical
// ratios. Do not edit, do not import from src.

// INTERIM language ratio for the `language_consistency` reward, until `src/core/detectors/language-mix.ts`
// (`languageRatio(text, target)`, docs/detection.md §10.6) lands; swap the import in language.ts then.
// Script-only: LaTeX, code and URLs are stripped, words come from Intl.Segmenter, and each word is assigned a language
// by its script (Han → zh unless the sentence has kana, kana → ja, Hangul → ko, Cyrillic → ru, Latin → the target
// when the target is a Latin-script language). It cannot tell English from French; the real detector uses franc.

const LATIN_TARGETS = new Set(['en', 'fr', 'de', 'es', 'it', 'pt', 'nl', 'pl', 'tr', 'vi', 'id', 'sv', 'da', 'no', 'fi', 'cs', 'ro', 'hu']);
const CYRILLIC_TARGETS = new Set(['ru', 'uk', 'bg', 'sr', 'be', 'kk']);

let segmenter: Intl.Segmenter | null = null;

function stripNonLinguistic(text: string): string {
  return text
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/\$\$[\s\S]*?\$\$|\\\[[\s\S]*?\\\]|\\begin\{(\w+\*?)\}[\s\S]*?\\end\{\1\}|\$[^$\n]*\$|\\\([\s\S]*?\\\)/g, ' ')
    .replace(/\\text\{([^{}]*)\}/g, ' $1 ')
    .replace(/\\[A-Za-z]+(?:\{[^{}]*\})*/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/<\/?(?:think|answer)>/g, ' ');
}

function wordLanguage(word: string, sentenceHasKana: boolean, target: string): string | null {
  if (/^[\p{Nd}\p{P}\p{S}]+$/u.test(word)) return null;
  if (/\p{Script=Hangul}/u.test(word)) return 'ko';
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(word)) return 'ja';
  if (/\p{Script=Han}/u.test(word)) return sentenceHasKana ? 'ja' : 'zh';
  if (/\p{Script=Cyrillic}/u.test(word)) return CYRILLIC_TARGETS.has(target) ? target : 'ru';
  if (/\p{Script=Latin}/u.test(word)) {
    // Variables and geometry labels (x, AB, ABC) are not words.
    if (/^[A-Za-z]$/.test(word) || /^[A-Z]{2,3}$/.test(word)) return null;
    return LATIN_TARGETS.has(target) ? target : 'latin';
  }
  return 'other';
}

/** Share of target-language words (R1 Eq. 7); null when the text has no words or the target is empty. */
export function languageRatio(text: string, target: string): number | null {
  const lang = target.toLowerCase().split(/[-_]/)[0] ?? '';
  if (!lang) return null;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  let words = 0;
  let hits = 0;
  for (const sentence of stripNonLinguistic(text).split(/[。！？!?\n]|\.(?=\s)/)) {
    const kana = /[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(sentence);
    for (const seg of segmenter.segment(sentence)) {
      if (!seg.isWordLike) continue;
      const l = wordLanguage(seg.segment, kana, lang);
      if (l === null) continue;
      words++;
      if (l === lang) hits++;
    }
  }
  return words === 0 ? null : hits / words;
}
