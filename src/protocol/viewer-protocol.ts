// Every message between the extension host and the Rollout Viewer webview, both ways, in one module that both
// sides import (src/extension and webview/viewer). Plain JSON only: numbers as number | null (NaN does not survive
// JSON), no typed arrays, no raw records except the one sample being shown.
import type { TestResult } from '../core/code/judge';

export type FlagKindName = 'language-mix' | 'repetition' | 'truncated' | 'format' | 'tool';
export const FLAG_KIND_NAMES: readonly FlagKindName[] = ['language-mix', 'repetition', 'truncated', 'format', 'tool'];

export type SortKey = 'index' | 'reward' | 'advantage' | 'group' | 'step' | 'length' | 'flags' | 'turns' | 'toolCalls';
export type SearchField = 'prompt' | 'reasoning' | 'answer';
export type GroupOrder = 'index' | 'spread' | 'mean';
export type ViewerTab = 'samples' | 'charts';

/** Which samples the list shows. Every field is optional; absent = no constraint. */
export interface SampleFilter {
  /** Samples with any of these flag kinds. */
  flags?: FlagKindName[];
  rewardMin?: number;
  rewardMax?: number;
  /** Advantage in [advMin, advMax) (half-open, like the histogram bins; advMax inclusive when it is the last edge). */
  advMin?: number;
  advMax?: number;
  /** One histogram bar: the samples the histogram put in bin `index` (same arithmetic, so counts agree). */
  bin?: HistogramBin;
  /** null = samples without a step. */
  step?: number | null;
  group?: number;
  zeroVariance?: boolean;
  /** Only the samples of this finished search. */
  searchId?: number;
  /** A single sample (scatter point click). */
  sample?: number;
  /** Samples whose recorded reward disagrees with the recomputed one (from the scoring sidecar next to the log). */
  disagreement?: boolean;
  /** Samples of the groups with k of n right (pass-count chart). */
  passCount?: { k: number; n: number };
  /** Multi-turn runs (docs/agentic.md): at least this many assistant turns / tool calls. */
  minTurns?: number;
  minToolCalls?: number;
  /** At most this many assistant turns / tool calls (with the minimum: one bar of the reward-by-count charts). */
  maxTurns?: number;
  maxToolCalls?: number;
  /** Samples that called this tool. */
  toolName?: string;
  /** Samples with (true) or without (false) a tool result that is an error. */
  toolError?: boolean;
}

export interface HistogramBin {
  field: 'reward' | 'advantage';
  min: number;
  max: number;
  bins: number;
  index: number;
}

export interface SampleQuery {
  filter: SampleFilter;
  sort: SortKey;
  descending: boolean;
}

/** One row of the sample list. */
export interface SampleRow {
  index: number;
  reward: number | null;
  advantage: number | null;
  group: number | null;
  step: number | null;
  length: number;
  flags: FlagKindName[];
  /** Start of the prompt, for orientation (may be empty while not read). */
  preview: string;
  /** Recorded vs recomputed disagreement with its reason, when the run was scored (sidecar). */
  disagreement?: string;
  /** Assistant turns, tool calls attempted and tool errors (multi-turn runs). */
  turns?: number;
  toolCalls?: number;
  toolErrors?: number;
}

export interface ScanProgress {
  bytesDone: number;
  bytesTotal: number;
  samples: number;
  files: number;
  elapsedMs: number;
}

export interface RunOverview {
  title: string;
  path: string;
  isFolder: boolean;
  format: string | null;
  formatReason: string | null;
  samples: number;
  groups: number;
  zeroVarianceGroups: number;
  steps: number;
  badLines: number;
  flagCounts: Record<FlagKindName, number>;
  /** Multi-turn / agentic runs: tool calls in total and per tool (the list's turn and tool columns and filters). */
  tools?: { total: number; byName: Record<string, number>; malformed: number; maxTurns: number } | null;
  advantageSource: string;
  rewardRange: { min: number; max: number } | null;
  advantageRange: { min: number; max: number } | null;
  timings: { firstSamplesMs: number | null; fullStatsMs: number | null };
  /** From the scoring sidecar (`<log>.rollout-lens.jsonl`, written by Score File): disagreements with the log. */
  disagreements?: { count: number; compared: string | null; sidecar: string } | null;
  /** Format `inferred`: the roles with their evidence, and whether the guess is weak (docs/recognition.md). */
  inference?: OverviewInference | null;
}

