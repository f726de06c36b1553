// Unicode script classes by code-point range (docs/detection.md §10.6 step 3). A hand-written range switch instead of
// `\p{Script=…}` regexes because this runs on every character of every sample and must stay cheap.

export enum Sc {
  Other = 0,
  Latin = 1,
  Digit = 2,
  Greek = 3,
  Cyrillic = 4,
  Hebrew = 5,
  Arabic = 6,
  Devanagari = 7,
  Bengali = 8,
  Tamil = 9,
  Thai = 10,
  Hangul = 11,
  Kana = 12,
  Han = 13,
  /** Combining marks and joiners: continue the current word. */
  Mark = 14,
  /** Other Indic blocks (Gurmukhi … Malayalam): counted, not named precisely. */
  Indic = 15,
  Georgian = 16,
  Armenian = 17,
}

// The classes the hot loops compare against, as plain numbers: a module binding is a plain load once bundled (esbuild
// hoists every module into one scope), where an enum member is a property read of the enum object.
export const S_OTHER = Sc.Other;
export const S_LATIN = Sc.Latin;
export const S_DIGIT = Sc.Digit;
export const S_GREEK = Sc.Greek;
export const S_THAI = Sc.Thai;
export const S_KANA = Sc.Kana;
export const S_HAN = Sc.Han;
export const S_MARK = Sc.Mark;

/** Script class of a UTF-16 code unit (a high surrogate of the CJK planes counts as Han). */
export function scriptOf(c: number): Sc {
  if (c < 0x80) {
    if (c >= 97 ? c <= 122 : c >= 65 && c <= 90) return Sc.Latin;
    return c >= 48 && c <= 57 ? Sc.Digit : Sc.Other;
  }
  if (c < 0x250) return c === 0xd7 || c === 0xf7 || c < 0xc0 ? (c === 0xaa || c === 0xba ? Sc.Latin : Sc.Other) : Sc.Latin;
  if (c < 0x370) return c >= 0x300 ? Sc.Mark : Sc.Other; // IPA/modifier letters are rare; treat as punctuation
  if (c < 0x400) return Sc.Greek;
  if (c < 0x530) return Sc.Cyrillic;
  if (c < 0x590) return Sc.Armenian;
  if (c < 0x600) return c < 0x5d0 ? Sc.Mark : Sc.Hebrew;
  if (c < 0x700) return (c >= 0x660 && c <= 0x669) || (c >= 0x6f0 && c <= 0x6f9) ? Sc.Digit : c >= 0x64b && c <= 0x65f ? Sc.Mark : c < 0x620 ? Sc.Other : Sc.Arabic;
  if (c < 0x900) return c >= 0x750 && c < 0x780 ? Sc.Arabic : c >= 0x8a0 ? Sc.Arabic : Sc.Other;
  if (c < 0x980) return c >= 0x966 && c <= 0x96f ? Sc.Digit : c === 0x964 || c === 0x965 ? Sc.Other : Sc.Devanagari;
  if (c < 0xa00) return Sc.Bengali;
  if (c < 0xb80) return Sc.Indic;
  if (c < 0xc00) return Sc.Tamil;
  if (c < 0xe00) return Sc.Indic;
  if (c < 0xe80) return Sc.Thai;
  if (c < 0x10a0) return Sc.Other;
  if (c < 0x1100) return Sc.Georgian;
  if (c < 0x1200) return Sc.Hangul;
  if (c < 0x1e00) return c >= 0x1ab0 && c < 0x1b00 ? Sc.Mark : c >= 0x1dc0 ? Sc.Mark : Sc.Other;
  if (c < 0x1f00) return Sc.Latin;
  if (c < 0x2000) return Sc.Greek;
  if (c < 0x3000) return c === 0x200c || c === 0x200d ? Sc.Mark : c >= 0x2e80 && c < 0x2fe0 ? Sc.Han : Sc.Other;
  if (c < 0x3040) return c === 0x3005 || c === 0x3007 || (c >= 0x3021 && c <= 0x3029) ? Sc.Han : Sc.Other; // 々 〇
  if (c < 0x3100) return c === 0x30fb ? Sc.Other : Sc.Kana; // ・ is punctuation; ー is kana
  if (c < 0x3190) return c >= 0x3130 ? Sc.Hangul : Sc.Other;
  if (c < 0x3200) return c >= 0x31f0 ? Sc.Kana : Sc.Other;
  if (c < 0x3400) return Sc.Other;
  if (c < 0x4dc0) return Sc.Han;
  if (c < 0x4e00) return Sc.Other;
  if (c < 0xa000) return Sc.Han;
  if (c < 0xac00) return c >= 0xa960 && c < 0xa980 ? Sc.Hangul : Sc.Other;
  if (c < 0xd7b0) return Sc.Hangul;
  if (c < 0xd800) return Sc.Hangul;
  if (c < 0xdc00) return c >= 0xd840 && c <= 0xd87f ? Sc.Han : Sc.Other; // planes 2–3 high surrogates
  if (c < 0xe000) return Sc.Mark; // low surrogate continues the character
  if (c < 0xf900) return Sc.Other;
  if (c < 0xfb00) return Sc.Han;
  if (c < 0xfb50) return Sc.Other;
  if (c < 0xfe00) return Sc.Arabic;
  if (c < 0xfe70) return c < 0xfe10 ? Sc.Mark : Sc.Other;
  if (c < 0xff00) return Sc.Arabic;
  if (c < 0xff10) return Sc.Other;
  if (c < 0xff1a) return Sc.Digit;
  if (c < 0xff21) return Sc.Other;
  if (c < 0xff3b) return Sc.Latin;
  if (c < 0xff41) return Sc.Other;
  if (c < 0xff5b) return Sc.Latin;
  if (c < 0xff66) return Sc.Other;
  if (c < 0xffa0) return Sc.Kana;
  if (c < 0xffdd) return Sc.Hangul;
  return Sc.Other;
}

