// Recognition by inference, when no known format matches (issue #16): each role is inferred from the field names
// AND the values of the sampled records, and carries the evidence that chose it, so that a guess is never silent.
//  - completion: the longest natural-language text (or an assistant message list, or a list of texts: a group);
//  - prompt: a text or message list named like a prompt (question, problem, query, instruction, input, …);
//  - reward: a number or boolean (also "True", `[[0.8]]`) named like a score (score, correct, acc, pass, …);
//  - gold / extracted answer / group / step / finish reason / reasoning: by name, checked against the values.
// A file is only accepted with a completion AND a named prompt, reward or gold answer, so unrelated JSON (app logs,
// package.json, metrics) stays unrecognised.
import type { FieldMap, JsonObject, JsonValue, Role, RoleEvidence } from '../types';
import { GROUP_FIELD, STEP_FIELD, PATH_FIELD } from './nested';
import { isMessageList, isObject } from './values';

/** Roles of FieldMap plus the extracted answer, which is shown but not read. */
export type InferredRole = Role | 'answer';

export type { RoleEvidence } from '../types';

export interface Inference {
  roles: Partial<Record<InferredRole, RoleEvidence>>;
  /** Overall confidence (0–1): the completion's, lowered when the prompt or the reward is missing. */
  confidence: number;
  /** Below WEAK: shown as a guess with a one-click mapping (viewer) or the --field to pass (CLI). */
  weak: boolean;
  /** Roles looked for and not found, with what was looked for. */
  missing: string[];
  /** `prompt` + `completion` are one conversation list, split at the first assistant message. */
  conversation?: boolean;
}

export const WEAK = 0.6;

const SAMPLE_CAP = 200;

function words(path: string): string[] {
  const last = path.slice(path.lastIndexOf('.') + 1);
  return last.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1).replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

const has = (ws: string[], set: ReadonlySet<string>): boolean => ws.some((w) => set.has(w));

const PROMPT_NAMES = new Set(['prompt', 'prompts', 'question', 'problem', 'query', 'instruction', 'full_prompt', 'input', 'inputs', 'messages',
  'user_prompt', 'input_prompt', 'prompt_text', 'question_text', 'problem_text', 'user_input', 'conversation', 'chat', 'context']);
const PROMPT_WORDS = new Set(['prompt', 'question', 'problem', 'instruction', 'query']);
const COMPLETION_WORDS = new Set(['response', 'responses', 'output', 'outputs', 'completion', 'completions', 'generation', 'generations',
  'generated', 'reply', 'trace', 'traces', 'rollout', 'text', 'content', 'samples', 'sample', 'continuation']);
const REWARD_WORDS = new Set(['reward', 'rewards', 'score', 'scores', 'correct', 'iscorrect', 'correctness', 'acc', 'accuracy', 'pass',
  'passed', 'success', 'solved', 'match', 'em', 'judge', 'grade', 'verdict', 'right']);
const NOT_REWARD_WORDS = new Set(['id', 'idx', 'ms', 'time', 'tokens', 'token', 'len', 'length', 'count', 'num', 'std', 'version']);
const GOLD_WORDS = new Set(['gold', 'gt', 'gts', 'ground', 'groundtruth', 'truth', 'reference', 'ref', 'expected', 'target', 'label', 'labels']);
const GOLD_NAMES = new Set(['answer', 'answers', 'solution', 'correct_answer', 'true_answer', 'answer_key', 'gold_answer']);
const EXTRACTED_WORDS = new Set(['final', 'extracted', 'pred', 'predicted', 'parsed', 'model', 'generated']);
const EXTRACTED_NAMES = new Set(['pred', 'preds', 'prediction', 'predictions', 'extracted', 'final_answer', 'parsed_answer', 'extracted_answer']);
const GROUP_NAMES = new Set(['group_id', 'group_index', 'group_idx', 'group', 'uid', 'prompt_idx', 'prompt_id', 'prompt_uid', 'example_id',
  'task_id', 'problem_id', 'problem_idx', 'question_id', 'question_idx', 'qid', 'query_id', 'unique_id', 'prompt_hash']);
