// The rolloutLens.* settings as data, built from the constants the code reads them with (format names, roles,
// flag kinds, advantage options, default rewards, severity defaults). package.json `contributes.configuration`
// and the README's settings table are generated from it (scripts/gen-manifest.ts); a unit test fails on any
// difference. No `vscode` import: the generator runs in plain Node.
import { ADVANTAGE_OPTIONS } from '../../core/run/run-groups';
import { DEFAULT_REWARDS } from '../../core/run/score-sample';
import { REWARDS } from '../../core/rewards/registry';
import { FLAG_KINDS, FORMAT_NAMES, ROLES, type FlagKind } from '../../core/types';

/** Diagnostic kinds: the detector flags plus lines that are not usable records. */
export type DiagnosticKind = FlagKind | 'malformed';
export const DIAGNOSTIC_KINDS: readonly DiagnosticKind[] = [...FLAG_KINDS, 'malformed'];

export const SEVERITY_LEVELS = ['error', 'warning', 'information', 'hint', 'off'] as const;
export type SeveritySetting = (typeof SEVERITY_LEVELS)[number];

/** Broken structure is loud, soft signals are warnings, a cut-off is information. */
export const DEFAULT_SEVERITY: Record<DiagnosticKind, SeveritySetting> = {
  'language-mix': 'warning',
  repetition: 'warning',
  truncated: 'information',
  format: 'warning',
  tool: 'warning',
  malformed: 'error',
};

/** What each diagnostic kind means, for the settings UI. */
const KIND_MEANING: Record<DiagnosticKind, string> = {
  'language-mix': 'reasoning that drifts into another language than the target (e.g. a Chinese sentence in Japanese reasoning). The squiggle covers that exact span.',
  repetition: 'repetition loops (repeated n-grams or lines, usually at the tail of a trace).',
  truncated: 'traces cut off at the length limit (finish_reason "length", unclosed think).',
  format: 'format violations: missing, unclosed, repeated or misordered `<think>` / `<answer>` tags, no final answer.',
  tool: 'the agent loop of multi-turn samples (a malformed tool call, a call to a tool the prompt does not offer, the same call repeated back to back, a tool result that is an error, an episode that stops on a tool call without a final answer). See docs/agentic.md.',
  malformed: 'lines that are not valid JSON or not a usable rollout record.',
};

const SEVERITY_DESCRIPTIONS: Record<SeveritySetting, string> = {
  error: 'Error: red squiggle, counted as an error',
  warning: 'Warning: yellow squiggle',
  information: 'Information: blue squiggle',
  hint: 'Hint: faint dots, not listed in the Problems panel',
  off: 'Off: no diagnostic for this kind',
};

/** A JSON-schema fragment as VS Code reads it in `contributes.configuration.properties`. */
export type SettingSchema = { [key: string]: unknown };

export interface SettingSpec {
  key: string;
  schema: SettingSchema;
  /** One line for the README's settings table. */
  summary: string;
  /** Still contributed and read, left out of the README (a replacement exists). */
  deprecated?: true;
}

const code = (s: string): string => `\`${s}\``;

/** One kind's level: the enum every severity value uses, with its descriptions. */
function severityLevelSchema(kind: DiagnosticKind): SettingSchema {
  return {
    type: 'string',
    default: DEFAULT_SEVERITY[kind],
    enum: [...SEVERITY_LEVELS],
    enumDescriptions: SEVERITY_LEVELS.map((l) => SEVERITY_DESCRIPTIONS[l]),
  };
}

/** What `off` does, next to `rolloutLens.flags.enabled` (two switches that look alike and are not). */
const OFF_VS_ENABLED = '`off` only hides the diagnostics of that kind: the flags are still detected and shown in the lenses, hovers, status bar and the Rollout Viewer. To stop detecting a kind of flag altogether, turn it off in `rolloutLens.flags.enabled`.';

