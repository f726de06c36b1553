// Compression ratio of a short window (docs/detection.md §11.4: utf8 bytes / deflate bytes, Whisper's compression_ratio).
// src/core cannot use node:zlib, so callers in src/node inject the real one; this file provides a pure estimate:
// greedy LZ77 over the UTF-8 bytes (32 KB window, 3-byte hash chains, like deflate level ~4) with an entropy-coded
// cost model (order-0 entropy for literals, fixed-ish costs for lengths and distances). It tracks zlib within about
// ±15% on natural and degenerate text (test/unit/detectors/compress.test.ts), which is plenty for a 3.0 threshold.

export type CompressRatio = (s: string) => number;

const encoder = new TextEncoder();
const HASH_BITS = 12;
// A short chain is enough for a ratio estimate (deflate's fast levels use 4–8) and keeps this ~10 µs per window.
const MAX_CHAIN = 6;
const head = new Int32Array(1 << HASH_BITS);
let prev = new Int32Array(8192);
let byteBuf = new Uint8Array(8192);

function log2(x: number): number {
  return Math.log(x) / Math.LN2;
}

/** Estimated `utf8Length(s) / deflateLength(s)`. */
export function estimateCompressRatio(s: string): number {
  if (byteBuf.length < s.length * 3) byteBuf = new Uint8Array(s.length * 3);
  const bytes = byteBuf;
  const n = encoder.encodeInto(s, bytes).written;
  if (n === 0) return 1;
  if (prev.length < n) prev = new Int32Array(n * 2);
  head.fill(-1);
  const litCounts = new Float64Array(256);
  let literals = 0;
  let matchBits = 0;
  let i = 0;
  const hash = (p: number): number => ((bytes[p]! << 8) ^ (bytes[p + 1]! << 4) ^ bytes[p + 2]!) & ((1 << HASH_BITS) - 1);
  const insert = (p: number): void => {
    if (p + 2 >= n) return;
    const h = hash(p);
    prev[p] = head[h]!;
    head[h] = p;
  };
  while (i < n) {
    let bestLen = 0;
    let bestDist = 0;
    if (i + 2 < n) {
      let cand = head[hash(i)]!;
      let chain = 0;
      while (cand >= 0 && chain++ < MAX_CHAIN && i - cand <= 32768) {
        let l = 0;
        while (l < 258 && i + l < n && bytes[cand + l] === bytes[i + l]) l++;
        if (l > bestLen) {
          bestLen = l;
          bestDist = i - cand;
          if (l === 258) break;
        }
        cand = prev[cand]!;
      }
    }
    if (bestLen >= 3) {
      // Length symbol (~7 bits with extra bits) + distance symbol (~5 bits) + distance extra bits.
      matchBits += 7 + Math.max(0, log2(bestLen) - 2) + 5 + Math.max(0, Math.floor(log2(bestDist)) - 1);
      for (let k = 0; k < bestLen; k++) insert(i + k);
      i += bestLen;
    } else {
      litCounts[bytes[i]!]!++;
      literals++;
      insert(i);
      i++;
    }
  }
  let litBits = 0;
  let distinct = 0;
  for (let b = 0; b < 256; b++) {
    const c = litCounts[b]!;
    if (c > 0) {
      distinct++;
      litBits -= c * log2(c / literals);
    }
  }
  // Huffman is at most ~1 bit worse than entropy per symbol on skewed alphabets; tables cost ~4 bits per symbol used.
  const bits = litBits * 1.03 + literals * 0.05 + matchBits + distinct * 4 + 64;
  // 0.92: calibrated against node:zlib on real reasoning tails (the estimate otherwise runs ~8% low).
  const out = (bits * 0.92) / 8 + 6; // + zlib header and adler32
  return n / out;
}