const STEP_NAMES = new Set(['step', 'global_step', 'global_steps', 'iteration', 'iter', 'epoch', 'training_step', 'train_step', 'trainer_step',
  'checkpoint', 'ckpt', 'rollout_step', 'policy_step', 'step_idx']);
const FINISH_NAMES = new Set(['finish_reason', 'stop_reason', 'finish_reasons', 'stop_reasons']);
const REASONING_NAMES = new Set(['reasoning_content', 'reasoning', 'thinking', 'thoughts', 'reasoning_text', 'think']);

const BOOL_STRINGS = new Set(['true', 'false']);

function isProse(s: string): boolean {
  if (s.length < 16) return false;
  if (!/\s/.test(s)) return false;
  let letters = 0;
  const n = Math.min(s.length, 2000);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 0x2e7f) letters++;
  }
  return letters / n >= 0.3;
}

function isBoolish(v: JsonValue): boolean {
  return typeof v === 'boolean' || (typeof v === 'string' && BOOL_STRINGS.has(v.trim().toLowerCase()));
}

function isNumberish(v: JsonValue): boolean {
  return (typeof v === 'number') || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));
}

/** A list whose leaves (up to 3 levels: `[[0.8]]`) are all numbers or booleans. */
function isScoreList(v: JsonValue, depth = 0): boolean {
  if (!Array.isArray(v) || v.length === 0 || depth > 3) return false;
  return v.every((x) => (Array.isArray(x) ? isScoreList(x, depth + 1) : x === null || isNumberish(x) || isBoolish(x)));
}

function assistantChars(v: JsonObject[]): number {
  let n = 0;
  for (const m of v) if (m.role === 'assistant' && typeof m.content === 'string') n += m.content.length;
  return n;
}

function hasRole(v: JsonObject[], role: string): boolean {
  return v.some((m) => m.role === role);
}

/** A list of completions (a group in one record): texts or message lists. */
function isTextList(v: JsonValue): v is JsonValue[] {
  if (!Array.isArray(v) || v.length === 0 || isMessageList(v)) return false;
  if (v.every((x) => typeof x === 'string')) return v.some((x) => isProse(x as string));
  return v.every((x) => isMessageList(x));
}

function textLength(v: JsonValue): number {
  if (typeof v === 'string') return v.length;
  if (isMessageList(v)) return assistantChars(v) || v.reduce((a, m) => a + (typeof m.content === 'string' ? m.content.length : 0), 0);
  if (Array.isArray(v)) {
    const lens = v.map(textLength).sort((a, b) => a - b);
    return lens.length ? lens[lens.length >> 1] : 0;
  }
  return 0;
}

interface FieldStats {
  path: string;
  present: number;
  prose: number;
  messages: number;
  /** Message lists holding an assistant turn (a completion) / ending on a user turn (a prompt). */
  assistantLists: number;
  userEnding: number;
  /** Records where the message list has both user and assistant turns. */
  conversations: number;
  textLists: number;
  listLengths: number[];
  bools: number;
  numbers: number;
  scoreLists: number;
  ids: number;
  strings: number;
  lengths: number[];
  distinct: Set<string>;
}

function newStats(path: string): FieldStats {
  return {
    path, present: 0, prose: 0, messages: 0, assistantLists: 0, userEnding: 0, conversations: 0, textLists: 0, listLengths: [],
    bools: 0, numbers: 0, scoreLists: 0, ids: 0, strings: 0, lengths: [], distinct: new Set(),
  };
}