export interface OverviewInference {
  confidence: number;
  weak: boolean;
  /** `completion ← model_response`, one per role read. */
  short: string[];
  /** One line of evidence per role, then what was not found. */
  evidence: string[];
}

export interface HistogramData {
  edges: number[];
  counts: number[];
}

export interface StepPoint {
  step: number | null;
  count: number;
  rewardMean: number | null;
  rewardStd: number | null;
  lengthMean: number | null;
  lengthStd: number | null;
  passRate: number | null;
  zeroVarianceShare: number | null;
  flags: Record<FlagKindName, number>;
}

export interface ScatterPoint {
  sample: number;
  length: number;
  reward: number;
}

/** Groups with k of n right (binary or few-level rewards; see src/core/groups/pass-counts.ts). */
export interface PassCountData {
  /** 'binary' (≤ 2 reward values) or 'few' (3–5). */
  levels: 'binary' | 'few';
  /** The reward values seen, ascending. */
  values: number[];
  /** Reward strictly above this counts as right. */
  threshold: number;
  bins: { k: number; n: number; groups: number }[];
  /** Groups that are neither all right nor all wrong (the ones with a GRPO learning signal). */
  mixed: number;
  total: number;
}

/** Everything the charts need, except the per-group boxes (paged separately). */
export interface ChartAggregates {
  advantage: HistogramData | null;
  reward: HistogramData | null;
  steps: StepPoint[];
  scatter: ScatterPoint[];
  /** The scatter holds every sample (false: an even sample of them). */
  scatterComplete: boolean;
  /** Present when the rewards take at most five values (absent from older reports). */
  passCounts?: PassCountData | null;
  /** Multi-turn runs with tool calls: reward per number of tool calls (absent or null otherwise). */
  tools?: CountRewardChart | null;
  /** Multi-turn runs: reward per number of assistant turns (absent or null otherwise). */
  turns?: CountRewardChart | null;
}

/** Reward against a per-sample count, for multi-turn runs (src/core/viewer/count-reward.ts, docs/turn-charts.md). */
export interface CountRewardChart {
  /** What is counted: assistant turns or tool calls attempted. */
  by: 'turns' | 'toolCalls';
  /** One per count from the lowest seen; the last may gather the tail (`orMore`). */
  bins: CountRewardBin[];
  /** Reward strictly above this is right (rewards with at most five levels); null when continuous: no pass rate. */
  passThreshold: number | null;
  /** Rewards are 0/1: the mean reward is the pass rate (the chart draws one of them). */
  meanIsPassRate: boolean;
}

export interface CountRewardBin {
  /** The count; with `orMore` this count or more. */
  value: number;
  orMore: boolean;
  /** Samples in the bin, and those with a reward (the mean, spread and pass rate are over these). */
  count: number;
  rewarded: number;
  rewardMean: number | null;
  /** Population standard deviation of the rewards in the bin. */
  rewardStd: number | null;
  rewardMin: number | null;
  rewardMax: number | null;
  passRate: number | null;
  /** 95 % Wilson interval of the pass rate (with passRate): how sure a bin of 5 samples is, next to one of 600. */
  passLow: number | null;
  passHigh: number | null;
}

export interface GroupBox {
  group: number;
  step: number | null;
  size: number;
  mean: number | null;
  std: number | null;
  zeroVariance: boolean;
  /** Rewards of the members (finite only), for the box plot. */
  rewards: number[];
  advantages: number[];
  /** Every member (up to GROUP_CELLS_MAX), best reward first: the per-group strip. */
  cells?: GroupCell[];
}

export interface GroupCell {
  sample: number;
  reward: number | null;
  advantage: number | null;
}

export interface GroupPage {
  order: GroupOrder;
  offset: number;
  total: number;
  boxes: GroupBox[];
}

export interface FlagView {
  kind: FlagKindName;
  field: string;
  start: number;
  end: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
  code: string | null;
  /** Multi-turn samples: the transcript turn the flag is in (TranscriptTurn.index). */
  turn?: number | null;
}

