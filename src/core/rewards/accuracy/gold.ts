// Gold and prediction preparation (docs/rewards.md §9.5 steps 1–2). The gold is never handed to a parser as bare prose:
// a boxed answer is taken from it, `$…$` wrappers are stripped, and prose falls back to its last maths span.

import { extractAnswer, lastBoxed } from '../../trace/answer';

/** Last inline/display maths span: `$$…$$`, `\[…\]`, `$…$` or `\(…\)` (inline ones may not span lines). */
export function lastMathSpan(text: string): string | null {
  const re = /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|(?<!\\)\$((?:[^$\n\\]|\\[^\n])+?)\$|\\\(((?:[^\n])+?)\\\)/g;
  let last: string | null = null;
  for (const m of text.matchAll(re)) last = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').trim() || last;
  return last;
}

/** The acceptable gold answers, or null when there is none (the reward then does not apply). */
export function prepareGold(gold: unknown): string[] | null {
  if (gold === null || gold === undefined) return null;
  if (typeof gold === 'number') return Number.isFinite(gold) ? [String(gold)] : null;
  if (Array.isArray(gold)) {
    const all = gold.flatMap((g) => prepareGold(g) ?? []);
    return all.length > 0 ? all : null;
  }
  if (typeof gold !== 'string') return null;
  const s = gold.trim();
  if (s === '') return null;
  const box = lastBoxed(s);
  if (box) {
    const inner = s.slice(box.start, box.end).trim();
    return inner ? [inner] : null;
  }
  // Whole-answer wrappers are stripped by the normaliser; prose with maths keeps its last span.
  if (/^\$[^$]*\$$|^\$\$[\s\S]*\$\$$|^\\\([\s\S]*\\\)$|^\\\[[\s\S]*\\\]$/.test(s)) return [s];
  if (s.length > 80 && /\s/.test(s)) {
    const a = extractAnswer(s);
    if (a) return [a.text];
    const span = lastMathSpan(s);
    return span ? [span] : null;
  }
  // Short text like `$125$ miles`: drop the dollars, the normaliser strips the unit.
  return [s.replace(/\$/g, '')];
}

/**
 * The predicted answer of an answer region: `extractAnswer`, or in lenient mode the last maths span, then a short
 * whole text (≤ 40 characters, e.g. a bare "0.5").
 */
export function extractPrediction(region: string, lenient: boolean): string | null {
  const a = extractAnswer(region);
  if (a) return a.text;
  if (!lenient) return null;
  const span = lastMathSpan(region);
  if (span) return span;
  const t = region.trim();
  return t.length > 0 && t.length <= 40 ? t : null;
}
