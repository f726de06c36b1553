#!/usr/bin/env node
// Writes demo/editor/: synthetic rollouts for the text-editor tests (decorations, diagnostics at exact spans).
// The JSON is written BY HAND, not with JSON.stringify, so that the escapes before the flagged span are the
// ones real writers produce: \" and \n, \\ and \/, an emoji both raw and as the \ud83d\ude00 surrogate escape,
// Python's ensure_ascii \uXXXX for CJK on one line, and raw UTF-8 CJK elsewhere.
// Deterministic; run `node scripts/make-editor-fixtures.mjs` after changing it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'demo', 'editor');
mkdirSync(OUT, { recursive: true });

const PROMPT = '2の10乗を計算してください。答えを <answer> タグで囲んでください。';
/** JSON string literal with JSON.stringify's escapes, but astral and CJK characters as \uXXXX (Python ensure_ascii). */
const ascii = (s) => JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

// The Chinese sentence inserted into Japanese reasoning: the language-mix diagnostic must cover exactly it.
export const CHINESE = '我们需要计算三十二乘以三十二，三十二乘以三十是九百六十，再加上六十四，结果是一千零二十四。';

// Raw JSON text of the completion (between the quotes). Escapes before the Chinese sentence on purpose.
const escaped = [
  '<think>\\n',
  '彼は「\\"2の10乗\\"」と書いた 😀 そして \\ud83d\\ude00 も。パスは C:\\\\tmp\\/x です。\\n',
  'まず、2の10乗を計算します。2^5 = 32 なので、32 × 32 を求めればよいです。',
  CHINESE,
  'したがって、答えは1024です。\\n',
  '</think>\\n<answer>1024</answer>',
].join('');

const good = JSON.stringify('<think>\n2の10乗は、2を10回掛けることです。2^5 = 32 なので、2^10 = 32 × 32 = 1024 です。\n</think>\n<answer>1024</answer>');
const wrong = JSON.stringify('<think>\n2^10 = 2 × 10 = 20 です。\n</think>\n<answer>20</answer>');
const asciiDrift = ascii(`<think>\n「"引用"」😀 まず、2の10乗を計算します。2^5 = 32 なので、32 × 32 を求めればよいです。${CHINESE}したがって、答えは1024です。\n</think>\n<answer>1024</answer>`);

const lines = [
  `{"id": "e0", "group": "pow", "prompt": ${JSON.stringify(PROMPT)}, "completion": "${escaped}", "reward": 1.0, "answer": "1024"}`,
  `{"id": "e1", "group": "pow", "prompt": ${JSON.stringify(PROMPT)}, "completion": ${good}, "reward": 1.0, "answer": "1024"}`,
  `{"id": "e2", "group": "pow", "prompt": ${ascii(PROMPT)}, "completion": ${asciiDrift}, "reward": 1.0, "answer": "1024"}`,
  `{"id": "e3", "group": "pow", "prompt": ${JSON.stringify(PROMPT)}, "completion": ${wrong}, "reward": 0.0, "answer": "1024"}`,
  '{"id": "e4", "group": "pow", "prompt": "broken line", "completion": "<think>\\nunterminated',
];
writeFileSync(join(OUT, 'escapes.rollout.jsonl'), lines.join('\n') + '\n');

// Not a rollout: application logs in JSONL. Must get no lenses, no diagnostics, no decorations.
const logs = [
  { ts: '2025-01-01T00:00:00Z', level: 'info', msg: 'server started', port: 8080 },
  { ts: '2025-01-01T00:00:01Z', level: 'warn', msg: 'slow request', path: '/api/items', ms: 1234 },
  { ts: '2025-01-01T00:00:02Z', level: 'error', msg: 'upstream failed <think>not a trace</think>', code: 502 },
];
writeFileSync(join(OUT, 'app-logs.jsonl'), logs.map((l) => JSON.stringify(l)).join('\n') + '\n');
console.log(`wrote ${OUT}/escapes.rollout.jsonl, app-logs.jsonl`);