/** One tool call as a card: the name and the arguments pretty-printed (or as written, with why they did not parse). */
export interface TranscriptCall {
  name: string | null;
  id: string | null;
  /** Pretty-printed JSON when the arguments parsed; the raw text otherwise. */
  arguments: string;
  error: string | null;
  /** Where the call is written in `completion` (null: stored in a message field). */
  span: Span | null;
}

/** A piece of a turn in order: text (offsets into `completion` when `base` is set, for flag marks), reasoning, a call. */
export type TranscriptPart =
  | { kind: 'text'; text: string; base: number | null }
  | { kind: 'reasoning'; text: string; base: number | null }
  | { kind: 'call'; call: TranscriptCall };

export interface TranscriptTurn {
  /** Index among the completion's turns (what flags' `turn` refers to). */
  index: number;
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** The model wrote it (assistant) or the environment returned it (tool results, user replies). */
  byModel: boolean;
  parts: TranscriptPart[];
  /** Tool results: the tool's name / call id when stored, and why the reply reads as an error. */
  toolName?: string | null;
  toolCallId?: string | null;
  error?: string | null;
  /** Characters of the turn's text left out of this message (very long tool results); 0 when complete. */
  omitted: number;
}

/** A multi-turn / agentic completion as a transcript (docs/agentic.md); absent for single-turn samples. */
export interface TranscriptView {
  /** Parser used and why ('role-text', 'chatml', 'tagged', 'messages'). */
  shape: string;
  evidence: string;
  turns: TranscriptTurn[];
  stats: { turns: number; toolCalls: number; malformed: number; toolErrors: number; byName: Record<string, number> };
  /**
   * The prompt as turns when it is a chat message list or a chat-template string (system prompt, user question),
   * shown before the completion's turns and marked as prompt; null when the prompt is plain text (shown as before).
   */
  prompt?: TranscriptPromptTurn[] | null;
  /** The tools the prompt offers (its `<tools>` block, a `tools` field…), when the sample calls tools. */
  offeredTools?: string[] | null;
}

/** One message of the prompt; very long ones are cut like tool results (`omitted` characters left out). */
export interface TranscriptPromptTurn {
  role: 'system' | 'user' | 'assistant' | 'tool';
  text: string;
  omitted: number;
}

export interface Span {
  start: number;
  end: number;
}

export interface SampleDetail {
  index: number;
  /** Position in the current list and its length (next/previous), null when opened outside the list. */
  position: number | null;
  total: number;
  file: string;
  line: number | null;
  step: number | null;
  group: number | null;
  groupSize: number | null;
  prompt: string | null;
  completion: string;
  /** Spans into `completion`. */
  reasoning: Span | null;
  answerRegion: Span | null;
  reasoningState: string;
  answer: string | null;
  answerSpan: Span | null;
  gold: string | null;
  reward: number | null;
  rewardComponents: Record<string, number | null>;
  recomputed: Record<string, number | null>;
  advantage: number | null;
  flags: FlagView[];
  note: string | null;
  /** Per-test results of the code reward when the sample was scored (Score Code Samples…). */
  codeTests?: CodeTestsView | null;
  /** Multi-turn / agentic samples: the completion as turns, tool calls and tool results. */
  transcript?: TranscriptView | null;
}

/** One test of the code reward as the sample view shows it (src/core/code/judge.ts TestResult). */
export interface CodeTestView extends Omit<TestResult, 'kind'> {
  kind: string;
  notRun: boolean;
}

export interface CodeTestsView {
  /** The `code` reward (fraction passed), null when it did not apply. */
  score: number | null;
  passed: number;
  total: number;
  /** Why the score is what it is ("no code block", "test 1 timed out: …"), or the error when it could not run. */
  reason: string;
  /** Where the tests came from in the record. */
  source: string | null;
  tests: CodeTestView[];
}

export interface GroupMember {
  index: number;
  reward: number | null;
  advantage: number | null;
  rewardComponents: Record<string, number | null>;
  answer: string | null;
  /** Distinct-answer class: 0 is the most common answer, null = no answer. */
  answerClass: number | null;
  length: number;
  flags: FlagKindName[];
  completion: string;
  reasoning: Span | null;
  answerRegion: Span | null;
}

