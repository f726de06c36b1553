// Synthetic verl rollout dump for benchmarks: groups of 8 completions per prompt, shuffled within a step as
// verl's _balance_batch does, realistic <think>/<answer> text, some CJK drift, some tail loops, some truncation.
// Deterministic (seeded) so figures are comparable between runs. Written in large buffered chunks.
import { createWriteStream } from 'node:fs';

const SENTENCES = [
  'Okay, let me think about this problem step by step.',
  'First, I need to understand what the question is asking for.',
  'We have $x^2 + 3x - 10 = 0$, so factoring gives $(x + 5)(x - 2) = 0$.',
  'Wait, let me double-check the arithmetic here before moving on.',
  'So the total is 48 + 24 = 72 clips altogether.',
  'Hmm, maybe I should consider the case where n is even separately.',
  'Let me verify: if a = 3 and b = 4 then the hypotenuse is 5, which matches.',
  'Therefore the probability is \\frac{3}{8}, since there are 8 equally likely outcomes.',
  'Alternatively, we can use the identity \\sin^2\\theta + \\cos^2\\theta = 1.',
  'That gives us the sum of the first 100 positive integers, which is 5050.',
];
const CJK = ['所以我们需要计算这个数的平方根。', '因此答案是十二。', 'これは正しいと思います。', '我们再检查一遍计算过程。'];
const LOOP = 'So the answer is 12. Let me check again. ';

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function completion(r: () => number, answer: number): { text: string; correct: boolean } {
  const n = 6 + Math.floor(r() * 30);
  const parts: string[] = ['<think>\n'];
  for (let i = 0; i < n; i++) parts.push(SENTENCES[Math.floor(r() * SENTENCES.length)], i % 4 === 3 ? '\n\n' : ' ');
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
export async function generateRolloutFile(path: string, targetBytes: number, groupSize = 8, seed = 1): Promise<number> {
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
      const c = completion(r, answer);
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
