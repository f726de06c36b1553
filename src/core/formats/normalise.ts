// RawRecord → Sample[] (docs/formats.md §7.6). One generic reader follows the detection's field map; formats
// whose values are not plain fields first get a rebuilt view (shapes.ts), and a few add reward components
// afterwards. Roles the user overrode are always read from the original record, bypassing format logic.
import type { FieldMap, FormatDetection, JsonObject, JsonValue, RawRecord, Role, Sample, Split, TextOrMessages } from '../types';
import { firstAdvantage, readReward, type RewardRead } from './reward';
import { isListWrapped, unwrapOne } from './sampled';
import { conversationFlat, nemoFlat, primeEpisodeFlat, splitOpenRlhfText, transposeColumnar, unpivotWide, type Flat } from './shapes';
import { expandRecordPath, parsePath, type Segment } from './nested';
import { FieldError, getPath, isMessageList, isObject, messagesReasoning, readNumber, readStep, readText, typeName } from './values';

export interface NormaliseContext {
  /** Step parsed from the file name (verl `12.jsonl`, NeMo-RL `train_data_step13.jsonl` → 12, …), if any. */
  stepFromName: number | null;
  /** Split implied by the file name or folder (`val_data_step…`, `/eval/`), if any. */
  split: Split | null;
}

export type NormaliseResult = Sample[] | { error: string };

/** Key under which a rebuilt view is attached to a shallow copy of the record. */
const VIEW = '\u0000rl';

const VIEW_FIELDS: Partial<Record<Role, keyof Flat>> = {
  prompt: 'prompt', completion: 'completion', reward: 'reward', advantage: 'advantage', step: 'step', finishReason: 'finishReason',
};

function viewOf(o: JsonObject): Flat | null {
  const v = (o as unknown as Record<string, Flat | undefined>)[VIEW];
  return v ?? null;
}

function rebuilt(det: FormatDetection, o: JsonObject): Flat | null {
  if (det.format === 'nemo-rl') return nemoFlat(o);
  if (det.format === 'prime-rl' && det.variant === 'episode') return primeEpisodeFlat(o);
  if (det.format === 'openrlhf' && typeof o.text === 'string') {
    const { prompt, completion } = splitOpenRlhfText(o.text);
    return { prompt, completion };
  }
  if (det.format === 'open-instruct') {
    // Token ids only: no text until the user gives a tokenizer; keep counts.
    return {
      completion: '',
      prompt: null,
      promptTokens: Array.isArray(o.prompt_tokens) ? o.prompt_tokens.length : undefined,
      completionTokens: Array.isArray(o.response_tokens) ? o.response_tokens.length : undefined,
    };
  }
  if (det.format === 'inferred' && det.variant === 'conversation' && det.fields.prompt !== null) {
    return conversationFlat(getPath(o, det.fields.prompt));
  }
  if (det.format === 'orz' && det.variant === 'replay') {
    const adv = firstAdvantage(o.advantages, 'advantages', o.action_mask);
    return { completion: '', prompt: null, advantage: adv };
  }
  return null;
}

/** Field paths actually read: the view for rebuilt roles, the user's path for overridden ones. */
function readPlan(det: FormatDetection, flat: Flat | null): Record<Role, string | null> {
  const plan: FieldMap = { ...det.fields };
  if (!flat) return plan;
  const overridden = new Set(det.overridden ?? []);
  for (const [role, key] of Object.entries(VIEW_FIELDS) as [Role, keyof Flat][]) {
    if (!overridden.has(role) && flat[key] !== undefined) plan[role] = `${VIEW}.${key}`;
  }
  return plan;
}

function read(o: JsonObject, path: string | null): JsonValue | undefined {
  if (path === null) return undefined;
  if (path.startsWith(`${VIEW}.`)) {
    const flat = viewOf(o);
    return flat ? (flat[path.slice(VIEW.length + 1) as keyof Flat] as JsonValue | undefined) : undefined;
  }
  return getPath(o, path);
}

