// "Rollout Lens: Score Code Samples…": runs every completion's program against the test cases in its record
// (rewards `code` and `binary_code`) through the scoring pipeline (Score File's progress, cancel and result store).
// It runs model-written programs on this machine, so: only in trusted workspaces, and the first time only after a
// modal that says exactly what will run (interpreter, limits, isolation); the answer is remembered in globalState.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { probeIsolation, refusalMessage, setWeakSandboxAllowed, type Isolation } from '../../node/code-sandbox/isolation';
import { codeOptionsFromParams, registerCodeRewards } from '../../node/code-sandbox/register';
import { resolvePython, type PythonInfo } from '../../node/code-sandbox/code-reward';
import { DEFAULT_LIMITS } from '../../node/code-sandbox/run-test';
import { pythonInterpreter } from '../scoring/python-interpreter';
import { readScoringSettings } from '../scoring/scoring-settings';
import { scoreFile } from '../scoring/scoring-commands';
import { scoreStore } from '../scoring/score-store';
import type { CommandLayer } from '../commands/command-context';

/**
 * The globalState keys where the "Run Programs" answer is stored, per isolation: consent to the weak guard is asked
 * for separately, agreeing to the sandbox does not cover running without one. The test hooks pre-answer the modal
 * by writing the same keys (test-hooks.ts), so the tests run the real consent path.
 */
export const CODE_CONSENT_KEYS = { sandbox: 'rolloutLens.codeExecution.optIn', weak: 'rolloutLens.codeExecution.optInWeak' } as const;
export type CodeConsent = keyof typeof CODE_CONSENT_KEYS;

/** Remembers "Run Programs" for `kind` (the modal's answer; the test hooks write it the same way). */
export async function storeCodeConsent(state: vscode.Memento, kind: CodeConsent): Promise<void> {
  await state.update(CODE_CONSENT_KEYS[kind], true);
}

const WEAK_SETTING = 'codeExecution.allowWeakSandbox';
const RUN = 'Run Programs';

export const UNTRUSTED_CODE_MESSAGE =
  'Rollout Lens: Score Code Samples runs the programs written in the completions on this machine. ' +
  'This workspace is in Restricted Mode, so nothing was run. Trust the workspace to score code samples.';

export interface ScoreCodeArgs {
  /** No notification at the end. */
  quiet?: boolean;
}

export interface ScoreCodeSummary {
  path: string;
  cancelled: boolean;
  python: string | null;
  /** Samples whose record has tests and whose code ran (or had no code block). */
  scored: number;
  allPassed: number;
  somePassed: number;
  nonePassed: number;
  /** Samples the reward did not apply to (no tests, other language), with the first reason. */
  notApplicable: number;
  /** Per sample: index, code score, passed/total (tests and the e2e read this). */
  samples: { index: number; code: number | null; passed: number; total: number; reason: string }[];
}

/** What the modal says will run. */
export function optInDetail(python: PythonInfo, params: ReturnType<typeof codeOptionsFromParams>, iso: Isolation = probeIsolation(python.path, python.dirs)): string {
  const l = { ...DEFAULT_LIMITS, ...params.limits };
  const common = [
    `• interpreter: ${python.path} (Python ${python.version}), with -I -B and an environment holding only PATH, HOME, TMPDIR, the locale and one-thread BLAS settings`,
    `• limits: ${l.timeoutSeconds} s wall clock per test (everything the program started is killed), ${l.memoryMb} MB address space, ${l.outputKb} KB of output, files up to ${l.fileMb} MB`,
  ];
  if (iso.kind === 'bwrap') {
    return [
      'Rollout Lens will run the last ```python block of each completion against the test cases in its record, one sandboxed process per test:',
      ...common,
      '• sandbox: bubblewrap, with its own user, process, network, IPC and mount namespaces; the system and interpreter folders read-only; no home folder, no logs, no other processes; at most 64 processes',
      '• files: only a fresh in-memory folder (working directory, HOME and TMPDIR) is writable, discarded after each test',
      `• network: ${iso.network}`,
      'These are the model\'s programs. The tests run in the sandbox after the program; the result comes from the test harness, not from the program.',
    ].join('\n');
  }
  return [
    'Rollout Lens will run the last ```python block of each completion against the test cases in its record, one subprocess per test, WITHOUT an OS sandbox:',
    ...common,
    `• no sandbox: ${iso.unavailable ?? 'bubblewrap is not available'}`,
    '• what this does NOT contain: the programs run as you, can read your home folder, your logs and other processes\' details, and can get around the Python audit-hook guard (which refuses writes outside a temporary folder, network, subprocesses and ctypes) with a few lines of plain Python; a child that detaches can outlive the test',
    `• network: ${iso.network}`,
    'Allowed by rolloutLens.codeExecution.allowWeakSandbox. Score only rollouts whose programs you would run yourself.',
  ].join('\n');
}

