#!/usr/bin/env node
// Generates the committed demo rollouts in demo/ (used by `npm start`, the integration and the e2e tests).
// Deterministic: a seeded PRNG and fixed texts, so rerunning produces byte-identical files and a diff means
// the generator changed. Formats follow docs/formats.md: verl training dump (§3.1), NeMo-RL train log (§3.10),
// TRL completions parquet (§3.4) and a generic prompt/completion/reward JSONL (§7.2 rule 25).
//
// The content exercises every detector: <think>/<answer> tags, Japanese reasoning drifting into Chinese,
// English with a Chinese sentence, a repetition loop at the tail, a truncated unclosed <think>, format
// violations, and zero-variance groups (all rewards equal, so no learning signal).
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

// The product's own seeded PRNG (src/core/random.ts), so that shuffles are reproducible.
const { mulberry32: rng } = await tsImport('../src/core/random.ts', import.meta.url);

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = join(REPO, 'demo');
const GROUP = 4;

function shuffle(arr, rand) {
  const a = [...arr];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// Python's json.dumps(obj, ensure_ascii=False) layout (", " and ": " separators, floats keep ".0"), because the
// real writers are Python and readers must cope with exactly that text. Keys listed in `floats` are floats.
function pyNum(v, isFloat) {
  if (Number.isNaN(v)) return 'NaN';
  if (isFloat && Number.isInteger(v)) return v.toFixed(1);
  return String(v);
}
function pyJson(v, floats = new Set(), key = '') {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return pyNum(v, floats.has(key));
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => pyJson(x, floats, key)).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pyJson(x, floats, k)}`).join(', ')}}`;
}

const SYSTEM = 'A conversation between User and Assistant. The user asks a question, and the Assistant solves it. '
  + 'The assistant first thinks about the reasoning process in the mind and then provides the user with the answer. '
  + 'The reasoning process and answer are enclosed within <think> </think> and <answer> </answer> tags, respectively.';

/** @typedef {{ id: string, q: string, gts: string }} Problem */
/** @type {Problem[]} */
const PROBLEMS = [
  { id: 'mul', q: 'What is 17 × 23?', gts: '391' },
  { id: 'odd', q: 'Find the sum of the first 10 positive odd numbers.', gts: '100' },
  { id: 'lin', q: 'Solve for x: 3x + 5 = 20.', gts: '5' },
  { id: 'pow', q: '2の10乗を計算してください。', gts: '1024' },
];

const LOOP = 'Wait, let me double-check the multiplication again. ';