/** Display name of a path in messages: the view key reads as the documented field. */
function shown(det: FormatDetection, role: Role, path: string): string {
  return path.startsWith(`${VIEW}.`) ? det.fields[role] ?? role : path;
}

/** A list of completions in one record = a row holding the group (§7.3 rule 2). */
function isRowList(v: JsonValue | undefined): v is JsonValue[] {
  return Array.isArray(v) && v.length > 0 && !isMessageList(v) && v.every((x) => typeof x === 'string' || isMessageList(x));
}

function perMember(v: JsonValue | undefined, k: number, n: number, row: boolean, field: string): JsonValue | undefined {
  if (!row || !Array.isArray(v)) return v;
  if (v.length !== n) throw new FieldError(`field '${field}' has ${v.length} values for ${n} completions`);
  return v[k];
}

function optionalText(v: JsonValue | undefined): string | null {
  if (typeof v === 'string') return v;
  return null;
}

/** Parsed record paths of inferred detections (a handful per session), so each record does not re-parse it. */
const parsedPaths = new Map<string, Segment[]>();

function expand(det: FormatDetection, o: JsonObject): JsonObject[] {
  const recordPath = det.inference?.recordPath;
  if (det.format === 'inferred' && recordPath) {
    let segs = parsedPaths.get(recordPath);
    if (!segs) parsedPaths.set(recordPath, (segs = parsePath(recordPath)));
    return expandRecordPath(o, segs);
  }
  if (det.format === 'verl-val' && det.variant === 'wide') return unpivotWide(o);
  if (det.format === 'roll' && Array.isArray(o.responses) && Array.isArray(o.scores)) return transposeColumnar(o) ?? [o];
  return [o];
}

/** Numeric/boolean extras of a verl dump (acc, overlong_reward, …) besides the base fields. */
const VERL_BASE = new Set(['input', 'output', 'gts', 'ground_truth', 'step', 'request_id']);

