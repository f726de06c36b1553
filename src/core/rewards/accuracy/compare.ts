// The Rollout Lens answer-equivalence pipeline (docs/rewards.md §9.5 steps 3–6): Hendrycks fast path, normaliser,
// structural comparison (sets, tuples, intervals, matrices, relations, ±), then scalars. Zero false positives is the
// priority: whenever two answers are of different kinds, or a part cannot be judged, the answer is "not equal".

import { isEquivHendrycks } from './hendrycks';
import { normalizeAnswer, type NormalizedAnswer } from './normalize';
import { compareScalars, differenceSamples, numbersAgree, parseLatex, type ScalarOptions } from './scalar';

export interface CompareOptions extends ScalarOptions {
  /** Accept a gold interval/set against a predicted inequality (Math-Verify `allow_set_relation_comp`). */
  allowSetRelationComp?: boolean;
  /** Wall-clock budget of one comparison in ms; past it the verdict is "not equal (time limit)". */
  timeLimitMs?: number;
}

export interface Verdict {
  equal: boolean;
  /** Which stage decided, e.g. "hendrycks", "numeric", "interval brackets differ". */
  stage: string;
}

type Node =
  | { kind: 'scalar'; text: string }
  | { kind: 'seq'; open: string; close: string; items: Node[] }
  | { kind: 'set'; items: Node[] }
  | { kind: 'list'; items: Node[] }
  | { kind: 'union'; parts: Node[] }
  | { kind: 'matrix'; rows: Node[][] }
  | { kind: 'relation'; parts: string[]; ops: string[] };

/** Splits at top-level occurrences of sep (outside (), [], {}); `\{`/`\}` count as brackets. */
export function splitTop(s: string, sep: string | RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const next = s[i + 1];
      if (next === '{') depth++;
      else if (next === '}') depth--;
      if (depth === 0 && typeof sep !== 'string') {
        const m = sep.exec(s.slice(i));
        if (m && m.index === 0) {
          out.push(s.slice(last, i));
          i += m[0].length - 1;
          last = i + 1;
          continue;
        }
      }
      i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (depth === 0) {
      if (typeof sep === 'string' ? s.startsWith(sep, i) : sep.exec(s.slice(i))?.index === 0) {
        const len = typeof sep === 'string' ? sep.length : (sep.exec(s.slice(i))?.[0].length ?? 1);
        out.push(s.slice(last, i));
        i += len - 1;
        last = i + 1;
      }
    }
  }
  out.push(s.slice(last));
  return out;
}

/** Index of the bracket closing the one at 0 (any of ( [ { and \{), or -1. */
function closingIndex(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      if (s[i + 1] === '{') depth++;
      else if (s[i + 1] === '}' && --depth === 0) return i + 1;
      i++;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && --depth === 0) return i;
  }
  return -1;
}

const REL_OPS: [RegExp, string][] = [
  [/^(?:\\leq?|\\leqslant|<=|≤)/, '<='],
  [/^(?:\\geq?|\\geqslant|>=|≥)/, '>='],
  [/^(?:\\neq?|!=|≠)/, '!='],
  [/^(?:\\lt|<)/, '<'],
  [/^(?:\\gt|>)/, '>'],
  [/^=/, '='],
];
const REL_SPLIT = /^(?:\\leqslant|\\geqslant|\\leq?(?![A-Za-z])|\\geq?(?![A-Za-z])|\\neq?(?![A-Za-z])|\\lt(?![A-Za-z])|\\gt(?![A-Za-z])|<=|>=|!=|[<>=≤≥≠])/;

function opOf(s: string): string {
  for (const [re, op] of REL_OPS) if (re.test(s)) return op;
  return '=';
}

