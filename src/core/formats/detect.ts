// Format detection from the keys of a file's first records (docs/formats.md §7.2). The rules are tried in the
// documented order and the first match wins; each rule also says which field plays which role, so the
// normaliser and the summary (`fields`) agree on what was read.
import type { FieldMap, FormatDetection, FormatName, JsonValue, Role, Split } from '../types';
import { ROLES } from '../types';
import { SampledRecords, isListWrapped, unwrapOne } from './sampled';
import { isMessageList, isObject } from './values';
import { fieldHints, fieldsOfInference, inferRoles, type Inference } from './infer';
import { expandRecordPath, findRecordPaths, formatPath, type Segment } from './nested';
import { stepFromFileWords, stepFromFolders } from './path-step';

export interface DetectOptions {
  /** Path or name of the file; a `val`/`validation` component hints at a verl validation dump. */
  fileName?: string;
  /** A forced format uses that format's mapping without checking the keys. */
  format?: FormatName | 'auto';
  /** User overrides (`--field role=name`), dotted paths allowed; they replace the detected fields. */
  fields?: Partial<FieldMap>;
}

type Fields = Partial<FieldMap>;

interface RuleMatch {
  fields: Fields;
  /** Keys that made the rule match, for the `reason`. */
  keys: string[];
  variant?: string;
  split?: Split;
  rewardColumns?: string[];
  keepsOrder?: boolean;
  notes?: string[];
  /** Detected format when a rule covers two names (verl / verl-val). */
  format?: FormatName;
  extra?: string;
}

interface Rule {
  format: FormatName;
  /** Match on the sampled records; with `forced`, build the mapping even if keys are missing. */
  match(s: SampledRecords, forced: boolean, fileName: string): RuleMatch | null;
}

const isString = (v: JsonValue): boolean => typeof v === 'string';
const isNumberLike = (v: JsonValue): boolean => typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)));
const isList = (v: JsonValue): boolean => Array.isArray(v);
const isListOfLists = (v: JsonValue): boolean => Array.isArray(v) && v.length > 0 && v.every(Array.isArray);

export const GOLD_NAMES = ['gts', 'ground_truth', 'reward_model.ground_truth', 'extra_info.answer', 'answer', 'label', 'target', 'gt', 'gold', 'solution'] as const;
/** §7.3 rule 1 generic names. Deliberately without index / idx / sample_idx: those are positions. */
export const GROUP_NAMES = ['group_id', 'group_index', 'uid', 'prompt_idx', 'prompt_id', 'example_id', 'task_id', 'problem_id', 'qid', 'query_id'] as const;
const PROMPT_NAMES = ['prompt', 'input', 'question', 'query', 'messages', 'problem', 'user_prompt', 'input_prompt'] as const;
const COMPLETION_NAMES = ['completion', 'output', 'response', 'responses', 'generation', 'generations', 'text', 'output_response', 'completions'] as const;
const REWARD_NAMES = ['reward', 'rewards', 'score', 'scores', 'acc', 'correct', 'accuracy'] as const;
const STEP_NAMES = ['step', 'global_step', 'global_steps', 'iteration', 'epoch'] as const;
const FINISH_NAMES = ['finish_reason', 'stop_reason', 'status', 'finish_reasons'] as const;
const REASONING_NAMES = ['reasoning_content', 'reasoning', 'reasonings'] as const;
const ADVANTAGE_NAMES = ['advantage', 'advantages'] as const;

/** Keys of a TRL table that are never reward columns. */
const TRL_BASE = new Set(['step', 'prompt', 'completion', 'advantage', 'reward', 'image', 'images']);
const VERIFIERS_BASE = new Set(['example_id', 'reward', 'generation_ms', 'scoring_ms', 'total_ms', 'id']);

function gold(s: SampledRecords): string | null {
  return s.firstOf(GOLD_NAMES);
}