export interface GroupDetail {
  group: number;
  count: number;
  order: GroupOrder;
  /** Rank of this group in `order` (0-based). */
  rank: number;
  step: number | null;
  mean: number | null;
  std: number | null;
  spread: number | null;
  zeroVariance: boolean;
  prompt: string | null;
  gold: string | null;
  members: GroupMember[];
}

export interface SearchRequest {
  pattern: string;
  flags: string;
  fields: SearchField[];
}

export interface SearchStatus {
  searchId: number;
  done: boolean;
  cancelled: boolean;
  error: string | null;
  samplesScanned: number;
  matchingSamples: number;
  hits: Record<SearchField, number>;
}

/** What the webview saves with setState and sends back in `ready` after a reload. */
export interface ViewerState {
  tab: ViewerTab;
  query: SampleQuery;
  selected: number | null;
  groupOrder: GroupOrder;
  raw: boolean;
  /** Run panels only: which path to reopen (the serializer reads it). */
  path?: string;
  /** Sample panels: no list, charts or scan UI. */
  mode?: ViewerMode;
}

export type ViewerMode = 'run' | 'sample' | 'compare';

/** One step of a prompt's history: the prompt's groups at that step and their rewards and lengths. */
export interface PromptHistoryStep {
  step: number | null;
  groups: number[];
  /** Up to 64 sample indices (the first is opened from the history view). */
  samples: number[];
  count: number;
  rewardMean: number | null;
  rewardMin: number | null;
  rewardMax: number | null;
  passRate: number | null;
  lengthMean: number | null;
  flagged: number;
}

/** The same prompt (hash of its normalised text) at every step of the run. */
export interface PromptHistory {
  key: string;
  prompt: string | null;
  /** The sample the history was asked from. */
  from: number;
  steps: PromptHistoryStep[];
  /** Prompts of the run that occur at two or more steps (context for an empty history). */
  recurringPrompts: number;
}

/** Per step: the share of samples with each flag (0..1), for the trends chart. */
export interface StepTrend {
  step: number | null;
  count: number;
  rewardMean: number | null;
  lengthMean: number | null;
  flagRates: Record<FlagKindName, number>;
  anyFlagRate: number;
}

export type HealthKind = FlagKindName | 'zero-variance' | 'reward' | 'length';
export const HEALTH_KINDS: readonly HealthKind[] = ['language-mix', 'repetition', 'truncated', 'format', 'tool', 'zero-variance', 'reward', 'length'];

export interface HealthExample {
  /** Sample index in the run (0-based, as everywhere in the viewer). */
  sample: number;
  step: number | null;
  file: string;
  /** 1-based line in `file`, null for parquet rows and array items. */
  line: number | null;
}

/** One change of a per-step rate found by the run-health test (src/core/run/health.ts). */
export interface HealthFinding {
  kind: HealthKind;
  /** First step after the change. */
  step: number;
  /** Value over the steps before / after the change (rates 0..1, reward, characters). */
  before: number;
  after: number;
  direction: 'rose' | 'fell';
  /** "language mixing rose from 1 % to 15 % at step 40". */
  message: string;
  examples: HealthExample[];
  /** Permutation p-value of the change. */
  p: number;
  /** Steps the before / after values are taken over. */
  range: { beforeFrom: number; beforeTo: number; afterFrom: number; afterTo: number };
}

export interface HealthReport {
  /** Steps of the run (health is only tested with MIN_STEPS or more). */
  steps: number;
  tested: HealthKind[];
  findings: HealthFinding[];
  /** Why nothing was tested, or what was (one line for the UI). */
  note: string;
}

/** Which part of a run the charts and the list show: every step, or one. */
export type StepSelection = { kind: 'all' } | { kind: 'step'; step: number | null };

/** One side of a comparison: a run (file or folder), optionally one of its steps. */
export interface CompareSideInfo {
  label: string;
  path: string;
  step: number | null | 'all';
  samples: number;
  rewardMean: number | null;
  passRate: number | null;
  lengthMean: number | null;
  flagRates: Record<FlagKindName, number>;
}