/** Splits a relation chain into sides and operators (top level only). */
function splitRelation(s: string): { parts: string[]; ops: string[] } {
  const parts: string[] = [];
  const ops: string[] = [];
  let depth = 0;
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[' || c === '{') { depth++; continue; }
    if (c === ')' || c === ']' || c === '}') { depth--; continue; }
    if (depth !== 0) { if (c === '\\') i++; continue; }
    const m = REL_SPLIT.exec(s.slice(i));
    if (m) {
      parts.push(s.slice(last, i).trim());
      ops.push(opOf(m[0]));
      i += m[0].length - 1;
      last = i + 1;
      continue;
    }
    if (c === '\\') {
      const cmd = /^\\[A-Za-z]+/.exec(s.slice(i));
      i += cmd ? cmd[0].length - 1 : 1;
    }
  }
  parts.push(s.slice(last).trim());
  return { parts, ops };
}

// A single symbol that can be assigned: x, x_1, \theta, f(x), k.
const SYMBOL = /^(?:[A-Za-z]|\\[A-Za-z]+)(?:_\{?[A-Za-z0-9]+\}?)?(?:\([^()]*\))?$/;
const SYMBOL_TUPLE = /^\(\s*[A-Za-z](?:_\{?\w+\}?)?(?:\s*,\s*[A-Za-z](?:_\{?\w+\}?)?)+\s*\)$/;

function isSymbol(s: string): boolean {
  const t = s.trim();
  return SYMBOL.test(t) || SYMBOL_TUPLE.test(t);
}

/** Drops `x \in`, and an assignment chain's symbol left side (`x = …`, `a = b = 3` keeps the last side). */
function stripAssignment(s: string): { text: string; assignment: boolean } {
  const inM = /^\s*(?:[A-Za-z]|\\[A-Za-z]+)(?:_\{?\w+\}?)?\s*\\in(?![A-Za-z])\s*/.exec(s);
  if (inM) return { text: s.slice(inM[0].length), assignment: true };
  const { parts, ops } = splitRelation(s);
  if (parts.length < 2 || ops.some((o) => o !== '=')) return { text: s, assignment: false };
  if (parts.length >= 3 || isSymbol(parts[0] ?? '')) return { text: parts[parts.length - 1] ?? s, assignment: true };
  return { text: s, assignment: false };
}

function expandPm(item: string): string[] {
  const parts = splitTop(item, /^\\(?:pm|mp)(?![A-Za-z])/);
  if (parts.length !== 2) return [item];
  const [a, b] = parts as [string, string];
  const head = a.trim() === '' ? '' : a.trim();
  return [`${head}+${b.trim()}`, `${head}-${b.trim()}`].map((x) => x.replace(/^\+/, ''));
}

function parseMatrix(s: string): Node | null {
  const m = /^[([]?\s*\\begin\{([pbvBV]?matrix|array|smallmatrix)\}(?:\{[^{}]*\})?([\s\S]*?)\\end\{\1\}\s*[)\]]?$/.exec(s.trim());
  if (!m) return null;
  const body = (m[2] ?? '').trim().replace(/\\\\\s*$/, '');
  const rows = body.split(/\\\\/).map((r) => r.split('&').map((c): Node => parseNode(c.trim())));
  return { kind: 'matrix', rows };
}

/** Structure of one normalised answer. */
export function parseNode(text: string): Node {
  const s = text.trim();
  const union = splitTop(s, /^\\cup(?![A-Za-z])/);
  if (union.length > 1) return { kind: 'union', parts: union.map((p) => parseNode(p)) };
  const matrix = parseMatrix(s);
  if (matrix) return matrix;
  if (s.startsWith('\\{') && s.endsWith('\\}') && closingIndex(s) === s.length - 1) {
    const inner = s.slice(2, -2);
    return { kind: 'set', items: splitTop(inner, ',').flatMap(expandPm).map((x) => parseNode(x)) };
  }
  const first = s[0];
  const lastC = s[s.length - 1];
  if ((first === '(' || first === '[') && (lastC === ')' || lastC === ']')) {
    // The opening bracket must close at the very end (not `(a+b)(c+d)`); for mixed brackets `[1,3)` count by depth.
    const inner = s.slice(1, -1);
    if (depthBalanced(inner)) {
      const items = splitTop(inner, ',');
      if (items.length === 1 && first === '(' && lastC === ')') return parseNode(inner);
      if (items.length >= 2) return { kind: 'seq', open: first, close: lastC, items: items.map((x) => parseNode(x)) };
    }
  }
  const top = splitTop(s, ',');
  if (top.length > 1) return { kind: 'list', items: top.flatMap(expandPm).map((x) => parseNode(x)) };
  const pm = expandPm(s);
  if (pm.length === 2) return { kind: 'list', items: pm.map((x) => parseNode(x)) };
  const rel = splitRelation(s);
  if (rel.parts.length >= 2 && rel.parts.every((p) => p.length > 0)) return { kind: 'relation', parts: rel.parts, ops: rel.ops };
  return { kind: 'scalar', text: s };
}

function depthBalanced(inner: string): boolean {
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\') { i++; continue; }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') { if (--depth < 0) return false; }
  }
  return depth === 0;
}

