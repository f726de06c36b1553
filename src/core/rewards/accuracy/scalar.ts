// Scalar comparison (docs/rewards.md §9.5 step 6) on top of the Cortex Compute Engine. Order: plain numbers without the
// CAS; plain words as strings (never given to the CAS: `Evelyn` would parse as a product of variables); then CE parse
// and numeric evaluation, exact values compared at 1e-12 relative, decimal literals by rounding consistency; then
// free-variable expressions at 6 fixed points.

import { ComputeEngine } from '@cortex-js/compute-engine';

type Boxed = ReturnType<ComputeEngine['parse']>;

let engine: ComputeEngine | null = null;
function ce(): ComputeEngine {
  if (!engine) {
    engine = new ComputeEngine();
  }
  return engine;
}

const parseCache = new Map<string, Boxed | null>();
const PARSE_CACHE_MAX = 5000;

/** Parses LaTeX with the CE, cached (gold answers repeat across a group); null when the parse has errors. */
export function parseLatex(latex: string): Boxed | null {
  const hit = parseCache.get(latex);
  if (hit !== undefined) return hit;
  let out: Boxed | null = null;
  try {
    const e = ce().parse(latex);
    out = e.isValid ? e : null;
  } catch {
    out = null;
  }
  if (parseCache.size >= PARSE_CACHE_MAX) parseCache.clear();
  parseCache.set(latex, out);
  return out;
}

export interface ScalarOptions {
  /** Decimal places as in Math-Verify `float_rounding`; when set, values equal after rounding also match. */
  precision?: number | null;
}

export interface ScalarVerdict {
  equal: boolean;
  stage: string;
}

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const WORD = /^[A-Za-z][A-Za-z' -]*[A-Za-z]$/;
// Command words that look like prose but are maths.
const MATH_WORDS = /^(?:sin|cos|tan|sec|csc|cot|log|ln|exp|pi|infty|sqrt)$/i;

/** Decimal places of the first decimal literal of s (0 when it has none). */
function decimals(s: string): number {
  let best = 0;
  for (const m of s.matchAll(/\d*\.(\d+)/g)) best = Math.max(best, (m[1] ?? '').length);
  return best;
}

function closeExact(a: number, b: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
}

/**
 * Numeric agreement. Exact-vs-exact: 1e-12 relative (evaluation noise only). When a side is a decimal literal with d
 * places, it must be the other value rounded to d places (|a−b| ≤ ½·10^−d) and within 1e-4 relative, so `0.3333333`
 * ≡ 1/3 and `6.283185` ≡ 2π, but `0.3` ≢ 1/3 and `1000000.5` ≢ 1000000.
 */
export function numbersAgree(a: number, b: number, srcA: string, srcB: string, opts: ScalarOptions = {}): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  if (closeExact(a, b)) return true;
  const d = Math.max(decimals(srcA), decimals(srcB));
  const diff = Math.abs(a - b);
  if (d > 0 && diff <= 0.5 * 10 ** -d * (1 + 1e-9) && diff <= 1e-4 * Math.max(Math.abs(a), Math.abs(b))) return true;
  if (opts.precision !== null && opts.precision !== undefined) {
    const f = 10 ** opts.precision;
    if (Math.round(a * f) === Math.round(b * f) && d > 0) return true;
  }
  return false;
}

interface Complex { re: number; im: number }

function numericValue(e: Boxed): Complex | null {
  try {
    const n = e.N();
    const re = n.re;
    const im = n.im;
    if (typeof re !== 'number' || Number.isNaN(re)) return null;
    return { re, im: typeof im === 'number' && !Number.isNaN(im) ? im : 0 };
  } catch {
    return null;
  }
}

function unknownsOf(e: Boxed): string[] {
  const u = e.unknowns;
  return Array.isArray(u) ? [...u].map(String).sort() : [];
}

// Deterministic sample points (avoid 0, 1 and small integers where factors vanish by accident).
const POINTS = [0.5772156649, 1.4142135623, 2.7182818284, -0.6180339887, 3.1415926535, 0.3010299956];