function looksLikeValidationPath(fileName: string): boolean {
  return /(^|[\\/_.-])(val|valid|validation|eval)([\\/_.-]|$)/i.test(fileName);
}

const RULES: Rule[] = [
  {
    format: 'verl',
    match(s, forced, fileName) {
      const ok = s.hasWith('input', isString) && s.hasWith('output', isString) && s.has('score') && s.hasWith('step', isNumberLike);
      if (!ok && !forced) return null;
      const byReward = s.has('reward');
      const byPath = looksLikeValidationPath(fileName);
      const val = byReward || byPath;
      return {
        format: val ? 'verl-val' : 'verl',
        fields: { prompt: 'input', completion: 'output', reward: 'score', step: 'step', gold: s.firstOf(['gts', 'ground_truth']) },
        keys: ['input', 'output', 'score', 'step'],
        split: val ? 'val' : 'train',
        variant: val ? 'validation' : undefined,
        // verl validation keeps generation order (not balanced); training rows are shuffled by _balance_batch.
        keepsOrder: val,
        extra: byReward ? 'reward key marks a validation dump' : byPath ? 'file path marks a validation dump' : undefined,
      };
    },
  },
  {
    format: 'roll',
    match(s, forced) {
      if (!s.has('responses', 'scores') && !forced) return null;
      return {
        fields: { prompt: s.has('prompt') ? 'prompt' : 'messages', completion: 'responses', reward: 'scores', step: 'global_step', group: s.has('id') ? 'id' : null, gold: s.has('ground_truth') ? 'ground_truth' : null },
        keys: ['responses', 'scores', ...(s.has('global_step') ? ['global_step'] : [])],
        keepsOrder: true,
      };
    },
  },
  {
    format: 'nemo-rl',
    match(s, forced) {
      const ok = s.hasWith('content', isListOfLists) && s.hasWith('rewards', isList) && s.hasWith('idx', (v) => typeof v === 'number');
      if (!ok && !forced) return null;
      const train = s.has('advantages');
      return {
        fields: { prompt: 'content', completion: 'content', reward: 'rewards', advantage: train ? 'advantages' : null },
        keys: ['content', 'rewards', 'idx', ...(train ? ['advantages'] : [])],
        variant: train ? 'train' : 'validation',
        split: train ? 'train' : 'val',
        keepsOrder: true,
      };
    },
  },
  {
    format: 'areal',
    match(s, forced) {
      if (!s.has('task_id', 'sample_idx', 'head_version', 'tail_version') && !forced) return null;
      return {
        fields: { prompt: 'prompt', completion: 'completion', reward: 'reward', group: 'task_id' },
        keys: ['task_id', 'sample_idx', 'head_version', 'tail_version'],
      };
    },
  },
  {
    format: 'prime-rl',
    match(s, forced) {
      if (!(s.hasWith('traces', isList) && s.has('task', 'ok')) && !forced) return null;
      return {
        fields: {
          prompt: 'traces.nodes', completion: 'traces.nodes', reward: 'traces.rewards', advantage: 'traces.nodes.advantages',
          group: 'group.id', step: 'run.work.step', gold: 'task.data.answer', finishReason: 'traces.calls.finish_reason',
        },
        keys: ['traces', 'task', 'ok', ...(s.has('group') ? ['group'] : []), ...(s.has('run') ? ['run'] : [])],
        variant: 'episode',
      };
    },
  },
  {
    format: 'verifiers',
    match(s, forced) {
      const ok = s.has('example_id', 'reward') && s.hasWith('prompt', isMessageList) && s.hasWith('completion', isMessageList);
      if (!ok && !forced) return null;
      return {
        fields: { prompt: 'prompt', completion: 'completion', reward: 'reward', group: 'example_id', gold: s.has('answer') ? 'answer' : null },
        keys: ['example_id', 'prompt', 'completion', 'reward'],
        rewardColumns: s.numericKeys(VERIFIERS_BASE).filter((k) => !k.endsWith('_ms')),
      };
    },
  },
  {
    format: 'prime-rl',
    match(s) {
      if (!s.has('run_id', 'problem_id', 'sample_id', 'trajectory', 'advantage')) return null;
      return {
        fields: { prompt: 'prompt', completion: 'completion', reward: 'reward', advantage: 'advantage', group: 'problem_id', step: 'step', gold: s.has('answer') ? 'answer' : null },
        keys: ['run_id', 'problem_id', 'sample_id', 'trajectory', 'advantage'],
        variant: 'platform',
      };
    },
  },
  {
    format: 'trl',
    match(s, forced) {
      const base = s.has('step', 'prompt', 'completion');
      if (!base && !forced) return null;
      const withAdv = s.has('advantage');
      const total = s.has('reward') ? 'reward' : null;
      const columns = s.numericKeys(TRL_BASE);
      const notes: string[] = [];
      if (!total && columns.length > 0) notes.push(`reward = nansum of ${columns.join(', ')} with weights assumed 1 (no run config given)`);
      return {
        fields: { prompt: 'prompt', completion: 'completion', reward: total, advantage: withAdv ? 'advantage' : null, step: 'step' },
        keys: ['step', 'prompt', 'completion', ...(withAdv ? ['advantage'] : total ? ['reward'] : [])],
        variant: withAdv ? undefined : 'legacy',
        rewardColumns: columns,
        keepsOrder: true,
        notes,
        extra: withAdv ? undefined : 'no advantage column: TRL 0.15–0.17 table',
      };
    },
  },
  {
    format: 'verl-val',
    match(s) {
      if (!s.has('step', 'input_1', 'output_1', 'score_1')) return null;
      return {
        fields: { prompt: 'input_k', completion: 'output_k', reward: 'score_k', step: 'step' },
        keys: ['step', 'input_1', 'output_1', 'score_1'],
        variant: 'wide',
        split: 'val',
        extra: 'W&B val/generations wide rows, unpivoted',
      };
    },
  },
  {
    format: 'openrlhf',
    match(s, forced) {
      if (!s.has('global_step', 'text', 'reward') && !forced) return null;
      return { fields: { prompt: 'text', completion: 'text', reward: 'reward', step: 'global_step' }, keys: ['global_step', 'text', 'reward'] };
    },
  },
  {
    format: 'skyrl',
    match(s, forced) {
      if (!s.has('input_prompt', 'output_response', 'score', 'stop_reason') && !forced) return null;
      return {
        fields: {
          prompt: 'input_prompt', completion: 'output_response', reward: 'score', finishReason: 'stop_reason',
          gold: s.firstOf(['env_extras.reward_spec.ground_truth', 'env_extras.ground_truth', 'env_extras.answer']),
        },
        keys: ['input_prompt', 'output_response', 'score', 'stop_reason'],
        split: 'eval',
      };
    },
  },
  {
    format: 'simplerl',
    match(s, forced) {
      const ok = s.has('idx', 'question') && s.hasWith('code', isList) && s.hasWith('pred', isList) && s.hasWith('score', isList);
      if (!ok && !forced) return null;
      return {
        fields: { prompt: 'question', completion: 'code', reward: 'score', gold: 'gt', finishReason: 'finish_reason' },
        keys: ['idx', 'question', 'code', 'pred', 'score'],
        split: 'eval',
      };
    },
  },
  {
    format: 'open-instruct',
    match(s, forced) {
      if (!s.has('prompt_tokens', 'response_tokens', 'prompt_idx', 'advantage') && !forced) return null;
      return {
        fields: { prompt: null, completion: null, reward: 'reward', advantage: 'advantage', group: 'prompt_idx', step: 'step', gold: 'ground_truth', finishReason: 'finish_reason' },
        keys: ['prompt_tokens', 'response_tokens', 'prompt_idx', 'advantage'],
        extra: 'token ids only, no text',
      };
    },
  },
  {
    format: 'orz',
    match(s, forced) {
      if (!s.has('prompt', 'score', 'outputs.response') && !forced) return null;
      return {
        fields: { prompt: 'prompt', completion: 'outputs.response', reward: 'score', finishReason: 'outputs.stop_reason' },
        keys: ['prompt', 'score', 'outputs.response'],
      };
    },
  },
  {
    format: 'orz-eval',
    match(s, forced) {
      if (!s.has('prompt', 'output', 'final_answer', 'answer', 'iscorrect') && !forced) return null;
      return {
        fields: { prompt: 'prompt', completion: 'output', reward: 'iscorrect', gold: 'answer' },
        keys: ['prompt', 'output', 'final_answer', 'answer', 'iscorrect'],
        split: 'eval',
      };
    },
  },
  {
    format: 'orz',
    match(s) {
      if (!s.has('sequences', 'action_log_probs', 'advantages', 'action_mask')) return null;
      return {
        fields: { prompt: null, completion: null, reward: null, advantage: 'advantages' },
        keys: ['sequences', 'action_log_probs', 'advantages', 'action_mask'],
        variant: 'replay',
        extra: 'replay buffer: token ids only, no text',
      };
    },
  },
  {
    format: 'lighteval',
    match(s, forced) {
      if (!s.has('doc', 'model_response', 'metric') && !forced) return null;
      return {
        fields: { prompt: 'doc.query', completion: 'model_response.text', reward: 'metric', gold: 'doc.gold_index', reasoning: 'model_response.reasonings' },
        keys: ['doc', 'model_response', 'metric'],
        split: 'eval',
      };
    },
  },
  {
    format: 'slime',
    match(s, forced) {
      if (!s.has('group_index', 'index', 'response', 'label') && !forced) return null;
      return {
        fields: { prompt: 'prompt', completion: 'response', reward: 'reward', group: 'group_index', step: 'rollout_id', gold: 'label', finishReason: 'status', advantage: s.has('advantages') ? 'advantages' : null },
        keys: ['group_index', 'index', 'response', 'label'],
      };
    },
  },
  {
    format: 'rllogging-board',
    match(s, forced) {
      if (!s.has('prompt', 'response', 'reward', 'step') && !forced) return null;
      return { fields: { prompt: 'prompt', completion: 'response', reward: 'reward', step: 'step' }, keys: ['prompt', 'response', 'reward', 'step'] };
    },
  },
  {
    format: 'openr1-math',
    match(s, forced) {
      const ok = s.has('problem') && s.hasWith('generations', isList) && s.hasWith('correctness_math_verify', isList);
      if (!ok && !forced) return null;
      return {
        fields: { prompt: 'problem', completion: 'generations', reward: 'correctness_math_verify', gold: 'answer', finishReason: 'finish_reasons' },
        keys: ['problem', 'generations', 'correctness_math_verify'],
      };
    },
  },
  {
    format: 'reward-kit',
    match(s, forced) {
      if (!s.has('user_prompt', 'regenerated_content', 'evaluation_score') && !forced) return null;
      return {
        fields: { prompt: 'user_prompt', completion: 'regenerated_content', reward: 'evaluation_score', gold: 'original_assistant_content' },
        keys: ['user_prompt', 'regenerated_content', 'evaluation_score'],
      };
    },
  },
  {
    format: 'verl',
    match(s) {
      // verl main_generation parquet: the dataset columns plus `responses: list[str]`; one row = one group.
      if (!s.hasWith('responses', (v) => Array.isArray(v) && v.every(isString))) return null;
      const prompt = s.firstOf(PROMPT_NAMES);
      if (!prompt) return null;
      return {
        fields: { prompt, completion: 'responses', gold: gold(s) },
        keys: [prompt, 'responses'],
        variant: 'generation',
        extra: 'offline generation output, one row per group',
      };
    },
  },
];