interface Ctx {
  opts: CompareOptions;
  gold: NormalizedAnswer;
  pred: NormalizedAnswer;
  deadline: number;
}

class TimeLimit extends Error {}

function checkTime(ctx: Ctx): void {
  if (performance.now() > ctx.deadline) throw new TimeLimit();
}

function scalarEqual(g: string, p: string, ctx: Ctx, top: boolean): Verdict {
  checkTime(ctx);
  const v = compareScalars(g, p, ctx.opts);
  if (v.equal || !top) return v;
  // Percent and degree leniency apply to the whole answer only.
  const gv = parseLatex(g)?.N().re;
  const pv = parseLatex(p)?.N().re;
  if (typeof gv !== 'number' || typeof pv !== 'number' || !Number.isFinite(gv) || !Number.isFinite(pv)) return v;
  if (ctx.gold.percent && !ctx.pred.percent && numbersAgree(gv / 100, pv, g, p, ctx.opts)) return { equal: true, stage: 'percent' };
  if (ctx.pred.percent && !ctx.gold.percent && numbersAgree(gv, pv / 100, g, p, ctx.opts)) return { equal: true, stage: 'percent' };
  if (ctx.gold.degree && !ctx.pred.degree && numbersAgree((gv * Math.PI) / 180, pv, g, p, ctx.opts)) return { equal: true, stage: 'degrees→radians' };
  if (ctx.pred.degree && !ctx.gold.degree && numbersAgree(gv, (pv * Math.PI) / 180, g, p, ctx.opts)) return { equal: true, stage: 'degrees→radians' };
  return v;
}

function nodesEqual(g: Node, p: Node, ctx: Ctx, top: boolean): Verdict {
  checkTime(ctx);
  if (g.kind === 'scalar' && p.kind === 'scalar') return scalarEqual(g.text, p.text, ctx, top);
  if (g.kind === 'relation' && p.kind === 'seq') return relationVsInterval(g, p, ctx, true);
  if (g.kind === 'seq' && p.kind === 'relation') {
    return ctx.opts.allowSetRelationComp ? relationVsInterval(p, g, ctx, false) : { equal: false, stage: 'interval vs inequality (asymmetric)' };
  }
  // A one-element list/set compares with a scalar only through the scalar.
  if (g.kind !== p.kind) {
    return { equal: false, stage: `kinds differ (${g.kind} vs ${p.kind})` };
  }
  switch (g.kind) {
    case 'seq': {
      const q = p as Extract<Node, { kind: 'seq' }>;
      if (g.open !== q.open || g.close !== q.close) return { equal: false, stage: 'brackets differ' };
      return orderedEqual(g.items, q.items, ctx);
    }
    case 'matrix': {
      const q = p as Extract<Node, { kind: 'matrix' }>;
      if (g.rows.length !== q.rows.length || g.rows.some((r, i) => r.length !== (q.rows[i]?.length ?? -1))) return { equal: false, stage: 'matrix shape differs' };
      return orderedEqual(g.rows.flat(), q.rows.flat(), ctx);
    }
    case 'set':
    case 'list':
      return unorderedEqual(g.items, (p as Extract<Node, { kind: 'set' | 'list' }>).items, ctx);
    case 'union':
      return unorderedEqual(g.parts, (p as Extract<Node, { kind: 'union' }>).parts, ctx);
    case 'relation':
      return relationsEqual(g, p as Extract<Node, { kind: 'relation' }>, ctx);
    default:
      return { equal: false, stage: 'unsupported' };
  }
}

function orderedEqual(a: Node[], b: Node[], ctx: Ctx): Verdict {
  if (a.length !== b.length) return { equal: false, stage: 'length differs' };
  for (let i = 0; i < a.length; i++) {
    const v = nodesEqual(a[i] as Node, b[i] as Node, ctx, false);
    if (!v.equal) return { equal: false, stage: `element ${i + 1}: ${v.stage}` };
  }
  return { equal: true, stage: 'elementwise' };
}