function addComponents(det: FormatDetection, o: JsonObject, s: Sample, k: number, n: number, overridden: Set<Role>): void {
  const comp = s.rewardComponents;
  const numberOf = (v: JsonValue | undefined, name: string): number | null => {
    const n = readNumber(v, name);
    return n === undefined || n === null || Number.isNaN(n) ? null : n;
  };
  switch (det.format) {
    case 'verl':
    case 'verl-val': {
      if (det.variant === 'wide' || det.variant === 'generation') return;
      for (const [key, v] of Object.entries(o)) {
        if (VERL_BASE.has(key) || !(typeof v === 'number' || typeof v === 'boolean' || v === null)) continue;
        comp[key] = numberOf(v, key);
      }
      // DAPO overlong buffer: the dumped score lacks the penalty; the training reward is score + overlong_reward.
      const overlong = typeof o.overlong_reward === 'number' ? o.overlong_reward : null;
      if (overlong !== null && !overridden.has('reward') && s.reward !== null) s.reward += overlong;
      return;
    }
    case 'trl': {
      const cols = det.rewardColumns ?? [];
      for (const c of cols) if (c in o) comp[c] = numberOf(o[c], c);
      if (det.fields.reward === null && !overridden.has('reward')) {
        // Weighted nansum with weights 1 (weights assumed, §3.4); all-NaN rows stay missing, not 0.
        let total = 0;
        let any = false;
        for (const c of cols) {
          const v = comp[c];
          if (v !== null && v !== undefined && Number.isFinite(v)) {
            total += v;
            any = true;
          }
        }
        s.reward = any ? total : null;
        if (any) delete s.rewardMissing;
        else s.rewardMissing = cols.length ? 'every reward column is NaN/None' : 'no reward columns';
      }
      return;
    }
    case 'verifiers':
      for (const c of det.rewardColumns ?? []) if (c in o) comp[c] = numberOf(o[c], c);
      return;
    case 'areal': {
      const head = o.head_version;
      const tail = o.tail_version;
      if (typeof head === 'number' && typeof tail === 'number') s.policyLag = tail - head;
      if (typeof o.sample_idx === 'number') s.sampleIndex = o.sample_idx;
      if (typeof o.prompt_len === 'number') s.tokens.prompt = o.prompt_len;
      if (typeof o.seqlen === 'number' && typeof o.prompt_len === 'number') s.tokens.completion = o.seqlen - o.prompt_len;
      return;
    }
    case 'prime-rl':
      if (det.variant === 'platform') {
        if (typeof o.sample_id === 'number') s.sampleIndex = o.sample_id;
        if (typeof o.num_input_tokens === 'number') s.tokens.prompt = o.num_input_tokens;
        if (typeof o.num_output_tokens === 'number') s.tokens.completion = o.num_output_tokens;
      }
      return;
    case 'open-instruct':
      if (typeof o.sample_idx === 'number') s.sampleIndex = o.sample_idx;
      return;
    case 'orz': {
      const out = isObject(o.outputs) ? o.outputs : null;
      if (!out) return;
      for (const key of ['iscorrect', 'repeat_score', 'reflection_pattern_score']) if (key in out) comp[key] = numberOf(out[key], `outputs.${key}`);
      // Under use_grpo the logged score is mean-centred; the raw reward is correct AND stopped (§3.18).
      if ('iscorrect' in out) comp.raw_reward = out.iscorrect === true && out.stop_reason === 'stop' ? 1 : 0;
      return;
    }
    case 'orz-eval':
      return;
    case 'lighteval': {
      const doc = isObject(o.doc) ? o.doc : null;
      if (doc && !overridden.has('gold') && Array.isArray(doc.choices) && typeof doc.gold_index === 'number') s.gold = doc.choices[doc.gold_index];
      const mr = isObject(o.model_response) ? o.model_response : null;
      const toks = mr && Array.isArray(mr.output_tokens) ? mr.output_tokens[k] : undefined;
      if (Array.isArray(toks)) s.tokens.completion = toks.length;
      // `metric` scores the document (all n samples together), so it is no per-sample reward when n > 1.
      if (n > 1 && !overridden.has('reward')) {
        s.reward = null;
        s.rewardMissing = 'lighteval metric is per document, not per sample';
      }
      return;
    }
    case 'slime':
      if (typeof o.response_length === 'number') s.tokens.completion = o.response_length;
      return;
    case 'rllogging-board':
      if ('ref_reward' in o) comp.ref_reward = numberOf(o.ref_reward, 'ref_reward');
      return;
    case 'openr1-math': {
      const llama = o.correctness_llama;
      if (Array.isArray(llama) && llama[k] !== undefined) comp.correctness_llama = numberOf(llama[k], 'correctness_llama');
      return;
    }
    default:
      return;
  }
}

