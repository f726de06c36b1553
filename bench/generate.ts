// Synthetic verl rollout dump for benchmarks: groups of 8 completions per prompt, shuffled within a step as
// verl's _balance_batch does, realistic <think>/<answer> text, some CJK drift, some tail loops, some truncation.
// Deterministic (seeded) so figures are comparable between runs. Written in large buffered chunks.
import { createWriteStream } from 'node:fs';
import { naturalSentence, newTopic } from './natural-text';
import { mulberry32 } from '../src/core/random';

/**
 * 'varied' (default, bench files v3): sentences composed from short pieces with statistics like the real traces'
 * (natural-text.ts). 'templated' (v2): whole sentences from the twenty templates below, which repeat within a trace.
 */
export type BenchText = 'varied' | 'templated';

// Templates with slots, so that traces vary like real ones (a pool of fixed sentences would make every trace
// look repetitive to the n-gram detectors). {n}, {m}, {k} take numbers; {v} a variable; {w} a filler word.
const TEMPLATES = [
  'Okay, let me think about this problem step by step.',
  'First, I need to understand what the question is asking for: the value when n = {n}.',
  'We have $x^2 + {k}x - {m} = 0$, so I should try to factor it or use the quadratic formula.',
  'Wait, let me double-check the arithmetic: {n} + {m} = {s}.',
  'So the total is {n} plus {m}, which gives {s} altogether.',
  'Hmm, maybe I should consider the case where {v} is even separately from the odd case.',
  'Let me verify with a small example: if {v} = {k} then the expression equals {p}.',
  'Therefore the probability is \\frac{{k}}{{n}}, since there are {n} equally likely outcomes.',
  'Alternatively, we can use the identity \\sin^2\\theta + \\cos^2\\theta = 1 to simplify the {w} term.',
  'The sum of the first {n} positive integers is {n}({n}+1)/2, which I can compute directly.',
  'Multiplying both sides by {k} gives {p}, and dividing by {m} leaves the {w} part unchanged.',
  'I think the key observation is that the {w} pattern repeats every {k} steps.',
  'Now substitute {v} = {m} back into the original equation to check it.',
  'That does not look right; the {w} should be positive, so I made a sign error somewhere.',
  'Let me reconsider: the remainder when {n} is divided by {k} is {r}.',
  'Since {k} divides {p}, the {w} condition is satisfied for this choice.',
  'Counting the cases one by one: there are {k} ways for the first and {m} for the second.',
  'The area of the triangle with legs {k} and {m} is {q}.',
  'Using modular arithmetic modulo {k}, the {w} residues cycle through a short list.',
  'Good, both methods agree, so I am fairly confident in the {w} result.',
];
const WORDS = ['remaining', 'middle', 'second', 'boundary', 'linear', 'constant', 'final', 'odd', 'even', 'leading'];
const VARS = ['x', 'y', 'n', 'k', 'a', 'b', 't'];

function fill(t: string, r: () => number, answer: number): string {
  const n = answer + Math.floor(r() * 50);
  const m = 2 + Math.floor(r() * 97);
  const k = 2 + Math.floor(r() * 11);
  return t.replace(/\{([a-z])\}/g, (_: string, slot: string) => {
    switch (slot) {
      case 'n': return String(n);
      case 'm': return String(m);
      case 'k': return String(k);
      case 's': return String(n + m);
      case 'p': return String(k * m);
      case 'q': return String((k * m) / 2);
      case 'r': return String(n % k);
      case 'v': return VARS[Math.floor(r() * VARS.length)];
      default: return WORDS[Math.floor(r() * WORDS.length)];
    }
  });
}

const CJK = ['所以我们需要计算这个数的平方根。', '因此答案是十二。', 'これは正しいと思います。', '我们再检查一遍计算过程。'];
const LOOP = 'So the answer is 12. Let me check again. ';

/** Small deterministic PRNG (mulberry32); the differential tests draw their seeded text from it too. */
export const rng: (seed: number) => () => number = mulberry32;

export function completion(r: () => number, answer: number, style: BenchText): { text: string; correct: boolean } {
  // Varied traces are as long as the real fixtures' (median 3.7 KB); the templated ones keep v2's length.
  const n = style === 'varied' ? 15 + Math.floor(r() * 90) : 6 + Math.floor(r() * 30);
  const parts: string[] = ['<think>\n'];
  const topic = style === 'varied' ? newTopic(r, answer) : null;
  // How often this trace restates one of its earlier sentences word for word (real traces do, some a lot: their
  // tail seq-rep-4 has a long upper tail, p90 0.18). Squared so that most traces restate little.
  const echo = topic ? 0.15 * r() * r() : 0;
  const said: string[] = [];
  for (let i = 0; i < n; i++) {
    const sentence = said.length > 3 && r() < echo ? said[Math.floor(r() * said.length)]! : topic ? naturalSentence(r, answer, topic) : fill(TEMPLATES[Math.floor(r() * TEMPLATES.length)], r, answer);
    if (topic) said.push(sentence);
    parts.push(sentence, i % 4 === 3 ? '\n\n' : ' ');
  }
  const kind = r();
  if (kind < 0.05) parts.push(CJK[Math.floor(r() * CJK.length)], ' ');
  if (kind > 0.97) {
    for (let i = 0; i < 40; i++) parts.push(LOOP);
    return { text: parts.join(''), correct: false }; // loops until the length limit: unclosed think
  }
  if (kind > 0.9 && kind <= 0.97) return { text: parts.join('') + 'So we need to comp', correct: false };
  const correct = r() < 0.45;
  const given = correct ? answer : answer + 1 + Math.floor(r() * 5);
  parts.push('\n</think>\n<answer>The answer is \\boxed{', String(given), '}.</answer>');
  return { text: parts.join(''), correct };
}

/** Writes about `targetBytes` of JSONL to `path`; returns the number of records written. */
export async function generateRolloutFile(path: string, targetBytes: number, groupSize = 8, seed = 1, style: BenchText = 'varied'): Promise<number> {
  const r = rng(seed);
  const out = createWriteStream(path, { highWaterMark: 4 << 20 });
  let bytes = 0;
  let records = 0;
  let step = 1;
  let prompt = 0;
  const promptsPerStep = 256;
  let batch: string[] = [];
  const flush = async (): Promise<void> => {
    // verl's _balance_batch re-orders rows, so group members are not adjacent.
    for (let i = batch.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [batch[i], batch[j]] = [batch[j], batch[i]];
    }
    const chunk = batch.join('');
    batch = [];
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  while (bytes < targetBytes) {
    const answer = 2 + Math.floor(r() * 500);
    const input = `system\nYou are a helpful assistant.\nuser\nProblem ${step}-${prompt}: compute the value of the expression for n = ${answer}. Let's think step by step and output the final answer within \\boxed{}.\nassistant\n`;
    const allSame = r() < 0.2;
    for (let k = 0; k < groupSize; k++) {
      const c = completion(r, answer, style);
      const score = allSame ? 0 : c.correct ? 1 : 0;
      const line = JSON.stringify({ input, output: c.text, gts: String(answer), score, step, acc: score === 1, pred: c.correct ? String(answer) : '' }) + '\n';
      bytes += Buffer.byteLength(line);
      records++;
      batch.push(line);
    }
    prompt++;
    if (prompt === promptsPerStep) {
      await flush();
      prompt = 0;
      step++;
    }
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return records;
}