function unorderedEqual(a: Node[], b: Node[], ctx: Ctx): Verdict {
  if (a.length !== b.length) return { equal: false, stage: 'size differs' };
  const used = new Array<boolean>(b.length).fill(false);
  for (const x of a) {
    let found = false;
    for (let j = 0; j < b.length && !found; j++) {
      if (!used[j] && nodesEqual(x, b[j] as Node, ctx, false).equal) { used[j] = true; found = true; }
    }
    if (!found) return { equal: false, stage: 'unmatched element' };
  }
  return { equal: true, stage: 'unordered' };
}

// Relation comparison: canonical `lhs − rhs OP 0` with > / ≥ flipped; equal when the differences are proportional
// (k ≠ 0 for = and ≠, k > 0 for inequalities) at the sample points.
function canonical(parts: string[], ops: string[]): { lhs: string; rhs: string; op: string; flip: boolean } | null {
  if (parts.length !== 2 || ops.length !== 1) return null;
  const op = ops[0] ?? '=';
  if (op === '>' || op === '>=') return { lhs: parts[0] ?? '', rhs: parts[1] ?? '', op: op === '>' ? '<' : '<=', flip: true };
  return { lhs: parts[0] ?? '', rhs: parts[1] ?? '', op, flip: false };
}

function relationsEqual(g: Extract<Node, { kind: 'relation' }>, p: Extract<Node, { kind: 'relation' }>, ctx: Ctx): Verdict {
  const cg = canonical(g.parts, g.ops);
  const cp = canonical(p.parts, p.ops);
  if (!cg || !cp) {
    // Chains: same operators and pairwise-equal sides.
    if (g.ops.join() !== p.ops.join() || g.parts.length !== p.parts.length) return { equal: false, stage: 'relation chains differ' };
    for (let i = 0; i < g.parts.length; i++) {
      if (!scalarEqual(g.parts[i] ?? '', p.parts[i] ?? '', ctx, false).equal) return { equal: false, stage: 'relation sides differ' };
    }
    return { equal: true, stage: 'relation chain' };
  }
  if (cg.op !== cp.op) return { equal: false, stage: 'relation operators differ' };
  const dg = differenceSamples(cg.lhs, cg.rhs, null);
  if (!dg) return { equal: false, stage: 'relation unparseable' };
  const dp = differenceSamples(cp.lhs, cp.rhs, dg.vars);
  if (!dp) return { equal: false, stage: 'relation unparseable' };
  let k: number | null = null;
  let finite = 0;
  for (let i = 0; i < dg.values.length; i++) {
    const a = dg.values[i];
    const b = dp.values[i];
    if (!a || !b || !Number.isFinite(a.re) || !Number.isFinite(b.re)) continue;
    const sa = cg.flip ? -a.re : a.re;
    const sb = cp.flip ? -b.re : b.re;
    if (Math.abs(sa) < 1e-12 && Math.abs(sb) < 1e-12) { finite++; continue; }
    if (Math.abs(sa) < 1e-12 || Math.abs(sb) < 1e-12) return { equal: false, stage: 'relation differs' };
    const r = sb / sa;
    if (k === null) k = r;
    else if (Math.abs(r - k) > 1e-9 * Math.max(1, Math.abs(k))) return { equal: false, stage: 'relation differs' };
    finite++;
  }
  if (k === null || finite < 3) return { equal: false, stage: 'relation undetermined' };
  if (cg.op !== '=' && cg.op !== '!=' && k <= 0) return { equal: false, stage: 'inequality direction differs' };
  return { equal: true, stage: 'relation' };
}