function generic(s: SampledRecords, overrides: Fields): RuleMatch | null {
  const prompt = overrides.prompt ?? s.firstOf(PROMPT_NAMES);
  const completion = overrides.completion ?? s.firstOf(COMPLETION_NAMES.filter((n) => n !== prompt));
  if (!prompt || !completion) return null;
  const reward = s.firstOf(REWARD_NAMES);
  const keys = [prompt, completion, ...(reward ? [reward] : [])];
  return {
    fields: {
      prompt, completion, reward, step: s.firstOf(STEP_NAMES), group: s.firstOf(GROUP_NAMES), gold: gold(s),
      advantage: s.firstOf(ADVANTAGE_NAMES), finishReason: s.firstOf(FINISH_NAMES), reasoning: s.firstOf(REASONING_NAMES),
    },
    keys,
  };
}

function fullMap(f: Fields): FieldMap {
  const m = {} as FieldMap;
  for (const r of ROLES) m[r] = f[r] ?? null;
  return m;
}

/** The user's `--field` / fieldMapping overrides, written into `fields`; returns the roles they set. */
function applyOverrides(fields: FieldMap, opts: DetectOptions): Role[] {
  const overridden: Role[] = [];
  for (const r of ROLES) {
    const v = opts.fields?.[r];
    if (v !== undefined) {
      fields[r] = v;
      overridden.push(r);
    }
  }
  return overridden;
}