export interface MovedPrompt {
  key: string;
  preview: string;
  meanA: number;
  meanB: number;
  delta: number;
  countA: number;
  countB: number;
  /** Up to 16 samples of the prompt on each side, for the paired view. */
  samplesA: number[];
  samplesB: number[];
}

export interface CompareResult {
  a: CompareSideInfo;
  b: CompareSideInfo;
  /** Shared bin edges, so the two distributions overlay. */
  reward: { edges: number[]; countsA: number[]; countsB: number[] } | null;
  length: { edges: number[]; countsA: number[]; countsB: number[] } | null;
  sharedPrompts: number;
  moved: MovedPrompt[];
}

export type CompareHostToWebview =
  | { type: 'compareInit'; title: string }
  | { type: 'compareProgress'; message: string }
  | { type: 'compareResult'; result: CompareResult }
  | { type: 'pair'; key: string; a: SampleDetail | null; b: SampleDetail | null; posA: number; posB: number }
  | { type: 'error'; message: string };

export type CompareWebviewToHost =
  | { type: 'compareReady' }
  | { type: 'pair'; key: string; posA: number; posB: number };

export type HostToWebview =
  | { type: 'init'; mode: ViewerMode; title: string; path: string; state: ViewerState | null }
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'firstRows'; rows: SampleRow[] }
  | { type: 'overview'; overview: RunOverview; done: boolean }
  | { type: 'scanError'; message: string }
  | { type: 'scanCancelled' }
  | { type: 'queryResult'; queryId: number; total: number }
  | { type: 'rows'; queryId: number; offset: number; rows: SampleRow[] }
  | { type: 'aggregates'; aggregates: ChartAggregates }
  | { type: 'groupPage'; page: GroupPage }
  | { type: 'sample'; detail: SampleDetail }
  | { type: 'group'; detail: GroupDetail }
  | { type: 'search'; status: SearchStatus }
  | { type: 'history'; history: PromptHistory }
  | { type: 'trends'; trends: StepTrend[] }
  | { type: 'health'; health: HealthReport }
  | { type: 'notice'; message: string; level: 'info' | 'warning' }
  | { type: 'error'; message: string };

export type WebviewToHost =
  | { type: 'ready'; state: ViewerState | null }
  | { type: 'cancelScan' }
  | { type: 'query'; queryId: number; query: SampleQuery }
  | { type: 'rows'; queryId: number; offset: number; limit: number }
  | { type: 'openSample'; index: number }
  | { type: 'openPosition'; queryId: number; position: number }
  | { type: 'openGroup'; group: number; order: GroupOrder }
  | { type: 'stepGroup'; group: number; order: GroupOrder; delta: number }
  | { type: 'groupPage'; order: GroupOrder; offset: number; limit: number }
  | { type: 'search'; request: SearchRequest }
  | { type: 'cancelSearch' }
  | { type: 'copySample'; index: number }
  | { type: 'reopenAsText' }
  | { type: 'revealLine'; index: number }
  | { type: 'history'; index: number }
  | { type: 'selectSteps'; selection: StepSelection }
  /** Set Field Mapping… from the viewer header (a weak guess, or no record recognised). */
  | { type: 'setFieldMapping' };

export function isWebviewToHost(v: unknown): v is WebviewToHost {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

/** A flagged sample in the CLI report (text excerpts are escaped when the HTML is written). */
export interface ReportSample {
  index: number;
  file: string;
  line: number | null;
  step: number | null;
  group: number | null;
  reward: number | null;
  advantage: number | null;
  flags: { kind: FlagKindName; message: string }[];
  /** Text around the first flag's span. */
  excerpt: string;
  /** Assistant turns and tool calls (the turn charts filter the table by them). */
  turns?: number;
  toolCalls?: number;
}

/** Everything `rollout-lens report` puts in its HTML as JSON (read by webview/report). */
export interface ReportData {
  generated: string;
  overview: RunOverview;
  aggregates: ChartAggregates;
  groups: GroupPage;
  flagged: ReportSample[];
  flaggedTotal: number;
  /** Run health (absent from older reports). */
  health?: HealthReport;
}
