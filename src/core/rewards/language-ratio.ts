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

// Speed (the reward ran at ~1.5 MB/s, most of it in Intl.Segmenter's per-segment objects): a sentence is cut into
// pieces at runs of U+0020 and each piece's words are classified once and cached. Reasoning text repeats its
// vocabulary, so most pieces are cache hits and never reach the segmenter. The result is unchanged because UAX #29
// (which ICU implements) always breaks before a space and after a space run unless the next character extends it
// (WB4: Extend/Format/ZWJ), its rules look back at most two characters past a break only through letters, digits
// and mid-word punctuation, and a space is none of those: a piece is segmented alone exactly as in its sentence.
// test/unit/rewards/language-ratio-differential.test.ts checks this against the old implementation.

/** Script class of a word, independent of the sentence and the target; null: not counted. */
const KO = 0;
const JA = 1;
const HAN = 2;
const CYR = 3;
const LATIN = 4;
const OTHER = 5;
const NO_WORDS: readonly number[] = [];

function wordClass(word: string): number | null {
  if (/^[\p{Nd}\p{P}\p{S}]+$/u.test(word)) return null;
  if (/\p{Script=Hangul}/u.test(word)) return KO;
  if (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(word)) return JA;
  if (/\p{Script=Han}/u.test(word)) return HAN;
  if (/\p{Script=Cyrillic}/u.test(word)) return CYR;
  if (/\p{Script=Latin}/u.test(word)) {
    // Variables and geometry labels (x, AB, ABC) are not words.
    if (/^[A-Za-z]$/.test(word) || /^[A-Z]{2,3}$/.test(word)) return null;
    return LATIN;
  }
  return OTHER;
}

/**
 * May a piece start with this character, right after a space run? Only characters that are certainly not
 * Extend/Format/ZWJ (which WB4 would attach to the space): ASCII and Latin-1 but the soft hyphen, Greek and
 * Cyrillic letters, CJK punctuation, kana, ideographs, Hangul syllables, full-width forms. Anything else keeps the
 * space inside the piece (correct, only less cacheable).
 */
function startsPiece(c: number): boolean {
  if (c < 0x300) return c !== 0xad;
  return (c >= 0x370 && c <= 0x482) || (c >= 0x48a && c <= 0x52f) || (c >= 0x3000 && c <= 0x3029) || (c >= 0x3041 && c <= 0x3096)
    || (c >= 0x30a0 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xff01 && c <= 0xff9d);
}

/** Pieces longer than this are segmented every time (numbers, hashes, CJK runs rarely repeat). */
const MAX_CACHED_PIECE = 48;
/** Bound on the cache (entries); it is simply emptied when full. */
const MAX_CACHE = 200_000;
const pieceCache = new Map<string, readonly number[]>();

/**
 * ASCII without a letter (numbers, operators, punctuation): whatever the segmentation, every word in it is digits,
 * punctuation or symbols (all ASCII non-letters are Nd, P or S; controls are never inside a word), so none counts.
 */
function asciiWithoutLetters(piece: string): boolean {
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i) | 0x20; // folds A-Z onto a-z
    if (c > 0x7f || (c >= 0x61 && c <= 0x7a)) return false;
  }
  return true;
}

function classesOf(piece: string): readonly number[] {
  if (asciiWithoutLetters(piece)) return NO_WORDS;
  const cacheable = piece.length <= MAX_CACHED_PIECE;
  if (cacheable) {
    const hit = pieceCache.get(piece);
    if (hit !== undefined) return hit;
  }
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  let out: number[] | null = null;
  for (const seg of segmenter.segment(piece)) {
    if (!seg.isWordLike) continue;
    const k = wordClass(seg.segment);
    if (k !== null) (out ??= []).push(k);
  }
  const classes = out ?? NO_WORDS;
  if (cacheable) {
    if (pieceCache.size >= MAX_CACHE) pieceCache.clear();
    pieceCache.set(piece, classes);
  }
  return classes;
}

/** Share of target-language words (R1 Eq. 7); null when the text has no words or the target is empty. */
export function languageRatio(text: string, target: string): number | null {
  const lang = target.toLowerCase().split(/[-_]/)[0] ?? '';
  if (!lang) return null;
  // Which classes are the target language (Han depends on the sentence: zh, or ja when it has kana).
  const hit = [lang === 'ko', lang === 'ja', false, CYRILLIC_TARGETS.has(lang), LATIN_TARGETS.has(lang) || lang === 'latin', lang === 'other'];
  let words = 0;
  let hits = 0;
  const count = (piece: string): void => {
    for (const k of classesOf(piece)) {
      words++;
      if (hit[k]) hits++;
    }
  };
  for (const sentence of stripNonLinguistic(text).split(/[。！？!?\n]|\.(?=\s)/)) {
    const kana = /[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(sentence);
    hit[HAN] = (kana ? 'ja' : 'zh') === lang;
    const n = sentence.length;
    let start = 0;
    let i = 0;
    while (i < n) {
      if (sentence.charCodeAt(i) !== 0x20) {
        i++;
        continue;
      }
      let j = i + 1;
      while (j < n && sentence.charCodeAt(j) === 0x20) j++;
      if (j < n && !startsPiece(sentence.charCodeAt(j))) {
        i = j;
        continue;
      }
      if (i > start) count(sentence.slice(start, i));
      start = j;
      i = j;
    }
    if (start < n) count(start === 0 ? sentence : sentence.slice(start));
  }
  return words === 0 ? null : hits / words;
}
