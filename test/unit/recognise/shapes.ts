// Realistic rollout-shaped inputs that no known format reads, built the way real eval and analysis scripts write
// them (issue #16): odd field names, nested results, step-keyed objects, parallel lists, conversations.
import type { JsonObject, JsonValue } from '../../../src/core/types';

const REASONING = [
  'First I restate the problem and list what is given. ',
  'Then I set up the equation and simplify both sides carefully. ',
  'Checking the arithmetic once more, the intermediate value is consistent. ',
  'So the final answer follows directly from the last line. ',
];

export function longText(i: number, sentences = 6): string {
  let s = '';
  for (let k = 0; k < sentences; k++) s += REASONING[(i + k) % REASONING.length];
  return `${s}The answer is \\boxed{${i}}.`;
}

/** An eval JSONL whose names are in no alias list: 3 questions × 3 samples. */
export function oddEvalRecords(): JsonObject[] {
  const out: JsonObject[] = [];
  for (let q = 0; q < 3; q++) {
    for (let k = 0; k < 3; k++) {
      out.push({
        question_id: `gsm8k-${q}`,
        full_prompt: `Solve the following problem step by step. Problem ${q}: what is ${q} times ${q + 2}?`,
        model_response: longText(q * 3 + k, 8),
        ground_truth_answer: String(q * (q + 2)),
        extracted_answer: String(k === 0 ? q * (q + 2) : -1),
        is_correct: k === 0,
        latency_ms: 1200 + k,
      });
    }
  }
  return out;
}

/** object → categories → datasets → results → completions (objects with their own score). */
export function nestedResults(): JsonObject {
  const results = (name: string, n: number): JsonValue[] => Array.from({ length: n }, (_, i) => ({
    question: `${name} question ${i}: how many apples are left if you eat ${i} of ten?`,
    reference: String(10 - i),
    completions: [0, 1, 2, 3].map((k) => ({ text: longText(i + k), score: k % 2 === 0 ? 1 : 0 })),
  }));
  return {
    model: 'qwen2.5-7b-instruct',
    created: '2025-03-01',
    categories: {
      math: { gsm8k: { results: results('gsm8k', 2) }, math500: { results: results('math500', 3) } },
      reasoning: { arc: { results: results('arc', 1) } },
    },
  };
}

/** Training-step keyed object at the top level, like a per-checkpoint eval dump. */
export function stepKeyedTop(): JsonObject {
  const o: JsonObject = {};
  for (const step of [0, 50, 100, 150]) {
    o[String(step)] = { problem: 'Find the sum of the first ten positive integers.', generation: longText(step), acc: step >= 100 ? 1 : 0 };
  }
  return o;
}

/** One record per prompt holding 8 completions and 8 scores (a group per record). */
export function parallelLists(): JsonObject[] {
  return [0, 1].map((p) => ({
    instruction: `Prove that ${p + 2} is prime and explain each step.`,
    samples: Array.from({ length: 8 }, (_, k) => longText(p * 8 + k)),
    correct: Array.from({ length: 8 }, (_, k) => k < 3 + p),
    pred_scores: Array.from({ length: 8 }, (_, k) => [[k / 10]]),
    target: 'yes',
  }));
}

/** One chat list per record with the assistant turn inside it, and a judge score. */
export function conversations(): JsonObject[] {
  return [0, 1, 2].map((i) => ({
    messages: [
      { role: 'system', content: 'You are a careful assistant.' },
      { role: 'user', content: `Explain problem number ${i} in plain words please.` },
      { role: 'assistant', content: longText(i) },
    ],
    judge_score: i / 2,
  }));
}

/** JSON that holds no rollouts: each must stay unrecognised. */
export const NOT_ROLLOUTS: [name: string, records: JsonValue[]][] = [
  ['app log', [1, 2, 3].map((i) => ({ ts: `2025-01-0${i}T00:00:00Z`, level: 'info', msg: `request ${i} served to the client in ${i * 10} ms` }))],
  ['package.json', [{ name: 'my-app', version: '1.0.0', description: 'A small web application for managing tasks', scripts: { test: 'node test.js' }, dependencies: { lodash: '^4.17.21' } }]],
  ['tsconfig.json', [{ compilerOptions: { target: 'ES2022', strict: true, outDir: 'dist' }, include: ['src/**/*.ts'] }]],
  ['trainer_state.json', [{ global_step: 10, log_history: [{ step: 5, loss: 0.4, reward: 0.5, learning_rate: 1e-6 }, { step: 10, loss: 0.3, reward: 0.6, learning_rate: 1e-6 }] }]],
  ['metrics.jsonl', [1, 2, 3].map((step) => ({ step, 'train/reward_mean': 0.1 * step, 'train/loss': 1 / step, score: 0.5 }))],
  ['dataset without model outputs', [1, 2, 3].map((i) => ({ question: `What is ${i} plus ${i} in the usual arithmetic?`, answer: `${i} plus ${i} is ${2 * i}, because adding a number to itself doubles it.` }))],
  ['numbers only', [{ runs: [{ id: 1, score: 0.5 }, { id: 2, score: 0.7 }], meta: { seed: 3 } }]],
  ['chat log without scores or prompt names', [1, 2].map((i) => ({ user: 'bob', text: `hello there, this is chat message number ${i}`, channel: 'general' }))],
];