/** `a < x ≤ b` against an interval `(a, b]`: endpoints and bracket kinds must agree. */
function relationVsInterval(rel: Extract<Node, { kind: 'relation' }>, iv: Extract<Node, { kind: 'seq' }>, ctx: Ctx, goldIsRelation: boolean): Verdict {
  if (iv.items.length !== 2 || rel.parts.length !== 3) return { equal: false, stage: 'relation vs interval' };
  const [o1, o2] = rel.ops as [string, string];
  const increasing = (o1 === '<' || o1 === '<=') && (o2 === '<' || o2 === '<=');
  const decreasing = (o1 === '>' || o1 === '>=') && (o2 === '>' || o2 === '>=');
  if (!increasing && !decreasing) return { equal: false, stage: 'relation vs interval' };
  if (!isSymbol(rel.parts[1] ?? '')) return { equal: false, stage: 'relation vs interval' };
  const lo = increasing ? rel.parts[0] : rel.parts[2];
  const hi = increasing ? rel.parts[2] : rel.parts[0];
  const loOpen = increasing ? o1 === '<' : o2 === '>';
  const hiOpen = increasing ? o2 === '<' : o1 === '>';
  if ((iv.open === '(') !== loOpen || (iv.close === ')') !== hiOpen) return { equal: false, stage: 'interval brackets differ' };
  const [a, b] = iv.items as [Node, Node];
  if (a.kind !== 'scalar' || b.kind !== 'scalar') return { equal: false, stage: 'relation vs interval' };
  const ok = scalarEqual(lo ?? '', a.text, ctx, false).equal && scalarEqual(hi ?? '', b.text, ctx, false).equal;
  return { equal: ok, stage: goldIsRelation ? 'inequality vs interval' : 'interval vs inequality' };
}

/** Cache of verdicts by (gold, pred, options); rollouts repeat the same answers a lot. */
const verdictCache = new Map<string, Verdict>();

/**
 * Are the two answers (already extracted, bare or `$`-wrapped) equivalent? Gold first: the comparison is asymmetric
 * for relations vs intervals and for a predicted equation against a scalar gold (its last side is compared).
 */
export function compareAnswers(gold: string, pred: string, opts: CompareOptions = {}): Verdict {
  const key = `${opts.precision ?? ''}|${opts.allowSetRelationComp ? 1 : 0}|${gold}\u0000${pred}`;
  const hit = verdictCache.get(key);
  if (hit) return hit;
  const v = compareUncached(gold.slice(0, 1000), pred.slice(0, 1000), opts);
  if (verdictCache.size > 20000) verdictCache.clear();
  verdictCache.set(key, v);
  return v;
}

function compareUncached(gold: string, pred: string, opts: CompareOptions): Verdict {
  if (gold.trim() === '' || pred.trim() === '') return { equal: false, stage: 'empty' };
  // Hendrycks fast path, except when exactly one side is an equation: its "LHS ≤ 2 characters" rule would accept
  // `7 = 11a+c` vs `11a+c` (§13.2).
  if (gold.includes('=') === pred.includes('=') && isEquivHendrycks(gold, pred)) return { equal: true, stage: 'hendrycks' };
  const g = normalizeAnswer(gold);
  const p = normalizeAnswer(pred);
  const ctx: Ctx = { opts, gold: g, pred: p, deadline: performance.now() + (opts.timeLimitMs ?? 2000) };
  try {
    const ga = stripAssignment(g.text);
    const pa = stripAssignment(p.text);
    let gNode = parseNode(ga.text);
    let pNode = parseNode(pa.text);
    // A predicted equation against a non-relation gold: compare the gold with the equation's last side.
    if (pNode.kind === 'relation' && gNode.kind !== 'relation' && pNode.ops.every((o) => o === '=')) {
      pNode = parseNode(pNode.parts[pNode.parts.length - 1] ?? '');
    }
    // A gold assignment (`k = 1`) against a bare value: the value side was already kept by stripAssignment.
    if (gNode.kind === 'relation' && pNode.kind !== 'relation' && pa.assignment && !ga.assignment) {
      // A gold equation `2x+4y-3=0` against `y = …`: compare the whole predicted equation.
      pNode = parseNode(p.text);
    } else if (gNode.kind === 'relation' && pNode.kind === 'relation' && ga.assignment !== pa.assignment) {
      gNode = parseNode(g.text);
      pNode = parseNode(p.text);
    }
    if (gNode.kind === 'list' && pNode.kind === 'set') pNode = { kind: 'list', items: pNode.items };
    if (gNode.kind === 'set' && pNode.kind === 'list') pNode = { kind: 'set', items: pNode.items };
    return nodesEqual(gNode, pNode, ctx, true);
  } catch (e) {
    if (e instanceof TimeLimit) return { equal: false, stage: 'time limit' };
    return { equal: false, stage: `error: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Human-readable reason for a verdict, e.g. "boxed 2\sqrt{2} ≠ gold 2 (numeric)". */
export function explainVerdict(gold: string, pred: string, v: Verdict): string {
  return `${pred} ${v.equal ? '=' : '≠'} gold ${gold} (${v.stage})`;
}

export { parseLatex };