function evalAt(e: Boxed, vars: string[], k: number): Complex | null {
  const sub: Record<string, Boxed> = {};
  vars.forEach((v, j) => {
    sub[v] = ce().number(POINTS[(k + j * 2) % POINTS.length] ?? 0.5);
  });
  try {
    return numericValue(e.subs(sub));
  } catch {
    return null;
  }
}

/** Values of e at the sample points, or null when the expression has too many unknowns. */
export function sampleValues(e: Boxed, vars: string[]): (Complex | null)[] {
  return POINTS.map((_, k) => evalAt(e, vars, k));
}

export function compareScalars(gold: string, pred: string, opts: ScalarOptions = {}): ScalarVerdict {
  const g = gold.trim();
  const p = pred.trim();
  if (g === p) return { equal: true, stage: 'identical' };
  if (PLAIN_NUMBER.test(g) && PLAIN_NUMBER.test(p)) {
    return { equal: numbersAgree(Number(g), Number(p), g, p, opts), stage: 'number' };
  }
  const gWord = WORD.test(g) && g.length > 1 && !MATH_WORDS.test(g);
  const pWord = WORD.test(p) && p.length > 1 && !MATH_WORDS.test(p);
  if (gWord || pWord) return { equal: g.toLowerCase() === p.toLowerCase(), stage: 'text' };
  // Single letters (choices, variables) compare as symbols, case-sensitively; never numerically (`e`, `i`).
  if (/^[A-Za-z]$/.test(g) || /^[A-Za-z]$/.test(p)) return { equal: g === p, stage: 'symbol' };

  const ge = parseLatex(g);
  const pe = parseLatex(p);
  if (!ge || !pe) return { equal: g.replace(/\s+/g, '') === p.replace(/\s+/g, ''), stage: 'unparseable' };
  const gv = unknownsOf(ge);
  const pv = unknownsOf(pe);
  if (gv.length === 0 && pv.length === 0) {
    const a = numericValue(ge);
    const b = numericValue(pe);
    if (a && b) {
      const eq = numbersAgree(a.re, b.re, g, p, opts) && numbersAgree(a.im, b.im, g, p, opts);
      return { equal: eq, stage: 'numeric' };
    }
    try {
      return { equal: ge.isSame(pe), stage: 'structural' };
    } catch {
      return { equal: false, stage: 'ce-error' };
    }
  }
  if (gv.join(',') !== pv.join(',') || gv.length > 4) return { equal: false, stage: 'variables differ' };
  const ga = sampleValues(ge, gv);
  const pa = sampleValues(pe, gv);
  let finite = 0;
  for (let k = 0; k < ga.length; k++) {
    const a = ga[k];
    const b = pa[k];
    if (!a || !b) {
      if ((a === null) !== (b === null)) return { equal: false, stage: 'sampled' };
      continue;
    }
    if (!Number.isFinite(a.re) || !Number.isFinite(b.re)) continue;
    finite++;
    if (!closeSample(a, b)) return { equal: false, stage: 'sampled' };
  }
  return { equal: finite >= 3, stage: 'sampled' };
}

function closeSample(a: Complex, b: Complex): boolean {
  const tol = 1e-9 * Math.max(1, Math.abs(a.re), Math.abs(b.re), Math.abs(a.im), Math.abs(b.im));
  return Math.abs(a.re - b.re) <= tol && Math.abs(a.im - b.im) <= tol;
}

/** Evaluates `lhs − rhs` at the sample points (for relation comparison). */
export function differenceSamples(lhs: string, rhs: string, vars: string[] | null): { values: (Complex | null)[]; vars: string[] } | null {
  const l = parseLatex(lhs);
  const r = parseLatex(rhs);
  if (!l || !r) return null;
  const vs = vars ?? [...new Set([...unknownsOf(l), ...unknownsOf(r)])].sort();
  if (vs.length > 4) return null;
  const lv = sampleValues(l, vs);
  const rv = sampleValues(r, vs);
  return {
    vars: vs,
    values: lv.map((a, k) => {
      const b = rv[k];
      return a && b ? { re: a.re - b.re, im: a.im - b.im } : null;
    }),
  };
}

export function unknownsOfLatex(latex: string): string[] | null {
  const e = parseLatex(latex);
  return e ? unknownsOf(e) : null;
}
