// A run's own conventions (issue #16 item 3): whether its completions are expected to carry reasoning tags, whether
// the template opens <think> in the prompt, and how answers are marked (answer tags, \boxed{}, ####). Decided once per
// run from the first samples (the prompts' instructions and what most completions do) and handed to every sample's
// analysis, so that format flags report deviations from the run's convention rather than from ours: a verl tool-use
// run that never uses <think> gets one run-level note instead of a "No reasoning tags" flag on each of its samples.

import { normaliseRecord } from '../formats/normalise';
import { segmentTrace } from '../trace/segment';
import type { FormatDetection, JsonValue } from '../types';
import { completionText, promptText } from './sample-text';

export type TagConvention = 'expected' | 'none' | 'mixed';
export type AnswerConvention = 'answer-tag' | 'boxed' | 'hash' | 'none';

export interface RunConventions {
  /**
   * 'expected': the prompts ask for reasoning tags, the template opens one, or most completions use them; a sample
   * without them is a deviation. 'none': no sampled completion uses them and no prompt asks. 'mixed': a minority
   * uses them unasked (not flagged per sample).
   */
  reasoningTags: TagConvention;
  /** The prompts end with the opening tag (ORZ's "Assistant: <think>", Qwen3/R1 chat templates). */
  thinkOpensInPrompt: boolean;
  /** How most completions (or the prompts' instructions) mark the final answer. */
  answer: AnswerConvention;
  /** Plain-language reasons, for summary --json, the status bar tooltip and the run-level note. */
  evidence: string;
  /** Samples the decision was made on. */
  sampled: number;
  /** Median completion length of those samples, in characters (what "long" means in this run, for truncation). */
  medianChars: number;
}

export interface ConventionSample {
  prompt: string | null;
  completion: string;
}

const ASKS_TAGS = /<think>|<\/think>|<reasoning>|<thought>|\breasoning process\b.{0,80}\btags?\b/i;
const ASKS_ANSWER_TAG = /<answer>/i;
const ASKS_BOXED = /\\boxed/;
const ASKS_HASH = /####/;

function share(n: number, of: number): string {
  return `${n} of ${of}`;
}

/** Decides the conventions from a run's first samples (at least one). */
export function inferConventions(samples: readonly ConventionSample[], tags?: { open: string; close: string }[]): RunConventions {
  const n = samples.length;
  let asked = 0;
  let opened = 0;
  let tagged = 0;
  let withPrompt = 0;
  const answers: Record<Exclude<AnswerConvention, 'none'>, number> = { 'answer-tag': 0, boxed: 0, hash: 0 };
  const askedAnswer: Record<Exclude<AnswerConvention, 'none'>, number> = { 'answer-tag': 0, boxed: 0, hash: 0 };
  for (const s of samples) {
    const seg = segmentTrace(s.completion, { prompt: s.prompt ?? undefined, tags });
    if (s.prompt) {
      withPrompt++;
      if (ASKS_TAGS.test(s.prompt)) asked++;
      if (ASKS_ANSWER_TAG.test(s.prompt)) askedAnswer['answer-tag']++;
      if (ASKS_BOXED.test(s.prompt)) askedAnswer.boxed++;
      if (ASKS_HASH.test(s.prompt)) askedAnswer.hash++;
    }
    if (seg.promptEndsWithOpenTag) opened++;
    if (seg.state !== 'none') tagged++;
    if (seg.answerTag) answers['answer-tag']++;
    else if (s.completion.includes('\\boxed')) answers.boxed++;
    else if (s.completion.includes('####')) answers.hash++;
  }
  const half = n / 2;
  const why: string[] = [];
  let reasoningTags: TagConvention;
  if (opened > half) {
    reasoningTags = 'expected';
    why.push(`reasoning tags expected: the prompt ends with the opening tag in ${share(opened, n)} sampled records`);
  } else if (withPrompt > 0 && asked > withPrompt / 2) {
    reasoningTags = 'expected';
    why.push(`reasoning tags expected: the prompt asks for them in ${share(asked, withPrompt)} sampled records`);
  } else if (tagged > half) {
    reasoningTags = 'expected';
    why.push(`reasoning tags expected: ${share(tagged, n)} sampled completions use them`);
  } else if (tagged === 0) {
    reasoningTags = 'none';
    why.push(`no reasoning tags: none of ${n} sampled completions use them${withPrompt > 0 ? ' and the prompt does not ask for them' : ''}`);
  } else {
    reasoningTags = 'mixed';
    why.push(`reasoning tags optional: ${share(tagged, n)} sampled completions use them, unasked`);
  }
  // What most completions do decides; the prompts' instruction only when no marker is common (a run whose prompt
  // asks for <answer> while its model writes "#### 42" has the convention its samples follow).
  let answer: AnswerConvention = 'none';
  for (const k of ['answer-tag', 'boxed', 'hash'] as const) if (answers[k] > half && (answer === 'none' || answers[k] > answers[answer])) answer = k;
  if (answer === 'none' && withPrompt > 0) {
    for (const k of ['answer-tag', 'boxed', 'hash'] as const) if (askedAnswer[k] > withPrompt / 2 && answer === 'none') answer = k;
  }
  const label: Record<AnswerConvention, string> = { 'answer-tag': '<answer> tags', boxed: '\\boxed{}', hash: '####', none: '' };
  if (answer === 'none') why.push('no common answer marker');
  else why.push(`answers in ${label[answer]} (${share(answers[answer], n)} sampled completions${askedAnswer[answer] > withPrompt / 2 ? ', as the prompt asks' : ''})`);
  const lengths = samples.map((s) => s.completion.length).sort((a, b) => a - b);
  const medianChars = lengths.length > 0 ? lengths[lengths.length >> 1]! : 0;
  return { reasoningTags, thinkOpensInPrompt: opened > half, answer, evidence: why.join('; '), sampled: n, medianChars };
}

/** Without a run (one sample on its own): tags are expected only when its prompt asks for them or opens one. */
export function promptExpectsTags(prompt: string | null | undefined, promptEndsWithOpenTag: boolean): boolean {
  return promptEndsWithOpenTag || (prompt !== null && prompt !== undefined && ASKS_TAGS.test(prompt));
}

/** The one run-level note for a run whose convention has no reasoning tags (summary, status bar). */
export function conventionNote(c: RunConventions): string | null {
  if (c.reasoningTags === 'expected') return null;
  const head = c.reasoningTags === 'none' ? 'This run does not use reasoning tags' : 'Reasoning tags are optional in this run';
  return `${head}: samples are not flagged for lacking them (${c.evidence})`;
}

/** The conventions of a run from its first raw records (the format detection window), normalised with `det`. */
export function conventionsOfRecords(values: readonly JsonValue[], det: FormatDetection, file = ''): RunConventions | null {
  const samples: ConventionSample[] = [];
  values.forEach((value, i) => {
    const out = normaliseRecord({ value, source: { file, line: null, record: i + 1, byteOffset: null, rowIndex: null } }, det, { stepFromName: null, split: null });
    if (!Array.isArray(out)) return;
    for (const s of out) samples.push({ prompt: promptText(s.prompt), completion: completionText(s.completion) });
  });
  return samples.length > 0 ? inferConventions(samples) : null;
}