function observe(st: FieldStats, v: JsonValue): void {
  if (v === null) return;
  st.present++;
  if (typeof v === 'string') {
    st.strings++;
    if (isProse(v)) st.prose++;
    if (isBoolish(v)) st.bools++;
    else if (isNumberish(v)) st.numbers++;
    if (v.length <= 200 && st.distinct.size < 5000) st.distinct.add(v);
    if (v.length <= 200) st.ids++;
  } else if (typeof v === 'number') {
    st.numbers++;
    if (Number.isInteger(v)) {
      st.ids++;
      if (st.distinct.size < 5000) st.distinct.add(String(v));
    }
  } else if (typeof v === 'boolean') {
    st.bools++;
  } else if (isMessageList(v)) {
    st.messages++;
    if (hasRole(v, 'assistant')) st.assistantLists++;
    if (v[v.length - 1].role === 'user') st.userEnding++;
    if (hasRole(v, 'assistant') && hasRole(v, 'user')) st.conversations++;
  } else if (Array.isArray(v)) {
    const list: JsonValue[] = v;
    if (isTextList(list)) {
      st.textLists++;
      st.listLengths.push(list.length);
    } else if (isScoreList(v)) {
      st.scoreLists++;
      st.listLengths.push(v.length);
    }
  }
  st.lengths.push(textLength(v));
}

/** Field paths of a record: its keys and, one level down, the keys of its plain objects (`doc.query`). */
function fieldsOf(o: JsonObject): [string, JsonValue][] {
  const out: [string, JsonValue][] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k === PATH_FIELD) continue;
    out.push([k, v]);
    if (isObject(v) && !k.startsWith('@')) for (const [k2, v2] of Object.entries(v)) out.push([`${k}.${k2}`, v2]);
  }
  return out;
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function pct(n: number, total: number): string {
  return `${Math.round((100 * n) / Math.max(1, total))} %`;
}

function chars(n: number): string {
  return `${n.toLocaleString('en-US')} chars`;
}

const SHARE = 0.9;

export interface InferOptions {
  /** Step found in the file path (`global_step_250/`), with the path part it came from. */
  pathStep?: { step: number; part: string } | null;
}