// Completion texts by kind. Each returns [completion, correct?]. Kept short so the demo files stay small.
const T = {
  mul: {
    good: '<think>\n17 × 23 = 17 × 20 + 17 × 3 = 340 + 51 = 391.\n</think>\n<answer>391</answer>',
    good2: '<think>\nI can write 23 × 17 as (20 + 3) × 17. 20 × 17 = 340 and 3 × 17 = 51, so the total is 391.\n</think>\n<answer>391</answer>',
    mixed: '<think>\nLet me compute 17 × 23. 17 × 20 = 340 and 17 × 3 = 51. 所以总和是三百九十一。 Adding them gives 391.\n</think>\n<answer>391</answer>',
    wrong: '<think>\n17 × 23 ≈ 17 × 25 = 425, minus 17 × 2 = 34, so 425 − 34 = 381.\n</think>\n<answer>381</answer>',
    loop: `<think>\n17 × 23: 17 × 20 = 340, 17 × 3 = 51. ${LOOP.repeat(24)}${LOOP.slice(0, 30)}`,
  },
  odd: {
    good: '<think>\nThe first n odd numbers sum to n². With n = 10 that is 100.\n</think>\n<answer>100</answer>',
    good2: '<think>\n1 + 3 + 5 + 7 + 9 + 11 + 13 + 15 + 17 + 19. Pairing the ends: 1 + 19 = 20, five pairs, so 100.\n</think>\n<answer>100</answer>',
    noTags: 'The first 10 odd numbers are 1, 3, …, 19 and they add up to 100. The answer is 100.',
    swapped: '<answer>100</answer>\n<think>\nSum of first n odd numbers is n squared.\n</think>',
    truncated: '<think>\nLet me list them: 1, 3, 5, 7, 9, 11, 13, 15, 17, 19. Adding step by step: 1 + 3 = 4, 4 + 5 = 9, 9 + 7 = 16, 16 + 9 = 25, 25 + 11 = 36, 36 + 13 = 49, 49 + 15 = 64, 64 + 17 = 81, and then 81 + 19 is',
  },
  lin: {
    good: '<think>\n3x + 5 = 20, so 3x = 15 and x = 5.\n</think>\n<answer>5</answer>',
    good2: '<think>\nSubtract 5 from both sides: 3x = 15. Divide by 3: x = 5. Check: 3·5 + 5 = 20. ✓\n</think>\n<answer>x = 5</answer>',
    wrong: '<think>\n3x + 5 = 20 → 3x = 25 → x = 25/3.\n</think>\n<answer>25/3</answer>',
    doubleClose: '<think>\n3x = 20 − 5 = 15, x = 5.\n</think>\n</think>\n<answer>5</answer>',
  },
  pow: {
    good: '<think>\n2の10乗は、2を10回掛けることです。2^5 = 32 なので、2^10 = 32 × 32 = 1024 です。\n</think>\n<answer>1024</answer>',
    // Japanese reasoning that drifts into Chinese half-way (the language-mix detector's main case).
    drift: '<think>\nまず、2の10乗を計算します。2^5 = 32 なので、32 × 32 を求めればよいです。我们需要计算三十二乘以三十二，三十二乘以三十是九百六十，再加上六十四，结果是一千零二十四。所以答案是1024。\n</think>\n<answer>1024</answer>',
    wrong: '<think>\n2^10 = 2 × 10 = 20 です。\n</think>\n<answer>20</answer>',
    unclosedAnswer: '<think>\n2^10 = 1024。\n</think>\n<answer>1024',
  },
};

// Which completion each of the 4 group members gets, per step. Rewards are correctness (1.0/0.0); a
// format violation scores 0 even when the number is right, as rule-based rewards do.
const PLAN = {
  1: { mul: ['good', 'wrong', 'mixed', 'loop'], odd: ['noTags', 'truncated', 'swapped', 'truncated'], lin: ['good', 'wrong', 'wrong', 'doubleClose'], pow: ['drift', 'wrong', 'good', 'wrong'] },
  2: { mul: ['good', 'mixed', 'wrong', 'good2'], odd: ['good', 'noTags', 'truncated', 'good2'], lin: ['good', 'good2', 'wrong', 'good'], pow: ['drift', 'good', 'unclosedAnswer', 'wrong'] },
  10: { mul: ['good', 'good2', 'good', 'mixed'], odd: ['good', 'good2', 'good', 'good2'], lin: ['good', 'good2', 'wrong', 'good'], pow: ['drift', 'good', 'good', 'drift'] },
};
const FORMAT_BAD = new Set(['noTags', 'swapped', 'truncated', 'loop', 'doubleClose', 'unclosedAnswer']);

function reward(problem, kind) {
  if (FORMAT_BAD.has(kind)) return 0.0;
  const text = T[problem.id][kind];
  const m = /<answer>([\s\S]*?)<\/answer>/.exec(text);
  const ans = m ? m[1].replace(/^x\s*=\s*/, '').trim() : '';
  return ans === problem.gts ? 1.0 : 0.0;
}

function formatReward(kind) {
  return FORMAT_BAD.has(kind) ? 0.0 : 1.0;
}

