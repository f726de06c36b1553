// The extension's commands as data: package.json `contributes.commands` and `menus.commandPalette`, and the
// README's command table, are generated from this table (scripts/gen-manifest.ts); test/unit/manifest checks that
// both are up to date and that every command here is registered in src/extension. No `vscode` import: the
// generator runs in plain Node.

/** Context key set by the extension: the active text editor holds a file it reads as a rollout file. */
export const IS_ROLLOUT_FILE = 'rolloutLens.isRolloutFile';
export const VIEWER_TYPE = 'rolloutLens.viewer';
export const CATEGORY = 'Rollout Lens';

/** The sample at the cursor: a text editor whose document the extension models as rollouts. */
const AT_CURSOR = IS_ROLLOUT_FILE;
/**
 * A whole file: a modelled rollout file, the Rollout Viewer, or a file the extension may read as one (a large file
 * has no text model, and a command run right after opening a file waits for its model instead of being missing).
 */
const ON_FILE = `${IS_ROLLOUT_FILE} || activeCustomEditorId == ${VIEWER_TYPE} || resourceExtname == .jsonl || resourceExtname == .json || resourceExtname == .parquet`;

/**
 * Where a command shows in the Command Palette: everywhere, nowhere (a target of a lens, code action or status
 * bar item that needs its arguments), or under a when-clause.
 */
export type PaletteVisibility = 'always' | 'never' | { when: string };

export interface CommandSpec {
  id: string;
  title: string;
  palette: PaletteVisibility;
  /** One line for the README: what it does and where else it is offered. */
  summary: string;
  icon?: string;
}

export const COMMANDS: readonly CommandSpec[] = [
  { id: 'rolloutLens.openViewer', title: 'Open in Rollout Viewer', icon: '$(preview)', palette: 'always', summary: 'Opens a file, or a folder of step files as one run, in the Rollout Viewer.' },
  { id: 'rolloutLens.reopenAsText', title: 'Reopen as Text', icon: '$(go-to-file)', palette: { when: `activeCustomEditorId == ${VIEWER_TYPE}` }, summary: 'Back from the Rollout Viewer to the text editor.' },
  { id: 'rolloutLens.compareRuns', title: 'Compare Runs…', icon: '$(diff)', palette: 'always', summary: 'Two runs or two steps side by side.' },
  { id: 'rolloutLens.showSummary', title: 'Show Summary', icon: '$(graph)', palette: { when: IS_ROLLOUT_FILE }, summary: 'Format, samples, groups, mean reward and flags of the open file.' },
  { id: 'rolloutLens.openSample', title: 'Open Sample', palette: { when: AT_CURSOR }, summary: 'The sample at the cursor in the sample view.' },
  { id: 'rolloutLens.showSampleInfo', title: 'Preview Sample', palette: { when: AT_CURSOR }, summary: 'The sample at the cursor as a Markdown preview.' },
  { id: 'rolloutLens.openSampleAsText', title: 'Open Sample as Text', palette: { when: AT_CURSOR }, summary: 'The sample at the cursor as read-only text.' },
  { id: 'rolloutLens.showGroup', title: 'Show Group', palette: { when: AT_CURSOR }, summary: 'The GRPO group of the sample at the cursor.' },
  { id: 'rolloutLens.nextFlag', title: 'Go to Next Flag', palette: { when: AT_CURSOR }, summary: 'Moves to the next flagged span.' },
  { id: 'rolloutLens.scoreSample', title: 'Score Sample at Cursor', palette: { when: AT_CURSOR }, summary: 'Recomputes the chosen rewards for that sample.' },
  { id: 'rolloutLens.scoreGroup', title: 'Score Group', palette: { when: AT_CURSOR }, summary: '… for the group at the cursor.' },
  { id: 'rolloutLens.scoreFile', title: 'Score File', icon: '$(check-all)', palette: { when: ON_FILE }, summary: '… for every sample, with disagreements.' },
  { id: 'rolloutLens.scoreCodeSamples', title: 'Score Code Samples…', palette: { when: ON_FILE }, summary: 'Runs code-RL completions against their tests, sandboxed.' },
  { id: 'rolloutLens.compareRecorded', title: 'Compare Recorded vs Recomputed', palette: { when: ON_FILE }, summary: 'Logged vs recomputed rewards, with reasons.' },
  { id: 'rolloutLens.exportScoredCopy', title: 'Export Scored Copy…', palette: { when: ON_FILE }, summary: 'A copy with the scores (the log is never modified).' },
  { id: 'rolloutLens.scanFile', title: 'Scan File for Problems', palette: { when: ON_FILE }, summary: 'Problems for a file too large for live diagnostics.' },
  { id: 'rolloutLens.chooseRewards', title: 'Choose Rewards…', palette: 'always', summary: 'Which rewards to recompute.' },
  { id: 'rolloutLens.useRewardFunction', title: 'Use My Reward Function…', palette: 'always', summary: 'Your Python or JS/TS reward function.' },
  { id: 'rolloutLens.setTargetLanguage', title: 'Set Target Language…', palette: 'always', summary: 'The language the reasoning should be in.' },
  { id: 'rolloutLens.setFieldMapping', title: 'Set Field Mapping…', palette: 'always', summary: 'Which field holds the prompt, completion, reward, ….' },
  { id: 'rolloutLens.disableFlagKind', title: 'Disable a Kind of Flag', palette: 'never', summary: 'Quick fix on a flag: turns that kind of flag off.' },
  { id: 'rolloutLens.largeFileActions', title: 'Code Lenses Are Off: Show Options', palette: 'never', summary: 'Status bar item of a large file: what is available and how to turn lenses on.' },
];

/**
 * Activation: rollout files, the viewer and its panels. No `onStartupFinished`: commands activate on their own.
 * `onLanguage:json` is needed although it also wakes the extension for package.json and settings files: a rollout
 * dump saved as `.json` (a JSON array of records) opens as language `json`, and without it
 * such a file opened as text in a window with no `.jsonl` in the workspace would get no lenses, decorations or
 * diagnostics until some command ran. Activation on a JSON file that is not rollouts costs the bundle's load only:
 * the model cache finds no rollout records in it and builds no model (no lens, no status bar item).
 */
export const ACTIVATION_EVENTS: readonly string[] = [
  'onLanguage:jsonl',
  'onLanguage:json',
  'workspaceContains:**/*.jsonl',
  `onCustomEditor:${VIEWER_TYPE}`,
  'onWebviewPanel:rolloutLens.run',
  'onWebviewPanel:rolloutLens.sample',
];
