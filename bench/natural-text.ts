// Reasoning sentences for the bench's "varied" text (generate.ts, the default since v3). The v2 text drew whole
// sentences from twenty templates, so a 30-sentence trace repeated most of them: its 2,000-character tails had a
// word-4-gram repeat rate (seq-rep-4) around 0.15 where real traces have about 0.05, and 82 % of them reached the
// repetition detector's compression step against 19–36 % on the real fixtures (README, "Bench text"). Here a sentence
// is an opener, a clause built from short fixed pieces and several slots, and sometimes a tail; the slots draw from
// vocabularies of 10–40 entries and numbers, so two sentences rarely share four words in a row unless a real trace
// would too ("let me check", "so the answer is").

type Rng = () => number;

function pick<T>(r: Rng, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function int(r: Rng, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

const OPENERS = [
  '', '', '', '', '', 'Wait,', 'Hmm,', 'So', 'Okay,', 'Now', 'Then', 'Let me see,', 'Alternatively,', 'But', 'Actually,',
  'First,', 'Next,', 'Therefore', 'Hence', 'In other words,', 'On the other hand,', 'Right,', 'Also,', 'Note that',
  'Recall that', 'Oh,', 'Well,', 'Hold on,', 'Similarly,', 'Thus', 'Again,', 'Still,', 'Finally,', 'Meanwhile,',
];
const NOUNS = [
  'sum', 'product', 'remainder', 'denominator', 'numerator', 'coefficient', 'root', 'area', 'perimeter', 'sequence',
  'term', 'factor', 'digit', 'angle', 'radius', 'probability', 'expectation', 'matrix', 'determinant', 'slope',
  'intercept', 'vertex', 'diagonal', 'exponent', 'quotient', 'divisor', 'multiple', 'ratio', 'interval', 'limit',
  'integral', 'derivative', 'polynomial', 'triangle', 'circle', 'parabola', 'median', 'average', 'count', 'total',
];
const ADJS = [
  'first', 'second', 'last', 'remaining', 'largest', 'smallest', 'positive', 'negative', 'even', 'odd', 'common',
  'original', 'new', 'previous', 'next', 'missing', 'correct', 'total', 'final', 'leading', 'constant', 'linear',
];
const VERBS = [
  'compute', 'check', 'simplify', 'expand', 'factor', 'rewrite', 'estimate', 'bound', 'compare', 'substitute',
  'verify', 'recompute', 'subtract', 'add', 'divide', 'multiply', 'count', 'list', 'test', 'evaluate',
];
const GERUNDS = ['expanding', 'factoring', 'simplifying', 'rewriting', 'reducing', 'squaring', 'halving', 'doubling'];
const VARS = ['x', 'y', 'n', 'k', 'a', 'b', 't', 'm', 'p', 'q', 'r', 's'];
const PLACES = ['here', 'again', 'carefully', 'directly', 'for a moment', 'once more', 'step by step', 'quickly', 'in general', 'at the end'];

/**
 * What one trace talks about: a few quantities, variables and numbers that its sentences keep coming back to, as a
 * real trace keeps restating "84 pages" or "a_n". This is most of a real trace's redundancy (its zlib ratio and its
 * shared 4-grams); without it the text is less repetitive than the real traces, and the bench would flatter us.
 */
export interface Topic {
  nouns: string[];
  vars: string[];
  nums: number[];
}

export function newTopic(r: Rng, answer: number): Topic {
  const nouns = Array.from({ length: 3 }, () => pick(r, NOUNS));
  const vars = Array.from({ length: 2 }, () => pick(r, VARS));
  const nums = [answer, ...Array.from({ length: 5 }, () => int(r, 2, 999))];
  return { nouns, vars, nums };
}

let topic: Topic = { nouns: ['sum'], vars: ['x'], nums: [2] };
const STICK = 0.7;
const noun = (r: Rng): string => (r() < STICK ? pick(r, topic.nouns) : pick(r, NOUNS));
const vr = (r: Rng): string => (r() < STICK ? pick(r, topic.vars) : pick(r, VARS));
const num = (r: Rng, lo: number, hi: number): number => (r() < 0.5 ? pick(r, topic.nums) : int(r, lo, hi));

function expr(r: Rng): string {
  const v = vr(r);
  switch (int(r, 0, 6)) {
    case 0: return `$${v}^${int(r, 2, 5)} + ${int(r, 2, 40)}${v} = ${int(r, 3, 900)}$`;
    case 1: return `\\frac{${int(r, 1, 99)}}{${int(r, 2, 99)}}`;
    case 2: return `$${int(r, 2, 99)} \\times ${int(r, 2, 99)} = ${int(r, 4, 9801)}$`;
    case 3: return `\\sqrt{${int(r, 2, 400)}}`;
    case 4: return `$${v}_{${int(r, 1, 20)}} = ${int(r, 0, 500)}$`;
    case 5: return `$(${v} - ${int(r, 1, 30)})(${v} + ${int(r, 1, 30)})$`;
    default: return `$${int(r, 10, 9999)} \\bmod ${int(r, 2, 13)} = ${int(r, 0, 12)}$`;
  }
}

/** Clause builders: few fixed words between slots, so shared 4-grams come from real phrases only. */
const CLAUSES: ((r: Rng) => string)[] = [
  (r) => `the ${pick(r, ADJS)} ${noun(r)} is ${num(r, 2, 999)}`,
  (r) => `I need to ${pick(r, VERBS)} the ${noun(r)} ${pick(r, PLACES)}`,
  (r) => `let me ${pick(r, VERBS)} ${expr(r)}`,
  (r) => `${expr(r)}, so ${vr(r)} is ${pick(r, ADJS)}`,
  (r) => `if ${vr(r)} = ${num(r, 0, 99)} then the ${noun(r)} becomes ${num(r, 0, 999)}`,
  (r) => `that gives ${num(r, 2, 9999)} for the ${pick(r, ADJS)} ${noun(r)}`,
  (r) => `maybe I should ${pick(r, VERBS)} each ${noun(r)} separately`,
  (r) => `the ${noun(r)} of ${expr(r)} should be ${pick(r, ADJS)}`,
  (r) => `${pick(r, GERUNDS)} ${expr(r)} leaves ${num(r, 0, 500)}`,
  (r) => `there are ${num(r, 2, 60)} ways to choose the ${pick(r, ADJS)} ${noun(r)}`,
  (r) => `this ${noun(r)} cannot exceed ${num(r, 2, 999)}`,
  (r) => `why would the ${noun(r)} be ${pick(r, ADJS)} here`,
  (r) => `the problem asks for the ${noun(r)} when ${vr(r)} = ${num(r, 1, 500)}`,
  (r) => `${num(r, 2, 999)} ${pick(r, ['plus', 'minus', 'times', 'over'])} ${num(r, 2, 999)} is ${num(r, 0, 99999)}`,
  (r) => `I made a mistake in the ${pick(r, ADJS)} ${noun(r)}`,
  (r) => `using ${expr(r)} we get ${expr(r)}`,
  (r) => `${vr(r)} must divide ${num(r, 2, 9999)}`,
  (r) => `both ${noun(r)}s agree with ${expr(r)}`,
  (r) => `plugging in ${vr(r)} = ${num(r, 0, 50)} ${pick(r, ['works', 'fails', 'gives a contradiction', 'is consistent'])}`,
  (r) => `the ${noun(r)} and the ${noun(r)} are related by ${expr(r)}`,
  (r) => `so the answer is ${num(r, 0, 999)}`,
  (r) => `let me check ${pick(r, ['that', 'this', 'the arithmetic', 'the sign', 'the units', 'both cases'])}`,
];
const TAILS = ['', '', '', '', '', '', ', right', ', I think', '. Yes', ' again', ', which makes sense', ', not quite', '. Hmm'];

/** Stock self-checks that real traces repeat verbatim. */
const RECHECKS = ['Let me check that again.', 'Wait, let me double-check.', 'Yes, that seems right.', 'Let me verify this step.', 'Hmm, let me think again.'];

function capitalise(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** One reasoning sentence. `answer` appears now and then, as real traces restate the target value. */
export function naturalSentence(r: Rng, answer: number, about: Topic): string {
  topic = about;
  const opener = pick(r, OPENERS);
  if (r() < 0.06) return pick(r, RECHECKS);
  let clause = r() < 0.08 ? `the value for n = ${answer} is what we want` : pick(r, CLAUSES)(r);
  if (r() < 0.25) clause += `, and ${pick(r, CLAUSES)(r)}`;
  const body = opener === '' ? capitalise(clause) : `${opener} ${clause}`;
  const tail = pick(r, TAILS);
  return body + tail + (r() < 0.1 ? '?' : '.');
}
