// The contract for rewards that are not pure functions of one sample in this process: the user's own reward function
// (a JS module or a Python file run in a subprocess) and the code-execution reward (programs run against test cases in
// a sandboxed subprocess). They score a batch at a time, asynchronously, may be cancelled, and report errors per
// sample instead of aborting the run. The implementations live in src/node (they spawn processes); the scoring
// pipeline, the CLI and the extension only see this interface.
import type { JsonValue } from '../types';

/** One sample as a batch reward sees it. */
export interface BatchRewardInput {
  /** Sample index in the run (stable id for results and cancellation). */
  index: number;
  /** Prompt as plain text (chat messages flattened), or null when the record has none. */
  prompt: string | null;
  /** Completion as plain text (the assistant turn). */
  completion: string;
  /** Gold answer / ground truth as logged (verl `reward_model.ground_truth`, TRL `solution`, …). */
  gold: JsonValue | undefined;
  /** verl `data_source` when logged (routes verl's default_compute_score). */
  dataSource: string | null;
  /** The untouched original record: TRL passes every dataset column as **kwargs; code tests live here too. */
  record: JsonValue;
}

/** What a batch reward says about one sample. */
export interface BatchRewardResult {
  /** The score, or null when it does not apply or failed (then `error` says why). */
  score: number | null;
  /** Per-sample failure (exception text, timeout, wrong return type); the rest of the batch still counts. */
  error?: string;
  /** Reward-specific detail shown in the sample view and `score --json` (e.g. per-test results of the code reward). */
  detail?: JsonValue;
}

export interface BatchReward {
  /** Column name in results (`code`, `binary_code`, or the user function's name). */
  readonly name: string;
  /** Plain-language description for pickers and reports. */
  readonly description: string;
  /**
   * Scores a batch; resolves with one result per input, in order. Rejects only when the reward cannot run at all
   * (interpreter missing, module fails to load); errors of single samples are results. Stops promptly on `signal`.
   */
  score(batch: readonly BatchRewardInput[], signal: AbortSignal): Promise<BatchRewardResult[]>;
  /** Releases subprocesses and temp files. */
  dispose(): Promise<void>;
}