async function confirm(context: vscode.ExtensionContext, python: PythonInfo, params: ReturnType<typeof codeOptionsFromParams>, iso: Isolation): Promise<boolean> {
  const kind: CodeConsent = iso.kind === 'bwrap' ? 'sandbox' : 'weak';
  if (context.globalState.get<boolean>(CODE_CONSENT_KEYS[kind]) === true) return true;
  const pick = await vscode.window.showWarningMessage('Run the programs in these completions?', { modal: true, detail: optInDetail(python, params, iso) }, RUN);
  if (pick !== RUN) return false;
  await storeCodeConsent(context.globalState, kind);
  return true;
}

function summarise(uri: vscode.Uri, python: string, cancelled: boolean): ScoreCodeSummary {
  const out: ScoreCodeSummary = { path: uri.fsPath, cancelled, python, scored: 0, allPassed: 0, somePassed: 0, nonePassed: 0, notApplicable: 0, samples: [] };
  const results = scoreStore.get(uri)?.results;
  if (!results || cancelled) return out;
  for (const [index, r] of [...results].sort((a, b) => a[0] - b[0])) {
    const code = r.scores.code ?? null;
    const d = r.details?.code;
    const sc = d && typeof d === 'object' && !Array.isArray(d) && d.score && typeof d.score === 'object' && !Array.isArray(d.score) ? d.score : null;
    const passed = typeof sc?.passed === 'number' ? sc.passed : 0;
    const total = typeof sc?.total === 'number' ? sc.total : 0;
    const reason = r.errors?.code ?? (typeof sc?.reason === 'string' ? sc.reason : '');
    out.samples.push({ index, code, passed, total, reason });
    if (code === null) out.notApplicable++;
    else {
      out.scored++;
      if (code === 1) out.allPassed++;
      else if (passed > 0) out.somePassed++;
      else out.nonePassed++;
    }
  }
  return out;
}

export async function scoreCodeSamples(context: vscode.ExtensionContext, uri: vscode.Uri, args?: ScoreCodeArgs): Promise<ScoreCodeSummary | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(UNTRUSTED_CODE_MESSAGE, 'Manage Workspace Trust').then((p) => {
      if (p) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return undefined;
  }
  let python: PythonInfo;
  const chosen = await pythonInterpreter(uri);
  try {
    python = resolvePython(chosen.path);
  } catch (e) {
    void vscode.window.showErrorMessage(`Rollout Lens: cannot score code samples: ${e instanceof Error ? e.message : String(e)} (set rolloutLens.pythonPath).`);
    return undefined;
  }
  const params = codeOptionsFromParams(readScoringSettings(uri).params.code, python.path);
  const iso = probeIsolation(python.path, python.dirs);
  const allowWeak = vscode.workspace.getConfiguration('rolloutLens', uri).get<boolean>(WEAK_SETTING) === true;
  setWeakSandboxAllowed(false);
  if (iso.kind !== 'bwrap' && !allowWeak) {
    void vscode.window.showErrorMessage(`Rollout Lens: nothing was run: ${refusalMessage(iso)}`, 'Open Setting').then((p) => {
      if (p) void vscode.commands.executeCommand('workbench.action.openSettings', `rolloutLens.${WEAK_SETTING}`);
    });
    return undefined;
  }
  if (!(await confirm(context, python, params, iso))) return undefined;
  // The weak guard only after the modal above named what it does not contain.
  setWeakSandboxAllowed(iso.kind !== 'bwrap' && allowWeak);
  const run = await scoreFile(uri, { rewards: ['code', 'binary_code'], quiet: true });
  const summary = summarise(uri, python.path, run.cancelled);
  if (run.cancelled) {
    if (!args?.quiet) void vscode.window.showInformationMessage('Rollout Lens: code scoring cancelled; running programs were stopped.');
    return summary;
  }
  if (!args?.quiet) {
    const first = summary.samples.find((s) => s.code !== null && s.code < 1) ?? summary.samples.find((s) => s.code !== null);
    const msg = `Rollout Lens: ran the code of ${summary.scored} samples in ${basename(uri.fsPath)}: ${summary.allPassed} passed every test, ` +
      `${summary.somePassed} some, ${summary.nonePassed} none${summary.notApplicable ? `; ${summary.notApplicable} without tests or not Python` : ''}. Per-test results are in the hover and the sample view.`;
    void vscode.window.showInformationMessage(msg, ...(first ? ['Show Failing Sample'] : [])).then((p) => {
      if (p && first) void vscode.commands.executeCommand('rolloutLens.openSample', uri, first.index);
    });
  }
  return summary;
}

export function registerCodeRewardCommands(context: vscode.ExtensionContext, layer: CommandLayer): vscode.Disposable[] {
  registerCodeRewards();
  return [
    layer.registerCommand('rolloutLens.scoreCodeSamples', (arg?: unknown, args?: ScoreCodeArgs) =>
      scoreCodeSamples(context, layer.target(arg, 'open a rollout file with code samples first.'), args)),
  ];
}
