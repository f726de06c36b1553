// A multi-turn agentic dump for the bench (input `agentic`): verl multi-turn tool use with sglang, the shape of the
// real `real2/verl-hecate/2.jsonl` (docs/agentic.md). The whole exchange is one `output` string: model turns with
// `<tool_call>` tags, the tool's reply under the role word `user` (`user\n<tool_response>…</tool_response>`), then
// `assistant\n…`. The pieces are drawn from that file at bench time (never copied into the repository): its prompts,
// its model turns (first turns and later turns apart), its tool replies, and the number of tool rounds per sample
// from its distribution. One sample in 20 is stretched to 6–12 rounds, the turn limit of verl's multi-turn configs,
// so that long episodes are in the mix too. Deterministic for a given seed.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { parseTextTrajectory } from '../src/core/trajectory/parse-text';
import { rng } from './generate';

interface AgenticPools {
  prompts: string[];
  first: string[];
  later: string[];
  replies: string[];
  /** Tool rounds (environment turns) per real sample: drawn as a whole, so their distribution is the file's. */
  rounds: number[];
  /** Real samples the pools come from. */
  samples: number;
}

/** Reads the real multi-turn dump and splits every sample into its turns. */
export function agenticPools(hecatePath: string): AgenticPools {
  const pools: AgenticPools = { prompts: [], first: [], later: [], replies: [], rounds: [], samples: 0 };
  const seenPrompts = new Set<string>();
  for (const line of readFileSync(hecatePath, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { input?: unknown; output?: unknown };
    if (typeof row.input !== 'string' || typeof row.output !== 'string') continue;
    pools.samples++;
    if (!seenPrompts.has(row.input)) {
      seenPrompts.add(row.input);
      pools.prompts.push(row.input);
    }
    const out = row.output;
    const t = parseTextTrajectory(out);
    let rounds = 0;
    t.turns.forEach((turn, k) => {
      if (!turn.span) return;
      const body = out.slice(turn.span.start, turn.span.end);
      if (turn.byModel) (k === 0 ? pools.first : pools.later).push(body);
      else {
        pools.replies.push(body);
        rounds++;
      }
    });
    pools.rounds.push(rounds);
  }
  if (pools.first.length < 50 || pools.later.length < 50 || pools.replies.length < 50) {
    throw new Error(`agentic pools too small in ${hecatePath}: ${pools.first.length} first turns, ${pools.later.length} later turns, ${pools.replies.length} replies`);
  }
  return pools;
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

/** One sample's output: a first model turn, then `rounds` × (tool reply, model turn). */
function episode(r: () => number, p: AgenticPools): string {
  let rounds = pick(r, p.rounds);
  if (r() < 0.05) rounds = 6 + Math.floor(r() * 7);
  const parts = [pick(r, p.first)];
  for (let k = 0; k < rounds; k++) parts.push('\nuser\n', pick(r, p.replies), '\nassistant\n', pick(r, p.later));
  return parts.join('');
}

const GROUP = 8;

/** Writes about `targetBytes` of verl multi-turn JSONL (groups of 8 rollouts of one prompt, 256 prompts a step). */
export function writeAgenticJsonl(path: string, targetBytes: number, p: AgenticPools, seed = 1): { rows: number; name: string } {
  const r = rng(seed);
  const fd = openSync(path, 'w');
  let bytes = 0;
  let rows = 0;
  let step = 1;
  let prompts = 0;
  try {
    while (bytes < targetBytes) {
      const input = pick(r, p.prompts);
      const lines: string[] = [];
      for (let g = 0; g < GROUP; g++) {
        const output = episode(r, p);
        // As the real dump: score and step are strings; request_id is unique per rollout.
        const score = output.includes('#### ') && r() < 0.6 ? '1.0' : '0.0';
        lines.push(JSON.stringify({ input, output, score, step: String(step), request_id: `bench-${step}-${prompts}-${g}` }));
        rows++;
      }
      const chunk = lines.join('\n') + '\n';
      writeSync(fd, chunk);
      bytes += Buffer.byteLength(chunk);
      if (++prompts % 256 === 0) step++;
    }
  } finally {
    closeSync(fd);
  }
  return { rows, name: `verl multi-turn from ${p.samples} real samples (${p.first.length} first turns, ${p.later.length} later turns, ${p.replies.length} tool replies)` };
}