function build(format: FormatName, m: RuleMatch, s: SampledRecords, opts: DetectOptions, how: 'auto' | 'forced', unwrap: boolean): FormatDetection {
  const fields = fullMap(m.fields);
  const overridden = applyOverrides(fields, opts);
  const parts = [`${format}: ${how === 'forced' ? 'forced by the user' : `fields ${m.keys.join(', ')}`}`];
  if (m.extra) parts.push(m.extra);
  if (unwrap) parts.push('values unwrapped from one-element lists');
  if (overridden.length) parts.push(`overrides ${overridden.map((r) => `${r}=${fields[r] ?? ''}`).join(', ')}`);
  const det: FormatDetection = {
    format,
    reason: parts.join('; '),
    confidence: how === 'forced' ? 1 : format === 'generic' ? 0.5 : s.size === 0 ? 0 : 0.9,
    fields,
  };
  if (m.variant) det.variant = m.variant;
  if (m.split) det.split = m.split;
  if (overridden.length) det.overridden = overridden;
  if (m.rewardColumns && m.rewardColumns.length) det.rewardColumns = m.rewardColumns;
  if (unwrap) det.unwrapLists = true;
  if (m.keepsOrder) det.keepsOrder = true;
  if (m.notes && m.notes.length) det.notes = m.notes;
  return det;
}