/** Infers the roles of `records` (flat objects); null when nothing rollout-like is there (see the file comment). */
export function inferRoles(records: readonly JsonValue[], opts: InferOptions = {}): Inference | null {
  const objs = records.filter(isObject).slice(0, SAMPLE_CAP);
  const total = objs.length;
  if (total === 0) return null;
  const stats = new Map<string, FieldStats>();
  const perRecord: [string, JsonValue][][] = [];
  for (const o of objs) {
    const fields = fieldsOf(o);
    perRecord.push(fields);
    for (const [p, v] of fields) {
      let st = stats.get(p);
      if (!st) stats.set(p, (st = newStats(p)));
      observe(st, v);
    }
  }
  const all = [...stats.values()];
  const share = (n: number): number => n / total;
  const roles: Partial<Record<InferredRole, RoleEvidence>> = {};
  const missing: string[] = [];
  const taken = new Set<string>();

  // Extracted answer, gold and reasoning first: they are texts that must not be taken for the completion.
  const answerField = all.find((s) => {
    const n = nameOf(s.path);
    const ws = words(s.path);
    return (EXTRACTED_NAMES.has(n) || (ws.includes('answer') && has(ws, EXTRACTED_WORDS))) && share(s.strings + s.numbers + s.textLists) >= SHARE;
  });
  if (answerField) {
    roles.answer = { field: answerField.path, evidence: `${answerField.path}: named like an extracted answer, short text in ${pct(answerField.strings + answerField.textLists, total)} of records`, confidence: 0.7 };
    taken.add(answerField.path);
  }
  const goldCandidates = all.filter((s) => {
    if (taken.has(s.path)) return false;
    const n = nameOf(s.path);
    const ws = words(s.path);
    const named = GOLD_NAMES.has(n) || (has(ws, GOLD_WORDS) && !has(ws, REWARD_WORDS));
    return named && share(s.present) >= SHARE && s.messages === 0 && s.bools < s.present;
  });
  goldCandidates.sort((a, b) => goldRank(b.path) - goldRank(a.path));
  const gold = goldCandidates[0];
  if (gold) {
    roles.gold = { field: gold.path, evidence: `${gold.path}: named like a reference answer, present in ${pct(gold.present, total)} of records`, confidence: goldRank(gold.path) >= 2 ? 0.85 : 0.7 };
    taken.add(gold.path);
  }
  for (const s of all) if (REASONING_NAMES.has(nameOf(s.path)) && share(s.strings) >= SHARE && !roles.reasoning) {
    roles.reasoning = { field: s.path, evidence: `${s.path}: named like separate reasoning, text in ${pct(s.strings, total)} of records`, confidence: 0.8 };
    taken.add(s.path);
  }

  // Prompt: named like one, text or messages; or a message list ending on a user turn.
  const promptCandidates = all.filter((s) => {
    if (taken.has(s.path)) return false;
    const n = nameOf(s.path);
    const named = PROMPT_NAMES.has(n) || has(words(s.path), PROMPT_WORDS);
    return named && share(s.strings + s.messages) >= SHARE && (s.prose > 0 || s.messages > 0);
  });
  promptCandidates.sort((a, b) => promptRank(b) - promptRank(a));
  const prompt: FieldStats | null = promptCandidates[0] ?? all.find((s) => !taken.has(s.path) && share(s.userEnding) >= SHARE) ?? null;
  // A chat list with the assistant turns inside it is a whole conversation: prompt and completion at once.
  const conversation = prompt !== null && share(prompt.conversations) >= SHARE
    && !all.some((s) => s !== prompt && !taken.has(s.path) && share(s.prose + s.assistantLists) >= SHARE && COMPLETION_WORDS.has(nameOf(s.path)));
  if (prompt) {
    const named = PROMPT_NAMES.has(nameOf(prompt.path)) || has(words(prompt.path), PROMPT_WORDS);
    const what = prompt.messages > 0 ? 'chat messages' : 'text';
    roles.prompt = {
      field: prompt.path,
      evidence: conversation
        ? `${prompt.path}: one conversation per record (user and assistant turns); the prompt is everything before the first assistant turn`
        : `${prompt.path}: ${named ? 'named like a prompt' : 'message list ending on a user turn'}, ${what} in ${pct(prompt.strings + prompt.messages, total)} of records`,
      confidence: named ? 0.9 : 0.6,
    };
    taken.add(prompt.path);
  } else {
    missing.push('prompt: no text or chat field named prompt/question/problem/query/instruction/input');
  }

  // Completion: the longest natural-language text (or assistant messages, or a list of texts) per record.
  let completion: FieldStats | null = null;
  let completionEvidence = '';
  let completionConfidence = 0;
  if (conversation && prompt) {
    completion = prompt;
    completionEvidence = `${prompt.path}: the assistant turns of each conversation (${pct(prompt.conversations, total)} of records)`;
    completionConfidence = 0.8;
  } else {
    const candidates = all.filter((s) => !taken.has(s.path) && share(s.prose + s.assistantLists + s.textLists) >= SHARE && !s.path.startsWith('@'));
    if (candidates.length > 0) {
      const longest = new Map<string, number>();
      for (const fields of perRecord) {
        let best: string | null = null;
        let bestLen = -1;
        for (const [p, v] of fields) {
          if (!candidates.some((c) => c.path === p)) continue;
          const len = textLength(v);
          if (len > bestLen) {
            best = p;
            bestLen = len;
          }
        }
        if (best !== null) longest.set(best, (longest.get(best) ?? 0) + 1);
      }
      const named = (s: FieldStats): boolean => has(words(s.path), COMPLETION_WORDS);
      candidates.sort((a, b) => (longest.get(b.path) ?? 0) - (longest.get(a.path) ?? 0) || median(b.lengths) - median(a.lengths));
      const top = candidates[0];
      // A field named like a completion wins over a longer one that is not (a long `context` or `document`).
      const byName = candidates.find(named);
      completion = byName && !named(top) && median(byName.lengths) >= 0.25 * median(top.lengths) ? byName : top;
      const wins = longest.get(completion.path) ?? 0;
      const kind = completion.textLists > 0 ? `a list of ${median(completion.listLengths)} texts per record (one group per record)`
        : completion.assistantLists > 0 ? 'assistant messages' : 'text';
      completionEvidence = `${completion.path}: ${completion === top ? `longest text in ${pct(wins, total)} of records` : `named like a completion, longest in ${pct(wins, total)} of records`}, ${kind}, median ${chars(median(completion.lengths))}`;
      completionConfidence = 0.45 + (named(completion) ? 0.35 : 0) + 0.15 * share(wins);
      const runnerUp = candidates.find((c) => c !== completion);
      if (runnerUp && named(runnerUp) === named(completion) && median(runnerUp.lengths) >= 0.6 * median(completion.lengths)) {
        completionConfidence -= 0.3;
        completionEvidence += `; ${runnerUp.path} is almost as long (median ${chars(median(runnerUp.lengths))}): ambiguous`;
      }
      completionConfidence = Math.min(0.95, Math.max(0.1, completionConfidence));
    }
  }
  if (!completion) return null;
  roles.completion = { field: completion.path, evidence: completionEvidence, confidence: round2(completionConfidence) };
  taken.add(completion.path);
  const group = completion.textLists > 0;

  // Reward: numeric or boolean, named like a score; for a list of completions, a list of the same length.
  const rewardCandidates = all.filter((s) => {
    if (taken.has(s.path) || s.path.startsWith('@')) return false;
    const ws = words(s.path);
    if (!has(ws, REWARD_WORDS) || has(ws, NOT_REWARD_WORDS)) return false;
    return share(s.numbers + s.bools + s.scoreLists) >= SHARE && s.strings - s.bools - s.numbers <= 0;
  });
  rewardCandidates.sort((a, b) => rewardRank(b, group) - rewardRank(a, group));
  const reward = rewardCandidates[0];
  if (reward) {
    const kind = reward.scoreLists > 0 ? (group ? 'a list of scores, one per completion' : 'a (nested) list of numbers, summed')
      : reward.bools >= reward.numbers ? 'boolean' : 'numeric';
    const others = rewardCandidates.slice(1, 4).map((c) => c.path);
    roles.reward = {
      field: reward.path,
      evidence: `${reward.path}: named like a score, ${kind} in ${pct(reward.numbers + reward.bools + reward.scoreLists, total)} of records${others.length ? `; other score fields: ${others.join(', ')}` : ''}`,
      confidence: words(reward.path).includes('reward') ? 0.9 : 0.8,
    };
    taken.add(reward.path);
  } else {
    missing.push('reward: no numeric or boolean field named reward/score/correct/acc/pass');
  }

  // Group: an explicit id that repeats, or the enclosing item of a nested collection.
  const groupField = stats.get(GROUP_FIELD);
  if (groupField && share(groupField.present) >= SHARE) {
    roles.group = { field: GROUP_FIELD, evidence: `${GROUP_FIELD}: records sit inside the same item of a nested collection (${groupField.distinct.size} items)`, confidence: 0.85 };
  } else if (group) {
    roles.group = { field: completion.path, evidence: `${completion.path}: each record holds a list of completions, read as one group`, confidence: 0.85 };
  } else {
    const g = all.find((s) => !taken.has(s.path) && GROUP_NAMES.has(nameOf(s.path)) && share(s.ids) >= SHARE && (s.distinct.size < s.present || s.present < 4));
    if (g) roles.group = { field: g.path, evidence: `${g.path}: named like a group id, ${g.distinct.size} distinct value${g.distinct.size === 1 ? '' : 's'} in ${g.present} records`, confidence: 0.8 };
  }
  if (roles.group && roles.group.field !== completion.path) taken.add(roles.group.field);

  // Step: a step key of the container, a field, or the path.
  const stepKey = stats.get(STEP_FIELD);
  if (stepKey && share(stepKey.present) >= SHARE) {
    const vals = [...stepKey.distinct].map(Number).sort((a, b) => a - b);
    roles.step = { field: STEP_FIELD, evidence: `keys of a step-keyed object (${vals.length > 1 ? `${vals[0]}…${vals[vals.length - 1]}` : vals[0] ?? '?'})`, confidence: 0.9 };
  } else {
    const st = all.find((s) => !taken.has(s.path) && STEP_NAMES.has(nameOf(s.path)) && share(s.numbers) >= SHARE);
    if (st) roles.step = { field: st.path, evidence: `${st.path}: named like a training step, a number in ${pct(st.numbers, total)} of records`, confidence: 0.85 };
    else if (opts.pathStep) roles.step = { field: `path:${opts.pathStep.part}`, evidence: `the file path names step ${opts.pathStep.step} ('${opts.pathStep.part}')`, confidence: 0.8 };
  }
  const finish = all.find((s) => !taken.has(s.path) && FINISH_NAMES.has(nameOf(s.path)) && share(s.strings + s.textLists) >= 0.5);
  if (finish) roles.finishReason = { field: finish.path, evidence: `${finish.path}: named like a finish reason`, confidence: 0.85 };

  // Accept only with a named prompt, reward or gold answer beside the text: an app log has text but none of these.
  if (!roles.prompt && !roles.reward && !roles.gold) return null;
  let confidence = completionConfidence * (roles.prompt ? 1 : 0.75) * (roles.reward ? 1 : 0.85);
  confidence = round2(confidence);
  const out: Inference = { roles, confidence, weak: confidence < WEAK || completionConfidence < WEAK, missing };
  if (conversation) out.conversation = true;
  return out;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function goldRank(path: string): number {
  const ws = words(path);
  if (ws.includes('gold') || ws.includes('ground') || ws.includes('groundtruth') || ws.includes('reference') || ws.includes('expected')) return 3;
  if (ws.includes('gt') || ws.includes('gts') || ws.includes('target')) return 2;
  return 1;
}

function promptRank(s: FieldStats): number {
  const n = nameOf(s.path);
  return (n === 'prompt' || n === 'full_prompt' ? 3 : PROMPT_NAMES.has(n) ? 2 : 1) + (s.messages > 0 ? 0.5 : 0);
}

function rewardRank(s: FieldStats, group: boolean): number {
  const ws = words(s.path);
  let r = ws.includes('reward') || ws.includes('rewards') ? 3 : ws.includes('score') || ws.includes('scores') ? 2 : 1;
  // A predicted score (reward model, judge estimate) ranks below a verified one of the same shape.
  if (ws.includes('pred') || ws.includes('predicted') || ws.includes('rm')) r -= 1.5;
  if (group && s.scoreLists > 0) r += 3;
  if (!group && s.scoreLists === 0) r += 1;
  return r;
}

/** The field map of an inference: roles that are read (the extracted answer and a path step are only shown). */
export function fieldsOfInference(inf: Inference): Partial<FieldMap> {
  const f: Partial<FieldMap> = {};
  for (const [role, ev] of Object.entries(inf.roles) as [InferredRole, RoleEvidence][]) {
    if (role === 'answer' || ev.field.startsWith('path:')) continue;
    if (role === 'group' && ev.field === inf.roles.completion?.field) continue; // the row itself is the group
    f[role] = ev.field;
  }
  return f;
}

/** `--field role=name` arguments that would settle a weak or incomplete guess (for the CLI message). */
export function fieldHints(inf: Inference): string[] {
  const hints: string[] = [];
  for (const role of ['completion', 'prompt', 'reward'] as const) {
    const ev = inf.roles[role];
    if (!ev) hints.push(`--field ${role}=<name>`);
    else if (ev.confidence < WEAK) hints.push(`--field ${role}=<name> (guessed ${ev.field})`);
  }
  return hints;
}
