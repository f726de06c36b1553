// Identification of Latin-script runs (docs/detection.md §10.6 step 4). A function-word lexicon does the first pass: it is
// cheap, works on short runs where trigram models fail ("wait no", "it should be four"), and lets us skip franc for
// the overwhelming majority of runs. franc, restricted by `only:` to a few candidates, confirms a run only when the
// lexicon says it is foreign and the run is long enough (≥ 20 characters) for trigrams to mean something.

import { franc } from 'franc';

export const LATIN_LANGS = ['en', 'fr', 'de', 'es', 'pt', 'it', 'nl'] as const;
export type LatinLang = (typeof LATIN_LANGS)[number];

const ISO3: Record<string, string> = {
  en: 'eng', fr: 'fra', de: 'deu', es: 'spa', pt: 'por', it: 'ita', nl: 'nld', pl: 'pol', tr: 'tur', vi: 'vie',
  id: 'ind', sv: 'swe', da: 'dan', no: 'nob', fi: 'fin', cs: 'ces', ro: 'ron', hu: 'hun', ca: 'cat',
};
const ISO1: Record<string, string> = Object.fromEntries(Object.entries(ISO3).map(([a, b]) => [b, a]));

const WORDS: Record<LatinLang, string> = {
  en: 'the and is are was were be been this that these those with for of to it its we let me so but then if not have has had what which would should could can check wait now need because since there their our get from by on at as an or do does just think answer right yes no maybe first next compute number step equals times plus minus same again actually hmm okay ok',
  fr: 'le la les des du un une est et donc nous pour dans avec que qui sur pas ce cette sont mais il elle je au aux par plus comme alors ou être faut vérifier calcul réponse ici aussi leur très peut doit fait cela entre deux trois',
  de: 'der die das und ist nicht ich wir ein eine einen mit auf für zu von den dem des sich auch noch dass oder wenn aber also sind wird muss nochmal gleich dann hier ergebnis haben kann werden diese dieser zwei drei warte',
  es: 'el la los las de del es en que un una por para con se lo como pero entonces esto este esta son su al más hay ser puede tiene respuesta verificar dos tres también',
  pt: 'os as do da dos das em um uma que não para com por se isso então mas é são ser mais pode tem resposta verificar dois três também',
  it: 'il lo la gli le di del della che un una per non con sono questo questa quindi ma allora è più può risposta verificare due tre anche',
  nl: 'de het een en is van dat niet ik we wij met voor op zijn maar dus dan ook nog deze kan moet twee drie',
};

/** word → bit mask of the languages that use it (a word shared by k languages counts 1/k for each). */
const LEXICON = new Map<string, number>();
LATIN_LANGS.forEach((lang, i) => {
  for (const w of WORDS[lang].split(' ')) LEXICON.set(w, (LEXICON.get(w) ?? 0) | (1 << i));
});
/** Every lexicon word (lower case), for callers that pre-filter words before voting. */
export const LEXICON_WORDS: readonly string[] = [...LEXICON.keys()];

function weight(mask: number): number {
  let k = 0;
  for (let m = mask; m; m &= m - 1) k++;
  return k > 0 ? 1 / k : 0;
}

/** Adds the lexicon votes of one lower-cased word to `scores` (indexed like LATIN_LANGS). */
export function voteWord(word: string, scores: Float64Array): void {
  const mask = LEXICON.get(word);
  if (mask === undefined) return;
  const w = weight(mask);
  for (let i = 0; i < LATIN_LANGS.length; i++) if (mask & (1 << i)) scores[i]! += w;
}

export function latinIndex(lang: string): number {
  return (LATIN_LANGS as readonly string[]).indexOf(lang);
}

/** Best language by lexicon votes, with its score; null when nothing voted. */
export function bestVote(scores: Float64Array): { lang: LatinLang; score: number } | null {
  let best = -1;
  let score = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]! > score) {
      score = scores[i]!;
      best = i;
    }
  }
  return best < 0 ? null : { lang: LATIN_LANGS[best]!, score };
}

/** franc restricted to `candidates` (ISO 639-1); returns an ISO 639-1 code, or null when undecided. */
export function francAmong(text: string, candidates: readonly string[]): string | null {
  const only = [...new Set(candidates.map((c) => ISO3[c]).filter((c): c is string => c !== undefined))];
  if (only.length === 0) return null;
  const r = franc(text, { only, minLength: 1 });
  return ISO1[r] ?? null;
}

/** Whether a language can be told apart by the lexicon / franc here. */
export function isLatinLanguage(lang: string): boolean {
  return ISO3[lang] !== undefined;
}

/**
 * Cheap pre-check used for English targets on pure-ASCII text: counts non-English function words (ASCII \b,
 * case-sensitive). It runs on every English sample. A char-code loop over word runs replaced this regex for a while;
 * measured again on the real traces, irregexp's compiled alternation is twice as fast (2.9 vs 5.7 ns per character:
 * the loop pays a branch misprediction at every word boundary, the regex scans for first letters natively).
 */
const FOREIGN_ASCII = /\b(?:les|des|est|une|dans|avec|nous|donc|sont|mais|cette|der|und|ist|nicht|ich|wir|eine|mit|auf|sich|noch|dass|oder|wenn|aber|los|las|del|por|para|una|pero|entonces|esto|isso|ent[aã]o|het|een|niet|voor|maar|della|questo|quindi|sono)\b/g;

/**
 * The same words in ASCII, for scans that see text already known to have no letters outside ASCII (the repetition
 * detector's tokeniser counts them in its pass: see tokenize() and countRun() there). 'então' cannot occur in such text.
 * A match of FOREIGN_ASCII is exactly a maximal run of ASCII word characters [A-Za-z0-9_] equal to one of these.
 */
export const FOREIGN_ASCII_WORDS: readonly string[] = FOREIGN_ASCII.source
  .replace(/^\\b\(\?:|\)\\b$/g, '')
  .replace('ent[aã]o', 'entao')
  .split('|');

/** Counts up to `cap` of the words in text[from, to) (the region behaves like a slice: its ends are word boundaries). */
export function countForeignAsciiWords(text: string, cap: number, from = 0, to = text.length): number {
  // A slice is O(1) in V8 (a sliced string) and makes the region's ends word boundaries, as the contract says.
  const region = from === 0 && to === text.length ? text : text.slice(from, to);
  FOREIGN_ASCII.lastIndex = 0;
  let n = 0;
  while (n < cap && FOREIGN_ASCII.exec(region) !== null) n++;
  return n;
}