/** `rolloutLens.severity`: one object keyed by the diagnostic kinds, its schema built from the same constants. */
const SEVERITY_SETTING: SettingSpec = {
  key: 'rolloutLens.severity',
  schema: {
    type: 'object',
    default: { ...DEFAULT_SEVERITY },
    properties: Object.fromEntries(DIAGNOSTIC_KINDS.map((k) => [k, { ...severityLevelSchema(k), markdownDescription: `**${k}**: ${KIND_MEANING[k]}` }])),
    additionalProperties: false,
    markdownDescription: `Severity of each kind of diagnostic in the Problems panel: ${DIAGNOSTIC_KINDS.map((k) => `${code(k)} (${KIND_MEANING[k].split(/[.(]/)[0].trim()})`).join('; ')}. Levels: ${SEVERITY_LEVELS.map(code).join(', ')}. ${OFF_VS_ENABLED}`,
  },
  summary: `Problems-panel severity per kind (${DIAGNOSTIC_KINDS.join(', ')}), or \`off\`.`,
};

/**
 * The per-kind keys `rolloutLens.severity` replaced. Still contributed, so a value someone set stays valid and is
 * read (as a fallback, severity-setting.ts); marked deprecated so the settings UI points to the object.
 */
function deprecatedSeveritySetting(kind: DiagnosticKind): SettingSpec {
  return {
    key: `rolloutLens.severity.${kind}`,
    deprecated: true,
    schema: {
      ...severityLevelSchema(kind),
      markdownDescription: `Severity of **${kind}** diagnostics in the Problems panel: ${KIND_MEANING[kind]}`,
      markdownDeprecationMessage: `Use \`"rolloutLens.severity": {"${kind}": "…"}\` instead. This key is still read when \`rolloutLens.severity\` does not set **${kind}**.`,
    },
    summary: `Deprecated: \`rolloutLens.severity\` ${code(kind)}.`,
  };
}

export const SETTINGS: readonly SettingSpec[] = [
  {
    key: 'rolloutLens.format',
    schema: { type: 'string', default: 'auto', enum: ['auto', ...FORMAT_NAMES], description: 'Rollout format; auto detects it from the record keys.' },
    summary: 'Rollout format, or `auto`.',
  },
  {
    key: 'rolloutLens.fieldMapping',
    schema: { type: 'object', default: {}, description: `Override the field of a role: ${ROLES.join(', ')} (dotted paths allowed).` },
    summary: `Field of a role (${ROLES.join(', ')}).`,
  },
  {
    key: 'rolloutLens.groupBy',
    schema: { type: 'string', default: 'auto', description: 'auto, field:<name>, prompt, or consecutive:<N>.' },
    summary: 'GRPO groups: `auto`, `field:<name>`, `prompt` or `consecutive:<N>`.',
  },
  {
    key: 'rolloutLens.advantage',
    schema: { type: 'string', default: 'auto', enum: [...ADVANTAGE_OPTIONS], description: "Advantage estimator when the file has none (auto: the file's, else grpo)." },
    summary: `Advantage estimator when the file has none (${ADVANTAGE_OPTIONS.join(', ')}).`,
  },
  {
    key: 'rolloutLens.targetLanguage',
    schema: { type: 'string', default: 'auto', description: "Target language of the reasoning for language-mix flags and the language-consistency reward: auto (the prompt's language) or an ISO 639-1 code such as en, zh, ja." },
    summary: "Reasoning language: `auto` (the prompt's) or a code (`en`).",
  },
  {
    key: 'rolloutLens.flags.enabled',
    schema: {
      type: 'object',
      default: Object.fromEntries(FLAG_KINDS.map((k) => [k, true])),
      properties: Object.fromEntries(FLAG_KINDS.map((k) => [k, { type: 'boolean' }])),
      additionalProperties: false,
      markdownDescription: 'Turn each kind of flag on or off. Off: that kind is not detected at all (no lens count, hover, diagnostic, status bar count or viewer filter). To keep a kind detected but out of the Problems panel, set its level to `off` in `rolloutLens.severity` instead.',
    },
    summary: 'Each kind of flag on or off (off: not detected at all).',
  },
  {
    key: 'rolloutLens.codeLens.enabled',
    schema: { type: 'boolean', default: true, description: 'Show reward · advantage · group · flags above every sample line.' },
    summary: 'Lenses above every sample line.',
  },
  SEVERITY_SETTING,
  ...DIAGNOSTIC_KINDS.map(deprecatedSeveritySetting),
  {
    key: 'rolloutLens.decorations.enabled',
    schema: { type: 'boolean', default: true, markdownDescription: 'Highlight `<think>` reasoning, `<answer>` content and the tags themselves inside the JSON strings of the text editor. Colours come from the theme: `rolloutLens.thinkBackground`, `rolloutLens.answerBackground`, `rolloutLens.tagForeground` (customise them in `workbench.colorCustomizations`).' },
    summary: 'Think/answer highlighting.',
  },
  {
    key: 'rolloutLens.rewards',
    schema: {
      type: 'array',
      items: { type: 'string' },
      default: [...DEFAULT_REWARDS],
      markdownDescription: `Rewards that **Score File / Sample / Group** recompute (set them with **Rollout Lens: Choose Rewards…**): ${REWARDS.map((r) => code(r.name)).join(', ')}, and registered batch rewards such as code execution.`,
    },
    summary: 'Rewards the Score commands recompute.',
  },
  {
    key: 'rolloutLens.rewardParameters',
    schema: { type: 'object', default: {}, markdownDescription: 'Parameters per reward, e.g. `{"repetition_penalty": {"ngramSize": 3, "maxPenalty": -1}}`. Unset parameters take the reward\'s defaults.' },
    summary: 'Parameters per reward.',
  },
  {
    key: 'rolloutLens.rewardFunctions',
    schema: { type: 'array', items: { type: 'string' }, default: [], markdownDescription: "Your own reward functions, as `path[:name]` (relative to the workspace folder): a Python file with TRL's `def f(prompts, completions, **kwargs) -> list[float]` or verl's `compute_score(data_source, solution_str, ground_truth, extra_info)`, or a JS/TS module exporting TRL's `(prompts, completions, kwargs) => number[]`. Run out of process, in batches, only in trusted workspaces. Set with **Rollout Lens: Use My Reward Function…**." },
    summary: 'Your reward functions, `path[:name]`.',
  },
  {
    key: 'rolloutLens.codeExecution.allowWeakSandbox',
    schema: { type: 'boolean', default: false, scope: 'machine', markdownDescription: 'When bubblewrap (an OS sandbox) is not available (macOS, Windows, Linux without user namespaces), run code rewards anyway with only the in-process Python guard, which a program can get around. The first run asks again and says what this does not contain. See docs/sandbox.md.' },
    summary: 'Code rewards without bubblewrap (weak in-process guard only).',
  },
  {
    key: 'rolloutLens.pythonPath',
    schema: { type: 'string', default: '', scope: 'machine-overridable', markdownDescription: 'Python interpreter for Python reward functions when the Python extension is not installed (its selected interpreter wins when it is). Empty: `python.defaultInterpreterPath` if you set it, else `python3`.' },
    summary: 'Python for reward functions.',
  },
  {
    key: 'rolloutLens.rewardFunctionTimeout',
    schema: { type: 'number', default: 30, minimum: 1, markdownDescription: 'Seconds a reward function may take for one batch of 64 samples; a batch that runs longer is stopped (the process is killed) and its samples are marked as timed out.' },
    summary: 'Seconds per batch of 64 samples.',
  },
  {
    key: 'rolloutLens.scoring.sidecar',
    schema: { type: 'boolean', default: false, markdownDescription: 'Score File also writes `<log>.rollout-lens.jsonl` next to the log (one line per sample: recomputed scores, flags, advantage, disagreement), which the Rollout Viewer picks up for its disagreement filter. The log itself is never modified.' },
    summary: 'Score File also writes `<log>.rollout-lens.jsonl`.',
  },
  {
    key: 'rolloutLens.hover.enabled',
    schema: { type: 'boolean', default: true, description: 'Show a hover on sample lines: reward components, advantage against the group mean/std, language, answer vs gold, flags.' },
    summary: 'Hovers on sample lines.',
  },
];