/** Default language of a script; Latin and Han are decided elsewhere. */
export function scriptLanguage(s: Sc): string {
  switch (s) {
    case Sc.Greek: return 'el';
    case Sc.Cyrillic: return 'ru';
    case Sc.Hebrew: return 'he';
    case Sc.Arabic: return 'ar';
    case Sc.Devanagari: return 'hi';
    case Sc.Bengali: return 'bn';
    case Sc.Tamil: return 'ta';
    case Sc.Thai: return 'th';
    case Sc.Hangul: return 'ko';
    case Sc.Kana: return 'ja';
    case Sc.Han: return 'zh';
    case Sc.Georgian: return 'ka';
    case Sc.Armenian: return 'hy';
    case Sc.Indic: return 'indic';
    default: return 'und';
  }
}

/** Languages written in each non-Latin script, so that a Ukrainian target accepts Cyrillic, a Persian one Arabic, etc. */
const SCRIPT_OF_LANGUAGE: Record<string, Sc> = {
  el: Sc.Greek, ru: Sc.Cyrillic, uk: Sc.Cyrillic, bg: Sc.Cyrillic, sr: Sc.Cyrillic, be: Sc.Cyrillic, mk: Sc.Cyrillic,
  kk: Sc.Cyrillic, mn: Sc.Cyrillic, ky: Sc.Cyrillic, tg: Sc.Cyrillic, he: Sc.Hebrew, yi: Sc.Hebrew, ar: Sc.Arabic,
  fa: Sc.Arabic, ur: Sc.Arabic, ps: Sc.Arabic, hi: Sc.Devanagari, mr: Sc.Devanagari, ne: Sc.Devanagari,
  sa: Sc.Devanagari, bn: Sc.Bengali, as: Sc.Bengali, ta: Sc.Tamil, th: Sc.Thai, ko: Sc.Hangul, ja: Sc.Kana,
  zh: Sc.Han, ka: Sc.Georgian, hy: Sc.Armenian, gu: Sc.Indic, pa: Sc.Indic, te: Sc.Indic, kn: Sc.Indic,
  ml: Sc.Indic, or: Sc.Indic, si: Sc.Indic,
};

/** The script a language is written in (Latin for anything not listed). */
export function languageScript(lang: string): Sc {
  return SCRIPT_OF_LANGUAGE[lang] ?? Sc.Latin;
}

/** The language a token of script `s` counts as, given the target (a Cyrillic word counts as Ukrainian in a uk target). */
export function languageForScript(s: Sc, target: string): string {
  if (s !== Sc.Latin && s !== Sc.Han && s !== Sc.Kana && languageScript(target) === s) return target;
  return scriptLanguage(s);
}

const NAMES: Record<string, string> = {
  en: 'English', zh: 'Chinese', ja: 'Japanese', ko: 'Korean', fr: 'French', de: 'German', es: 'Spanish',
  pt: 'Portuguese', it: 'Italian', nl: 'Dutch', ru: 'Russian', uk: 'Ukrainian', bg: 'Bulgarian', el: 'Greek',
  he: 'Hebrew', ar: 'Arabic', fa: 'Persian', ur: 'Urdu', hi: 'Hindi', bn: 'Bengali', ta: 'Tamil', th: 'Thai',
  ka: 'Georgian', hy: 'Armenian', vi: 'Vietnamese', tr: 'Turkish', pl: 'Polish', indic: 'Indic-script',
  latin: 'Latin-script', und: 'unidentified',
};

export function languageName(code: string): string {
  return NAMES[code] ?? code;
}
