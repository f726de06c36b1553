// Formats whose prompt/completion are not plain fields: they are rebuilt here into a small flat view
// (`Flat`) that the generic reader then treats like any other record. Also the record expansions (ROLL
// columnar objects not yet transposed, verl W&B wide rows).
import type { JsonObject, JsonValue } from '../types';
import { advantageVaries, firstAdvantage } from './reward';
import { isMessageList, isObject } from './values';

/** Keys the generic reader can read from a rebuilt view (stored under VIEW_KEY). */
export interface Flat {
  prompt?: JsonValue;
  completion?: JsonValue;
  reward?: JsonValue;
  advantage?: JsonValue;
  advantageNote?: string;
  step?: JsonValue;
  finishReason?: JsonValue;
  split?: string;
  policyLag?: number;
  completionTokens?: number;
  promptTokens?: number;
  components?: Record<string, number | null>;
}

/** NeMo-RL (values already unwrapped): train content is positional strings, validation content is messages. */
export function nemoFlat(o: JsonObject): Flat {
  const content = o.content;
  const flat: Flat = {};
  if (Array.isArray(content)) {
    if (content.every((c) => typeof c === 'string')) {
      // Roles are positional in train records: the first string is the templated prompt, then the turns.
      // Which later turn is the model and which the environment is not written; alternate assistant/environment.
      flat.prompt = content[0] ?? null;
      const turns = content.slice(1);
      flat.completion = turns.length === 1 ? turns[0] : turns.map((t, i) => ({ role: i % 2 === 0 ? 'assistant' : 'environment', content: t }));
    } else {
      const first = content.findIndex((m) => isObject(m) && m.role === 'assistant');
      const cut = first < 0 ? content.length : first;
      flat.prompt = content.slice(0, cut);
      flat.completion = content.slice(cut);
    }
  } else {
    flat.completion = content;
  }
  const mask = o.token_loss_mask;
  if (o.advantages !== undefined) {
    flat.advantage = firstAdvantage(o.advantages, 'advantages', mask);
    if (advantageVaries(o.advantages, mask)) flat.advantageNote = 'per-token advantage varies over the response (not plain GRPO)';
  }
  if (Array.isArray(mask)) flat.completionTokens = mask.filter((m) => m === 1 || m === true).length;
  if (o.filtered_rewards !== undefined && typeof o.filtered_rewards === 'number') flat.components = { filtered_rewards: o.filtered_rewards };
  return flat;
}

function num(v: JsonValue | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** prime-rl / verifiers v1 Episode: the first trainable trace; the branch that ends at its last node. */
export function primeEpisodeFlat(o: JsonObject): Flat {
  const traces = Array.isArray(o.traces) ? o.traces.filter(isObject) : [];
  const trace = traces.find((t) => isObject(t.agent) && t.agent.trainable === true) ?? traces[0];
  const flat: Flat = {};
  const run = isObject(o.run) ? o.run : null;
  const work = run && isObject(run.work) ? run.work : null;
  if (work) {
    flat.step = work.step ?? null;
    const policy = isObject(work.policy) ? work.policy : null;
    const start = policy ? num(policy.start) : null;
    const end = policy ? num(policy.end) : null;
    if (start !== null && end !== null) flat.policyLag = end - start;
  }
  if (run && typeof run.type === 'string') flat.split = run.type;
  if (!trace) return flat;

  const nodes = Array.isArray(trace.nodes) ? trace.nodes.filter(isObject) : [];
  // Walk parents back from the last node: a branch runs from a root (parent null) to a leaf.
  const path: JsonObject[] = [];
  const seen = new Set<number>();
  for (let i = nodes.length - 1; i >= 0 && !seen.has(i);) {
    seen.add(i);
    path.push(nodes[i]);
    const p = nodes[i].parent;
    if (typeof p !== 'number' || p < 0 || p >= nodes.length) break;
    i = p;
  }
  path.reverse();
  const firstSampled = path.findIndex((n) => n.sampled === true);
  const cut = firstSampled < 0 ? path.length : firstSampled;
  flat.prompt = path.slice(0, cut).map((n) => n.message ?? null);
  flat.completion = path.slice(cut).map((n) => n.message ?? null);
  const sampled = path.slice(cut).find((n) => n.sampled === true);
  if (sampled) {
    flat.advantage = firstAdvantage(sampled.advantages, 'advantages');
    if (advantageVaries(sampled.advantages)) flat.advantageNote = 'per-token advantage varies over the response (not plain GRPO)';
  }
  const calls = Array.isArray(trace.calls) ? trace.calls.filter(isObject) : [];
  const last = calls[calls.length - 1];
  if (last && typeof last.finish_reason === 'string') flat.finishReason = last.finish_reason;

  // The trace reward is a Python property (not serialised): Σ score·weight over the non-null rewards.
  if (isObject(trace.rewards)) {
    const components: Record<string, number | null> = {};
    let total = 0;
    let any = false;
    for (const [name, r] of Object.entries(trace.rewards)) {
      if (!isObject(r)) {
        components[name] = null;
        continue;
      }
      const score = num(r.score);
      const weight = num(r.weight) ?? 1;
      components[name] = score;
      if (score !== null) {
        total += score * weight;
        any = true;
      }
    }
    flat.components = components;
    flat.reward = any ? total : null;
  }
  return flat;
}

/** OpenRLHF `text` = prompt + response: split after the last assistant marker when there is one (§3.8). */
export function splitOpenRlhfText(text: string): { prompt: string | null; completion: string } {
  const markers = ['<|im_start|>assistant\n', '<｜Assistant｜>', '<|assistant|>\n', '\nassistant\n'];
  let best = -1;
  let len = 0;
  for (const m of markers) {
    const i = text.lastIndexOf(m);
    if (i > best) {
      best = i;
      len = m.length;
    }
  }
  if (text.startsWith('assistant\n') && best < 0) {
    best = 0;
    len = 'assistant\n'.length;
  }
  return best < 0 ? { prompt: null, completion: text } : { prompt: text.slice(0, best + len), completion: text.slice(best + len) };
}

/** ROLL object of equal-length arrays that reached us untransposed: one row per index. */
export function transposeColumnar(o: JsonObject): JsonObject[] | null {
  const lengths = new Set<number>();
  for (const v of Object.values(o)) {
    if (!Array.isArray(v)) return null;
    lengths.add(v.length);
  }
  if (lengths.size !== 1) return null;
  const n = [...lengths][0];
  const rows: JsonObject[] = [];
  for (let i = 0; i < n; i++) {
    const row: JsonObject = {};
    for (const [k, v] of Object.entries(o)) row[k] = (v as JsonValue[])[i];
    rows.push(row);
  }
  return rows;
}

/** verl W&B `val/generations` wide row → one record per k (input_k, output_k, score_k). */
export function unpivotWide(o: JsonObject): JsonObject[] {
  const rows: JsonObject[] = [];
  for (let k = 1; `input_${k}` in o || `output_${k}` in o; k++) {
    rows.push({ step: o.step ?? null, input_k: o[`input_${k}`] ?? null, output_k: o[`output_${k}`] ?? null, score_k: o[`score_${k}`] ?? null });
  }
  return rows;
}

/** One chat list holding the whole exchange: the prompt is what comes before the first assistant turn. */
export function conversationFlat(v: JsonValue | undefined): Flat {
  if (!isMessageList(v)) return {};
  const first = v.findIndex((m) => m.role === 'assistant');
  const cut = first < 0 ? v.length : first;
  return { prompt: v.slice(0, cut), completion: v.slice(cut) };
}
