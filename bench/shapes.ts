// Generated inputs for every reader path the bench and the parallel reader's equality tests cover: TRL-shaped
// JSONL (with re-logged batches), NeMo-RL JSONL, a ROLL run folder (one columnar object per step file), a top-level
// JSON array, TRL parquet (row groups) and a run folder mixing .jsonl, .json and .parquet step files. Completions
// come from the bench's generated prose (generate.ts) or from real model texts (realTexts(): read from the shared
// fixtures at run time, never copied into the repository). Deterministic for a given seed.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { completion, rng, type BenchText } from './generate';

export type Shape = 'verl' | 'trl' | 'nemo-rl' | 'roll' | 'json-array' | 'parquet' | 'mixed';

/** Where completions come from: `next(r, answer)` gives one completion text and whether it is correct. */
export interface TextSource {
  name: string;
  next(r: () => number, answer: number): { text: string; correct: boolean };
}

export function generatedTexts(style: BenchText = 'varied'): TextSource {
  return { name: style === 'varied' ? 'generated prose' : 'templated prose', next: (r, a) => completion(r, a, style) };
}

function walkStrings(v: unknown, out: string[], depth: number): void {
  if (depth > 5) return;
  if (typeof v === 'string') {
    // Model outputs: long texts, most with reasoning; short strings (ids, answers, prompts' boilerplate) are not.
    if (v.length >= 400) out.push(v);
    return;
  }
  if (Array.isArray(v)) for (const x of v) walkStrings(x, out, depth + 1);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walkStrings(x, out, depth + 1);
}

/** Long texts (≥ 400 chars) from every JSON/JSONL file under `roots` (real model outputs: the shared fixtures). */
export function realTexts(roots: string[]): TextSource {
  const texts: string[] = [];
  const files: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(jsonl|json)$/.test(n)) files.push(p);
    }
  };
  for (const r of roots) if (existsSync(r)) walk(r);
  for (const f of files) {
    const body = readFileSync(f, 'utf8');
    const chunks = f.endsWith('.jsonl') ? body.split('\n') : [body];
    for (const c of chunks) {
      if (c.trim().length === 0) continue;
      try {
        walkStrings(JSON.parse(c) as unknown, texts, 0);
      } catch {
        // A fixture line that is not JSON is not a text source.
      }
    }
  }
  if (texts.length < 50) throw new Error(`real texts: only ${texts.length} long texts under ${roots.join(', ')}`);
  return {
    name: `real model texts (${texts.length} from ${files.length} fixture files)`,
    next: (r) => ({ text: texts[Math.floor(r() * texts.length)], correct: r() < 0.45 }),
  };
}

function prompt(step: number, k: number, answer: number): string {
  return `Problem ${step}-${k}: compute the value of the expression for n = ${answer}. Let's think step by step and output the final answer within \\boxed{}.`;
}