/**
 * Recognises a file's format from its first records (≤ 20). Returns null when nothing looks like a rollout
 * (no prompt-like and completion-like key), so the caller can report "no record recognised".
 */
export function detectFormat(records: JsonValue[], opts: DetectOptions = {}): FormatDetection | null {
  const sample = records.slice(0, 20);
  const s = new SampledRecords(sample);
  const fileName = opts.fileName ?? '';
  const forced = opts.format && opts.format !== 'auto' ? opts.format : null;

  if (forced) {
    if (forced === 'inferred') {
      const inf = inferDetection(sample, opts);
      return inf === null ? null : buildInferred(inf, opts, 'forced');
    }
    if (forced === 'generic') {
      const m = generic(s, opts.fields ?? {}) ?? { fields: {}, keys: [] };
      return build('generic', m, s, opts, 'forced', false);
    }
    const rule = RULES.find((r) => r.format === forced || (forced === 'verl-val' && r.format === 'verl'));
    if (rule) {
      const m = rule.match(s, true, forced === 'verl-val' ? 'val' : fileName);
      if (m) return build(forced, { ...m, split: m.split ?? (forced === 'verl-val' ? 'val' : undefined) }, s, opts, 'forced', false);
    }
  }

  for (const rule of RULES) {
    const m = rule.match(s, false, fileName);
    if (m) return build(m.format ?? rule.format, m, s, opts, 'auto', false);
  }

  // §7.2: unwrap values before the fallback; a record whose values are all one-element lists is NeMo-style.
  const wrapped = s.size > 0 && s.share(isListWrappedValue) >= 0.9;
  const g = wrapped ? new SampledRecords(sample.map((v) => (isObject(v) ? unwrapOne(v) : v))) : s;
  const m = generic(g, opts.fields ?? {});
  if (m) return build('generic', m, g, opts, 'auto', wrapped);
  const inf = inferDetection(sample, opts);
  return inf === null ? null : buildInferred(inf, opts, 'auto');
}

