// Shared data model of the core. Every reader produces RawRecords; format detection turns them into Samples
// (docs/formats.md §7.6). Kept in one small file so that every layer (node, extension, cli, webview protocol) agrees.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Where a record came from, for jump-to-source and error messages. */
export interface SourceRef {
  /** Path of the file as given by the caller. */
  file: string;
  /** 1-based line in a JSONL file; null for parquet rows, JSON array items and columnar rows. */
  line: number | null;
  /** 1-based index among the records of this file (after container expansion). */
  record: number;
  /** Byte offset of the line / item start in the file, when known (random access). */
  byteOffset: number | null;
  /** 0-based row inside a container (parquet row, array item, columnar row). */
  rowIndex: number | null;
}

/** A JSON value as read from a file, before format detection. */
export interface RawRecord {
  value: JsonValue;
  source: SourceRef;
}

/** A line or item that is not a usable record. */
export interface BadLine {
  file?: string;
  /** 1-based line (JSONL) or item/row number. */
  line: number;
  error: string;
}

/** Notes about the read that are not errors (invalid UTF-8 replaced, pending last line, etc.). */
export interface ReadNote {
  file?: string;
  line: number | null;
  kind: 'invalid-utf8' | 'incomplete-last-line' | 'bom' | 'non-finite-number' | 'info';
  message: string;
}

export interface ChatMessage {
  role: string;
  content: string;
  /** Reasoning stored separately by the API (e.g. reasoning_content). */
  reasoning?: string;
  /** OpenAI/HF `tool_calls` as stored: objects, or JSON strings (verifiers); parsed by src/core/trajectory. */
  toolCalls?: JsonValue[];
  /** A tool result's `tool_call_id`. */
  toolCallId?: string;
  /** A tool result's tool `name`, when the writer stores it. */
  name?: string;
}
export type TextOrMessages = string | ChatMessage[];

export const FORMAT_NAMES = [
  'verl', 'verl-val', 'trl', 'nemo-rl', 'roll', 'areal', 'verifiers', 'prime-rl', 'skyrl', 'open-instruct',
  'openrlhf', 'simplerl', 'orz', 'orz-eval', 'lighteval', 'slime', 'rllogging-board', 'openr1-math', 'reward-kit',
  'generic', 'inferred',
] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** Roles that the user can remap with --field role=name or rolloutLens.fieldMapping. */
export const ROLES = ['prompt', 'completion', 'reward', 'advantage', 'group', 'step', 'gold', 'reasoning', 'finishReason'] as const;
export type Role = (typeof ROLES)[number];
/** Role → field name (dotted paths allowed); null when the format has no such field. */
export type FieldMap = Record<Role, string | null>;

export type Split = 'train' | 'val' | 'eval';
export type GroupKeySource = 'explicit' | 'row' | 'prompt' | 'position' | 'none';
export type AdvantageSource = 'logged' | 'recomputed';

/** A normalised sample (docs/formats.md §7.6). One raw record may give several samples (a row holding a group). */
export interface Sample {
  source: SourceRef;
  format: FormatName;
  split: Split | null;
  step: number | null;
  /** Explicit or row group key as found in the record; prompt/position grouping is done later (groups.ts). */
  groupKey: string | null;
  groupKeySource: GroupKeySource;
  sampleIndex: number | null;
  prompt: TextOrMessages | null;
  completion: TextOrMessages;
  /** Reasoning when the writer stored it apart from the completion. */
  reasoning: string | null;
  /** Total reward; NaN/None become null with rewardMissing saying why. */
  reward: number | null;
  rewardMissing?: string;
  rewardComponents: Record<string, number | null>;
  advantage: number | null;
  advantageSource: AdvantageSource | null;
  gold: JsonValue | undefined;
  finishReason: string | null;
  tokens: { prompt?: number; completion?: number };
  /** Policy staleness when logged: AReaL tail_version − head_version, prime-rl policy.end − start. */
  policyLag?: number | null;
  /** Why the record's advantage was not usable (e.g. per-token values that vary over the response). */
  advantageNote?: string;
  /** The untouched original record. */
  raw: JsonValue;
}

/** Why a field was taken for a role when the format was inferred (docs/recognition.md). */
export interface RoleEvidence {
  field: string;
  /** One line for the user, e.g. "model_response: longest text in 100 % of records, text, median 1,834 chars". */
  evidence: string;
  /** 0–1. */
  confidence: number;
}

/** What recognition by inference found, shown in the summary, the status bar and the viewer header. */
export interface InferenceReport {
  /** Roles read (FieldMap roles) plus `answer`, the extracted answer, which is only shown. */
  roles: Partial<Record<Role | 'answer', RoleEvidence>>;
  confidence: number;
  /** The guess is weak: the viewer offers Set Field Mapping…, the CLI names the --field to pass. */
  weak: boolean;
  /** Roles looked for and not found. */
  missing: string[];
  /** Where the records sit inside each JSON value (`iterations.{step}`, `results.{name}[*]`); null: the values themselves. */
  recordPath: string | null;
  /** `--field role=<name>` arguments that would settle the guess. */
  hints: string[];
}

/** How a file's records were recognised. */
export interface FormatDetection {
  format: FormatName;
  /** Human explanation, e.g. "fields input, output, score, step". */
  reason: string;
  confidence: number;
  fields: FieldMap;
  /** Sub-shape of the format, e.g. 'validation', 'wide', 'legacy', 'platform', 'generation'. */
  variant?: string;
  /** Split implied by the format itself (verl-val → 'val', SkyRL eval dump → 'eval'); file names may refine it. */
  split?: Split;
  /** Roles whose field the user set explicitly; normalisation reads these generically, bypassing format logic. */
  overridden?: Role[];
  /** TRL / verifiers: per-function reward columns found in the sampled records. */
  rewardColumns?: string[];
  /** Every value is wrapped in a one-element list (NeMo-RL style); normalisation unwraps one level. */
  unwrapLists?: boolean;
  /** The writer keeps generation order, so consecutive blocks of n rows are groups (§7.3 rule 4). */
  keepsOrder?: boolean;
  /** File-level caveats worth showing, e.g. "reward weights assumed 1". */
  notes?: string[];
  /** Format `inferred`: the evidence of every role. */
  inference?: InferenceReport;
}

export const FLAG_KINDS = ['language-mix', 'repetition', 'truncated', 'format', 'tool'] as const;
export type FlagKind = (typeof FLAG_KINDS)[number];

/** A detector finding at an exact span of a decoded string (UTF-16 offsets, end exclusive). */
export interface Flag {
  kind: FlagKind;
  /** Which decoded string the span refers to: 'completion' (or 'reasoning', 'prompt'). */
  field: string;
  start: number;
  end: number;
  message: string;
  /** Short machine-readable subtype, e.g. 'tail-loop', 'unclosed-think', 'zh-in-ja'. */
  code?: string;
  language?: string;
  /** Multi-turn samples: index of the completion turn the span is in (src/core/trajectory); absent for single-turn text. */
  turn?: number;
  /** How loud the UI should be: 'error' (looping, broken format), 'warning' (soft signals), 'info' (normal but notable). */
  severity?: 'error' | 'warning' | 'info';
  evidence?: Record<string, string | number | boolean | null>;
}