function normaliseObject(o: JsonObject, raw: RawRecord, det: FormatDetection, ctx: NormaliseContext): Sample[] {
  const flat = rebuilt(det, o);
  const view: JsonObject = flat ? ({ ...o, [VIEW]: flat as unknown as JsonValue }) : o;
  const plan = readPlan(det, flat);
  const overridden = new Set(det.overridden ?? []);

  const promptV = read(view, plan.prompt);
  const prompt: TextOrMessages | null = promptV === undefined || promptV === null ? null : readText(promptV, shown(det, 'prompt', plan.prompt ?? 'prompt'));

  const compField = plan.completion;
  const compName = compField ? shown(det, 'completion', compField) : 'completion';
  const compV = read(view, compField);
  if (compField !== null && compV === undefined) throw new FieldError(`missing field '${compName}'`);
  const row = isRowList(compV);
  const completions: TextOrMessages[] = row
    ? compV.map((c, k) => readText(c, `${compName}[${k}]`))
    : [compV === undefined ? '' : readText(compV, compName)];
  const n = completions.length;

  const rewardName = plan.reward ? shown(det, 'reward', plan.reward) : null;
  const rewardV = read(view, plan.reward);
  const advName = plan.advantage ? shown(det, 'advantage', plan.advantage) : 'advantage';
  const advV = read(view, plan.advantage);
  const finishV = read(view, plan.finishReason);
  const reasoningV = read(view, plan.reasoning);
  const goldV = read(view, plan.gold);

  const stepV = read(view, plan.step);
  const step = stepV === undefined || stepV === null ? ctx.stepFromName : readStep(stepV, shown(det, 'step', plan.step ?? 'step')) ?? ctx.stepFromName;

  const flatSplit = flat?.split === 'train' ? 'train' : flat?.split === 'eval' ? 'eval' : flat?.split === 'val' ? 'val' : null;
  const tagSplit = det.variant === 'platform' && typeof o.tag === 'string' ? (o.tag === 'eval' ? 'eval' : o.tag === 'train' ? 'train' : null) : null;
  const split: Split | null = ctx.split ?? flatSplit ?? tagSplit ?? det.split ?? null;

  const groupV = read(view, plan.group);
  let explicitKey: string | null = null;
  if (typeof groupV === 'string') explicitKey = groupV;
  else if (typeof groupV === 'number' || typeof groupV === 'boolean') explicitKey = String(groupV);
  else if (groupV !== undefined && groupV !== null) explicitKey = JSON.stringify(groupV);

  const samples: Sample[] = [];
  for (let k = 0; k < n; k++) {
    const rv = perMember(rewardV, k, n, row, rewardName ?? 'reward');
    const rr: RewardRead = readReward(rv, rewardName);
    const completion = completions[k];
    const reasoningField = perMember(reasoningV, k, n, row, plan.reasoning ?? 'reasoning');
    const s: Sample = {
      source: raw.source,
      format: det.format,
      split,
      step,
      groupKey: explicitKey ?? (row ? `${raw.source.file}#${raw.source.record}` : null),
      groupKeySource: explicitKey !== null ? 'explicit' : row ? 'row' : 'none',
      sampleIndex: row ? k : null,
      prompt,
      completion,
      reasoning: optionalText(reasoningField) ?? messagesReasoning(completion),
      reward: rr.reward,
      rewardComponents: { ...rr.components, ...(flat?.components ?? {}) },
      advantage: firstAdvantage(perMember(advV, k, n, row, advName), advName),
      advantageSource: null,
      gold: goldV === undefined ? undefined : perMember(goldV, k, n, row && Array.isArray(goldV) && goldV.length === n, 'gold'),
      finishReason: optionalText(perMember(finishV, k, n, row && Array.isArray(finishV), plan.finishReason ?? 'finish_reason')),
      tokens: {},
      raw: raw.value,
    };
    if (rr.missing !== undefined) s.rewardMissing = rr.missing;
    if (s.advantage !== null) s.advantageSource = 'logged';
    if (flat?.advantageNote) s.advantageNote = flat.advantageNote;
    if (flat?.policyLag !== undefined) s.policyLag = flat.policyLag;
    if (flat?.promptTokens !== undefined) s.tokens.prompt = flat.promptTokens;
    if (flat?.completionTokens !== undefined) s.tokens.completion = flat.completionTokens;
    addComponents(det, o, s, k, n, overridden);
    samples.push(s);
  }
  return samples;
}

/**
 * Normalises one raw record. Wrong field types give `{ error }` naming the field and type (the caller reports
 * it as a bad line and goes on); a record may give several samples (a row holding a group, a columnar object).
 */
export function normaliseRecord(raw: RawRecord, det: FormatDetection, ctx: NormaliseContext): NormaliseResult {
  const value = raw.value;
  if (!isObject(value)) return { error: `record is ${typeName(value)}, expected an object` };
  try {
    const unwrap = det.unwrapLists === true || (det.format === 'nemo-rl' && isListWrapped(value));
    const o = unwrap ? unwrapOne(value) : value;
    const out: Sample[] = [];
    for (const row of expand(det, o)) {
      const rec: RawRecord = row === o ? raw : { value: row, source: raw.source };
      out.push(...normaliseObject(row, rec, det, ctx));
    }
    return out;
  } catch (e) {
    if (e instanceof FieldError) return { error: e.message };
    throw e;
  }
}
