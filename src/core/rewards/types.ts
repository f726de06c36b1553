// Shared types of the reward registry. A reward is a pure function of one sample (plus, for group-relative rewards,
// the lengths of its group), so that the same code runs in the extension host, in a worker and in the CLI.

/**
 * Everything a reward may look at for one sample. Only `completion` is required; a reward that needs a missing field
 * returns null ("does not apply") instead of guessing.
 */
export interface RewardInput {
  /** The generated text (the assistant turn), as logged. */
  completion: string;
  /**
   * Multi-turn / agentic samples only: the parts of `completion` the model wrote itself, as the text rewards read
   * them (built by src/core/trajectory/reward-text.ts). Absent or null: the whole `completion` is the model's text,
   * which is every single-turn sample, scored exactly as before.
   */
  modelText?: ModelText | null;
  /** The prompt text. Used to notice a prompt that ends with `<think>` (the completion then starts inside reasoning). */
  prompt?: string | null;
  /** Gold answer: a string (bare LaTeX, `$…$`, prose containing `\boxed{}`), a number, or an array of acceptable answers. */
  gold?: unknown;
  /** Completion token ids, for the token-unit rewards (TRL repetition, DAPO overlong, TRL cosine). */
  completionTokenIds?: number[] | null;
  /** Completion length in tokens when the ids are not logged. Ignored when `completionTokenIds` is given. */
  lengthTokens?: number | null;
  /** `finish_reason` / `stop_reason` (`"length"` means truncated). Informational for now. */
  finishReason?: string | null;
  /** Target language for `language_consistency` (BCP-47 / ISO 639-1, e.g. `en`, `zh`). */
  targetLanguage?: string | null;
  /**
   * Correctness decided elsewhere (a logged accuracy, or a test vector). When set, length-shaped rewards that depend on
   * correctness (cosine, Kimi length) use it instead of running the accuracy pipeline.
   */
  isCorrect?: boolean | null;
  /**
   * Character lengths (Python `len`, i.e. code points) of every completion of this sample's GRPO group, this one
   * included. Needed by the group-relative Kimi 1.5 length reward; absent → that reward is null.
   */
  groupLengths?: number[] | null;
}

/** What the text rewards of a multi-turn sample read instead of the whole completion (tool replies included). */
export interface ModelText {
  /** The model turns after the environment last spoke: where the final answer and the format are. */
  final: string;
  /** Every model turn, joined by a blank line (tool results and user turns left out). */
  own: string;
  /** The reasoning of every model turn (each turn's `<think>` text, or the turn when untagged), tool calls left out. */
  reasoning: string;
}

export type ParamValue = number | boolean | string;
export type RewardParams = Record<string, ParamValue>;

export interface ParameterSpec {
  name: string;
  description: string;
  default: ParamValue;
}

export interface RewardDefinition {
  /** Stable identifier, used in settings, CLI flags and result columns. */
  name: string;
  /** Plain-language description for the UI. */
  description: string;
  /** `parity`: reproduces an upstream function exactly (quirks included); `lens`: Rollout Lens' own definition. */
  kind: 'parity' | 'lens';
  /**
   * Upstream functions this reward reproduces, as named in the `function` field of the peer reward vectors (the part
   * before any parenthesised unit note) and the project that owns it (`suite` prefix).
   */
  upstream: { project: 'open-r1' | 'trl' | 'verl' | 'deepseek-r1' | 'dapo'; function: string }[];
  parameters: ParameterSpec[];
  /** Score one sample; null when the reward does not apply (e.g. accuracy without gold). Throws on invalid params. */
  score(input: RewardInput, params: RewardParams): number | null;
}

/** Reads a numeric parameter, falling back to the spec default. */
export function numParam(params: RewardParams, name: string, fallback: number): number {
  const v = params[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export function boolParam(params: RewardParams, name: string, fallback: boolean): boolean {
  const v = params[name];
  return typeof v === 'boolean' ? v : fallback;
}

export function strParam(params: RewardParams, name: string, fallback: string): string {
  const v = params[name];
  return typeof v === 'string' ? v : fallback;
}

/** Default parameter values of a definition, overlaid with the caller's. */
export function withDefaults(def: RewardDefinition, params: RewardParams | undefined): RewardParams {
  const out: RewardParams = {};
  for (const p of def.parameters) out[p.name] = p.default;
  return { ...out, ...(params ?? {}) };
}