// Many GRPO recipes put the format instruction in the user turn; it also keeps the question at the start of
// each line, where the demo shows it without scrolling.
const USER_FORMAT = 'Think step by step inside <think> </think> tags, then give the final answer inside <answer> </answer> tags.';
function verlInput(p) {
  return `user\n${p.q} ${USER_FORMAT}\nassistant\n`;
}
function chatml(p) {
  return `<|im_start|>system\n${SYSTEM}<|im_end|>\n<|im_start|>user\n${p.q}<|im_end|>\n<|im_start|>assistant\n`;
}

/** Rows of one step in generation order: each problem repeated GROUP times consecutively. */
function stepRows(step) {
  const rows = [];
  for (const p of PROBLEMS) {
    for (const kind of PLAN[step][p.id]) rows.push({ p, kind, completion: T[p.id][kind], score: reward(p, kind) });
  }
  return rows;
}

function mean(xs) { return xs.reduce((a, b) => a + b, 0) / xs.length; }
function sampleStd(xs) {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}
function round(x, digits = 6) { return Math.round(x * 10 ** digits) / 10 ** digits; }

const written = [];
function write(rel, text) {
  const p = join(DEMO, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  written.push(rel);
}

// --- verl: DIR/{step}.jsonl, rows re-ordered (balance_batch), fields input, output, gts, score, step ----------
rmSync(join(DEMO, 'verl'), { recursive: true, force: true });
for (const step of [1, 2, 10]) {
  const rand = rng(1000 + step);
  const rows = shuffle(stepRows(step), rand);
  const text = rows.map((r) => pyJson({ input: verlInput(r.p), output: r.completion, gts: r.p.gts, score: r.score, step }, new Set(['score']))).join('\n') + '\n';
  write(`verl/${step}.jsonl`, text);
}

// --- NeMo-RL: train_data_step1.jsonl, every value wrapped in a one-element list except idx -------------------
{
  const rows = stepRows(1);
  const lines = [];
  for (let g = 0; g < rows.length; g += GROUP) {
    const grp = rows.slice(g, g + GROUP);
    const rs = grp.map((r) => r.score);
    // NeMo-RL's GRPO default: leave-one-out baseline, divided by the group std (advantage constant over response tokens).
    const std = sampleStd(rs);
    grp.forEach((r, i) => {
      const others = rs.filter((_, j) => j !== i);
      const adv = std > 0 ? round((r.score - mean(others)) / (std + 1e-6), 4) : 0;
      const promptLen = 40 + (g / GROUP) * 3;
      const respLen = 6 + (r.completion.length % 7);
      const ids = [151644, 8948, ...Array.from({ length: promptLen - 2 }, (_, k) => 100 + ((k * 37 + g) % 5000)), ...Array.from({ length: respLen }, (_, k) => 9000 + ((k * 53 + i) % 3000))];
      const pad = 4;
      const tokenIds = [...ids, ...Array(pad).fill(0)];
      const mask = [...Array(promptLen).fill(0), ...Array(respLen).fill(1), ...Array(pad).fill(0)];
      const advs = [...Array(promptLen).fill(0), ...Array(respLen).fill(adv), ...Array(pad).fill(0)];
      const lp = (k) => round(-0.05 - ((k * 7919 + i) % 100) / 250, 4);
      const genLp = mask.map((m, k) => (m ? lp(k) : 0));
      lines.push(pyJson({
        content: [[chatml(r.p), r.completion]],
        rewards: [r.score],
        input_lengths: [promptLen + respLen],
        token_ids: [tokenIds],
        token_loss_mask: [mask],
        sample_loss_mask: [1.0],
        advantages: [advs],
        generation_logprobs: [genLp],
        prev_logprobs: [genLp.map((x) => (x ? round(x - 0.001, 4) : 0))],
        idx: g + i,
      }, new Set(['rewards', 'sample_loss_mask', 'advantages', 'generation_logprobs', 'prev_logprobs'])));
    });
  }
  write('nemo-rl/train_data_step1.jsonl', lines.join('\n') + '\n');
}

// --- generic: prompt / completion / reward (+ group), one record per line --------------------------------------
{
  const rows = stepRows(1);
  const text = rows.map((r, i) => pyJson({ id: `s${String(i).padStart(3, '0')}`, group: r.p.id, prompt: r.p.q, completion: r.completion, reward: r.score, answer: r.p.gts }, new Set(['reward']))).join('\n') + '\n';
  write('mixed.rollout.jsonl', text);
}

// --- TRL: completions/completions_00001.parquet (step, prompt, completion, <reward funcs>, advantage) ----------
{
  let parquetWriteFile;
  try {
    ({ parquetWriteFile } = await import('hyparquet-writer'));
  } catch {
    console.warn('make-demo: hyparquet-writer is not installed; skipping demo/trl (npm install --save-dev hyparquet-writer)');
  }
  if (parquetWriteFile) {
    const rows = stepRows(2);
    const acc = rows.map((r) => r.score);
    const fmt = rows.map((r) => formatReward(r.kind));
    const total = rows.map((_, i) => acc[i] + fmt[i]);
    const adv = total.map((t, i) => {
      const g = Math.floor(i / GROUP) * GROUP;
      const grp = total.slice(g, g + GROUP);
      return round((t - mean(grp)) / (sampleStd(grp) + 1e-4), 6);
    });
    rmSync(join(DEMO, 'trl'), { recursive: true, force: true });
    mkdirSync(join(DEMO, 'trl', 'completions'), { recursive: true });
    const filename = join(DEMO, 'trl', 'completions', 'completions_00001.parquet');
    parquetWriteFile({
      filename,
      columnData: [
        { name: 'step', data: rows.map(() => 1n), type: 'INT64' },
        { name: 'prompt', data: rows.map((r) => `${SYSTEM}<｜User｜>${r.p.q}<｜Assistant｜>`), type: 'STRING' },
        { name: 'completion', data: rows.map((r) => r.completion), type: 'STRING' },
        { name: 'accuracy_reward', data: acc, type: 'DOUBLE' },
        { name: 'format_reward', data: fmt, type: 'DOUBLE' },
        { name: 'advantage', data: adv, type: 'DOUBLE' },
      ],
    });
    written.push('trl/completions/completions_00001.parquet');
  }
}

write('README.md', `# Demo rollouts

Generated by \`node scripts/make-demo.mjs\` (deterministic; do not edit by hand). Used by \`npm start\` and the
integration and end-to-end tests.

| path | format | what is in it |
|---|---|---|
| \`verl/1.jsonl\`, \`2.jsonl\`, \`10.jsonl\` | verl training dump (one file per step) | 4 prompts × 4 samples, rows shuffled as \`balance_batch\` does; fields \`input\`, \`output\`, \`gts\`, \`score\`, \`step\` |
| \`nemo-rl/train_data_step1.jsonl\` | NeMo-RL train log | every value list-wrapped; per-token advantages |
| \`trl/completions/completions_00001.parquet\` | TRL \`GRPOTrainer\` completions | \`step\`, \`prompt\`, \`completion\`, \`accuracy_reward\`, \`format_reward\`, \`advantage\` |
| \`mixed.rollout.jsonl\` | generic prompt / completion / reward | the step-1 samples, with an explicit \`group\` |

Cases covered: correct and wrong answers; Japanese reasoning drifting into Chinese; English reasoning with a
Chinese sentence; a repetition loop at the tail of a truncated trace; a truncated unclosed \`<think>\`; format
violations (no tags, \`<answer>\` before \`<think>\`, a doubled \`</think>\`, an unclosed \`<answer>\`); groups whose
rewards are all equal (step 1 "odd", step 10 "odd").
`);

console.log(`make-demo: wrote ${written.map((w) => `demo/${w}`).join(', ')}`);
