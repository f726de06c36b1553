// Chinese vs Japanese for Han characters (docs/detection.md §10.7). A Han-only sentence is decided by which national
// character sets cover all of its characters: GB 2312 (Simplified Chinese), Big5 (Traditional Chinese), JIS X 0208
// (Japanese). The sets are built once, lazily, by decoding each charset's Han byte ranges with the WHATWG TextDecoder
// (available in Node, Electron and browsers), which avoids shipping ~8 KB of tables. If a runtime lacks a legacy
// decoder, a short list of the most telling characters is used instead.

const GB = 1;
const BIG5 = 2;
const JIS = 4;

let table: Uint8Array | null = null;

function decodePairs(label: string, leads: [number, number], trails: [number, number][], bit: number, into: Uint8Array): boolean {
  let decoder: { decode(b: Uint8Array): string };
  try {
    decoder = new TextDecoder(label);
  } catch {
    return false;
  }
  // Each pair is followed by '\n' so that an unmapped pair cannot swallow or shift its neighbours.
  const bytes: number[] = [];
  for (let a = leads[0]; a <= leads[1]; a++) {
    for (const [lo, hi] of trails) for (let b = lo; b <= hi; b++) bytes.push(a, b, 10);
  }
  const pieces = decoder.decode(new Uint8Array(bytes)).split('\n');
  for (const p of pieces) {
    if (p.length !== 1) continue;
    const c = p.charCodeAt(0);
    if (c >= 0x3400 && c < 0xa000) into[c] = (into[c] ?? 0) | bit;
  }
  return true;
}

const FALLBACK_SIMPLIFIED = '们这说时为对吗还过问题发东试认样图关门见车长马鸟语记让进选应该现书买卖华级钱开设计这值确从么';
const FALLBACK_JAPANESE = '済図駅気広様売読変関団沢歩込働畑峠枠円実続単発戦営権検険験覚圧辺両県楽悪黒歳処';

function build(): Uint8Array {
  const t = new Uint8Array(0x10000);
  const ok =
    decodePairs('gb2312', [0xb0, 0xf7], [[0xa1, 0xfe]], GB, t) &&
    decodePairs('big5', [0xa4, 0xc6], [[0x40, 0x7e], [0xa1, 0xfe]], BIG5, t) &&
    decodePairs('big5', [0xc9, 0xf9], [[0x40, 0x7e], [0xa1, 0xfe]], BIG5, t) &&
    decodePairs('euc-jp', [0xb0, 0xf4], [[0xa1, 0xfe]], JIS, t);
  if (!ok) {
    // Without decoders: everything is "in all sets" (ambiguous) except the telling characters.
    t.fill(GB | BIG5 | JIS, 0x3400, 0xa000);
    for (const ch of FALLBACK_SIMPLIFIED) t[ch.charCodeAt(0)] = GB;
    for (const ch of FALLBACK_JAPANESE) t[ch.charCodeAt(0)] = JIS;
  }
  return t;
}

function sets(): Uint8Array {
  if (table === null) table = build();
  return table;
}

export type HanVerdict = 'zh' | 'ja' | 'ambiguous';

/**
 * Decides a Han-only sentence by charset coverage (§10.7 step 2). `text` may contain other characters; only Han in
 * the BMP ideograph blocks is considered. When no set covers every character, exclusive characters decide: those
 * only in a Chinese set against those only in JIS X 0208, and Japanese needs at least two of its own. One
 * Japanese-only variant glyph (邉, 隠, 霊) inside a Chinese line is a glyph choice, not Japanese (the real Chinese
 * poem fixture has several), so it leaves the sentence ambiguous.
 *
 * `strict` (used when the target is Chinese, where a false "Japanese" is the costly error): Japanese then needs two
 * Japanese-only characters; coverage alone is not enough, because Chinese models also mix traditional and simplified
 * forms (廣…楼), which is exactly the pattern that only JIS X 0208 covers.
 */
export function hanVerdict(text: string, from = 0, to = text.length, strict = false): HanVerdict {
  const t = sets();
  let all = GB | BIG5 | JIS;
  let chineseOnly = 0;
  let japaneseOnly = 0;
  let han = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x3400 || c >= 0xa000 || (c >= 0x4dc0 && c < 0x4e00)) continue;
    han++;
    const m = t[c]!;
    all &= m;
    if (m === JIS) japaneseOnly++;
    else if (m !== 0 && (m & JIS) === 0) chineseOnly++;
  }
  if (han === 0) return 'ambiguous';
  const zh = (all & (GB | BIG5)) !== 0;
  const ja = (all & JIS) !== 0;
  if (zh && !ja) return 'zh';
  if (ja && !zh) return !strict || japaneseOnly >= 2 ? 'ja' : 'ambiguous';
  if (!zh && !ja) {
    if (chineseOnly > japaneseOnly) return 'zh';
    if (japaneseOnly >= 2 && japaneseOnly > chineseOnly) return 'ja';
  }
  return 'ambiguous';
}