interface InferredMatch {
  inference: Inference;
  /** Segments from each value to its records; empty when the values are the records. */
  segs: Segment[];
}

/** Records looked at per candidate record path (the expansions of the sampled values). */
const INFER_RECORDS = 200;

/**
 * Recognition by inference (infer.ts): on the values as they are, and on the records found inside them (nested
 * arrays of objects, step-keyed objects); the most confident reading wins, the values themselves on a tie.
 */
function inferDetection(sample: JsonValue[], opts: DetectOptions): InferredMatch | null {
  const fileName = opts.fileName ?? '';
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const pathStep = stepFromFileWords(base) ?? stepFromFolders(fileName);
  let best: InferredMatch | null = null;
  const root = inferRoles(sample, { pathStep });
  if (root) best = { inference: root, segs: [] };
  if (best && !best.inference.weak && best.inference.confidence >= 0.85) return best;
  const seen = new Set<string>();
  for (const v of sample.slice(0, 3)) {
    for (const segs of findRecordPaths(v)) {
      const key = formatPath(segs);
      if (seen.has(key)) continue;
      seen.add(key);
      const records: JsonValue[] = [];
      for (const r of sample) {
        if (records.length >= INFER_RECORDS) break;
        records.push(...expandRecordPath(r, segs).slice(0, INFER_RECORDS - records.length));
      }
      const inf = inferRoles(records, { pathStep });
      if (inf && (best === null || inf.confidence > best.inference.confidence)) best = { inference: inf, segs };
    }
  }
  return best;
}

function buildInferred(m: InferredMatch, opts: DetectOptions, how: 'auto' | 'forced'): FormatDetection {
  const inf = m.inference;
  const fields = fullMap(fieldsOfInference(inf));
  const overridden = applyOverrides(fields, opts);
  const recordPath = m.segs.length > 0 ? formatPath(m.segs) : null;
  const shown = (['completion', 'prompt', 'reward', 'gold', 'step', 'group'] as const)
    .filter((r) => inf.roles[r])
    .map((r) => `${r} ← ${inf.roles[r]?.field}`);
  const parts = [`inferred${how === 'forced' ? ' (format forced by the user)' : ''}: ${shown.join(', ')}`];
  if (recordPath) parts.push(`records at ${recordPath}`);
  parts.push(`confidence ${inf.confidence.toFixed(2)}${inf.weak ? ' (weak guess: check the fields)' : ''}`);
  if (overridden.length) parts.push(`overrides ${overridden.map((r) => `${r}=${fields[r] ?? ''}`).join(', ')}`);
  const det: FormatDetection = {
    format: 'inferred',
    reason: parts.join('; '),
    confidence: inf.confidence,
    fields,
    inference: { roles: inf.roles, confidence: inf.confidence, weak: inf.weak, missing: inf.missing, recordPath, hints: fieldHints(inf) },
  };
  if (inf.conversation) det.variant = 'conversation';
  if (overridden.length) det.overridden = overridden;
  return det;
}

function isListWrappedValue(o: JsonValue): boolean {
  return isObject(o) && isListWrapped(o);
}