/** Appends lines to a file in large writes. */
class Out {
  private readonly fd: number;
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(s: string): void {
    this.parts.push(s);
    const n = Buffer.byteLength(s);
    this.pending += n;
    this.bytes += n;
    if (this.pending > 4 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length > 0) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.pending = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

const GROUP = 8;

/** One GRPO group's rows as plain records (verl's keys), `GROUP` completions of one prompt. */
function verlGroup(r: () => number, text: TextSource, step: number, k: number): Record<string, unknown>[] {
  const answer = 2 + Math.floor(r() * 500);
  const input = `system\nYou are a helpful assistant.\nuser\n${prompt(step, k, answer)}\nassistant\n`;
  const rows: Record<string, unknown>[] = [];
  for (let g = 0; g < GROUP; g++) {
    const c = text.next(r, answer);
    const score = c.correct ? 1 : 0;
    rows.push({ input, output: c.text, gts: String(answer), score, step, acc: score === 1, pred: c.correct ? String(answer) : '' });
  }
  return rows;
}

/**
 * TRL completions table rows (step, prompt_id, prompt, completion, reward; no advantage column: the 0.15–0.17
 * layout the issue measured). Every 3rd step is logged again under the next step number, as TRL's uncleared
 * deques do (formats.md §3.4): those rows are the re-log detection's work.
 */
export function writeTrl(path: string, targetBytes: number, text: TextSource, seed = 1): number {
  const r = rng(seed);
  const out = new Out(path);
  let rows = 0;
  let step = 1;
  while (out.bytes < targetBytes) {
    const batch: string[] = [];
    for (let k = 0; k < 32; k++) {
      const answer = 2 + Math.floor(r() * 500);
      const p = prompt(step, k, answer);
      for (let g = 0; g < GROUP; g++) {
        const c = text.next(r, answer);
        batch.push(JSON.stringify({ step, prompt_id: `${step}-${k}`, prompt: p, completion: c.text, reward: c.correct ? 1 : 0 }));
      }
    }
    for (const l of batch) out.write(l + '\n');
    rows += batch.length;
    if (step % 3 === 0) {
      // Re-logged: the same rows (prompt, completion, reward) under the next step number.
      step++;
      for (const l of batch) out.write(l.replace(/^\{"step":\d+/, `{"step":${step}`) + '\n');
      rows += batch.length;
    }
    step++;
  }
  out.close();
  return rows;
}

/** NeMo-RL train_data_step*.jsonl rows: every value wrapped in a list, groups of 16 consecutive rows. */
export function writeNemoRl(path: string, targetBytes: number, text: TextSource, seed = 1): number {
  const r = rng(seed);
  const out = new Out(path);
  let rows = 0;
  let k = 0;
  while (out.bytes < targetBytes) {
    const answer = 2 + Math.floor(r() * 500);
    const p = `<|im_start|>user\n${prompt(1, k++, answer)}<|im_end|>\n<|im_start|>assistant\n`;
    const cs = Array.from({ length: 16 }, () => text.next(r, answer));
    const rewards: number[] = cs.map((c) => (c.correct ? 1 : 0));
    const mean = rewards.reduce((a, b) => a + b, 0) / rewards.length;
    cs.forEach((c, i) => {
      const adv = rewards[i] - mean;
      out.write(JSON.stringify({ content: [[p, c.text]], rewards: [rewards[i]], input_lengths: [Math.ceil(c.text.length / 4)], advantages: [[0, 0, adv, adv]], idx: rows % 512 }) + '\n');
      rows++;
    });
  }
  out.close();
  return rows;
}

/** A ROLL run folder: rollout_dump_data.step_{N}.jsonl, each one line holding a column-oriented object. */
export function writeRollFolder(dir: string, files: number, bytesPerFile: number, text: TextSource, seed = 1): number {
  mkdirSync(dir, { recursive: true });
  const r = rng(seed);
  let rows = 0;
  for (let step = 1; step <= files; step++) {
    const cols: Record<string, unknown[]> = { global_step: [], id: [], prompt: [], ground_truth: [], responses: [], scores: [] };
    let bytes = 0;
    for (let k = 0; bytes < bytesPerFile; k++) {
      const answer = 2 + Math.floor(r() * 500);
      const p = prompt(step, k, answer);
      for (let g = 0; g < GROUP; g++) {
        const c = text.next(r, answer);
        cols.global_step.push(step);
        cols.id.push(`q${step}-${k}`);
        cols.prompt.push(p);
        cols.ground_truth.push(String(answer));
        cols.responses.push(c.text);
        cols.scores.push(c.correct ? 1 : 0);
        bytes += c.text.length + p.length + 40;
        rows++;
      }
    }
    const out = new Out(join(dir, `rollout_dump_data.step_${step}.jsonl`));
    out.write(JSON.stringify(cols) + '\n');
    out.close();
  }
  return rows;
}

/** A top-level JSON array of verl-shaped records, as json.dump writes it (one line, ", " between items). */
export function writeJsonArray(path: string, targetBytes: number, text: TextSource, seed = 1, step = 1): number {
  const r = rng(seed);
  const out = new Out(path);
  let rows = 0;
  out.write('[');
  for (let k = 0; out.bytes < targetBytes; k++) {
    for (const row of verlGroup(r, text, step + Math.floor(k / 64), k)) {
      out.write((rows === 0 ? '' : ', ') + JSON.stringify(row));
      rows++;
    }
  }
  out.write(']');
  out.close();
  return rows;
}

/** TRL completions parquet (step, prompt, completion, reward columns), row groups of `rowGroup` rows. */
export async function writeParquet(path: string, targetBytes: number, text: TextSource, seed = 1, rowGroup = 2048, firstStep = 1): Promise<number> {
  const w = await import('hyparquet-writer');
  const r = rng(seed);
  const writer = w.fileWriter(path);
  let pq: InstanceType<typeof w.ParquetWriter> | null = null;
  let rows = 0;
  let bytes = 0;
  let step = firstStep;
  while (bytes < targetBytes) {
    const steps: bigint[] = [];
    const prompts: string[] = [];
    const completions: string[] = [];
    const rewards: number[] = [];
    for (let k = 0; steps.length < rowGroup; k++) {
      const answer = 2 + Math.floor(r() * 500);
      const p = prompt(step, k, answer);
      for (let g = 0; g < GROUP; g++) {
        const c = text.next(r, answer);
        steps.push(BigInt(step));
        prompts.push(p);
        completions.push(c.text);
        rewards.push(c.correct ? 1 : 0);
        bytes += c.text.length + p.length;
      }
    }
    step++;
    const columnData = [
      { name: 'step', data: steps, type: 'INT64' as const },
      { name: 'prompt', data: prompts, type: 'STRING' as const },
      { name: 'completion', data: completions, type: 'STRING' as const },
      { name: 'reward', data: rewards, type: 'DOUBLE' as const },
    ];
    pq ??= new w.ParquetWriter({ writer, schema: w.schemaFromColumnData({ columnData }) });
    await pq.write({ columnData: columnData.map(({ name, data }) => ({ name, data })), rowGroupSize: rowGroup });
    rows += steps.length;
  }
  pq?.finish();
  return rows;
}

/** verl JSONL rows of `groups` groups per step file. */
export function writeVerlJsonl(path: string, targetBytes: number, text: TextSource, seed: number, step: number): number {
  const r = rng(seed);
  const out = new Out(path);
  let rows = 0;
  for (let k = 0; out.bytes < targetBytes; k++) {
    for (const row of verlGroup(r, text, step, k)) {
      out.write(JSON.stringify(row) + '\n');
      rows++;
    }
  }
  out.close();
  return rows;
}

/** A run folder of verl step files in turn .jsonl, .json (array) and another .jsonl: one run, mixed containers. */
export function writeMixedFolder(dir: string, files: number, bytesPerFile: number, text: TextSource, seed = 1): number {
  mkdirSync(dir, { recursive: true });
  let rows = 0;
  for (let i = 1; i <= files; i++) {
    rows += i % 3 === 2
      ? writeJsonArray(join(dir, `${i}.json`), bytesPerFile, text, seed + i, i)
      : writeVerlJsonl(join(dir, `${i}.jsonl`), bytesPerFile, text, seed + i, i);
  }
  return rows;
}
