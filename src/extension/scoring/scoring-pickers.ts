// The choice commands of scoring: Choose Rewards…, Set Target Language…, Set Field Mapping…, Use My Reward
// Function…. Each one takes its answer as an argument (tests, keybindings) and otherwise asks with a QuickPick;
// answers are stored in the settings (workspace when a folder is open) so the CLI-equivalent choices persist.
import * as vscode from 'vscode';
import { REWARDS } from '../../core/rewards/registry';
import type { ParamValue, RewardParams } from '../../core/rewards/types';
import { listBatchRewards } from '../../core/scoring/batch-registry';
import { parseRewardFnSpec, RewardFnSpecError } from '../../core/scoring/reward-fn-spec';
import { ROLES } from '../../core/types';
import { readScoringSettings, settingsTarget } from './scoring-settings';
import { requireTrust } from './trust';
import { targetUri } from '../commands/command-context';

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('rolloutLens');
}

interface RewardItem extends vscode.QuickPickItem {
  name: string;
}

/** Choose Rewards…: `(names?, params?)`; without names a multi-select QuickPick, then optional parameters. */
export async function chooseRewards(names?: string[], params?: Record<string, RewardParams>): Promise<{ rewards: string[]; params: Record<string, RewardParams> } | undefined> {
  const current = readScoringSettings();
  let chosen = names;
  let chosenParams = params ?? current.params;
  if (chosen === undefined) {
    const items: RewardItem[] = [
      ...REWARDS.map((r) => ({
        name: r.name,
        label: r.name,
        description: r.kind === 'parity' ? `parity: ${r.upstream.map((u) => `${u.project} ${u.function}`).join(', ')}` : 'Rollout Lens',
        detail: r.description + (r.parameters.length ? ` Parameters: ${r.parameters.map((p) => `${p.name}=${JSON.stringify(current.params[r.name]?.[p.name] ?? p.default)}`).join(', ')}.` : ''),
        picked: current.rewards.includes(r.name),
      })),
      ...listBatchRewards().map((b) => ({ name: b.name, label: b.name, description: b.runsCode ? 'runs code (trusted workspaces only)' : 'batch', detail: b.description, picked: current.rewards.includes(b.name) })),
    ];
    const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Rollout Lens: rewards to recompute', matchOnDetail: true });
    if (!picked) return undefined;
    chosen = picked.map((p) => p.name);
    chosenParams = await editParameters(chosen, current.params);
  }
  await config().update('rewards', chosen, settingsTarget());
  await config().update('rewardParameters', chosenParams, settingsTarget());
  return { rewards: chosen, params: chosenParams };
}

/** Offers to change the parameters of the chosen rewards that have any; returns the (possibly unchanged) table. */
async function editParameters(chosen: string[], current: Record<string, RewardParams>): Promise<Record<string, RewardParams>> {
  const out: Record<string, RewardParams> = { ...current };
  const withParams = REWARDS.filter((r) => chosen.includes(r.name) && r.parameters.length > 0);
  for (;;) {
    if (withParams.length === 0) return out;
    const items = [
      { label: '$(check) Done', name: '' },
      ...withParams.map((r) => ({ label: `$(settings) ${r.name}`, name: r.name, detail: r.parameters.map((p) => `${p.name}=${JSON.stringify(out[r.name]?.[p.name] ?? p.default)}`).join(', ') })),
    ];
    const pick = await vscode.window.showQuickPick(items, { title: 'Rollout Lens: change reward parameters (optional)' });
    if (!pick || pick.name === '') return out;
    const def = withParams.find((r) => r.name === pick.name)!;
    const param = await vscode.window.showQuickPick(def.parameters.map((p) => ({ label: p.name, description: JSON.stringify(out[def.name]?.[p.name] ?? p.default), detail: p.description, p })), { title: `${def.name}: parameter` });
    if (!param) continue;
    const value = await vscode.window.showInputBox({
      title: `${def.name}.${param.p.name}`,
      prompt: param.p.description,
      value: String(out[def.name]?.[param.p.name] ?? param.p.default),
      validateInput: (v) => (parseParam(v, param.p.default) === undefined ? `expected a ${typeof param.p.default}` : null),
    });
    if (value === undefined) continue;
    out[def.name] = { ...(out[def.name] ?? {}), [param.p.name]: parseParam(value, param.p.default)! };
  }
}

function parseParam(v: string, like: ParamValue): ParamValue | undefined {
  if (typeof like === 'number') {
    const n = Number(v);
    return v.trim() !== '' && Number.isFinite(n) ? n : undefined;
  }
  if (typeof like === 'boolean') return v === 'true' ? true : v === 'false' ? false : undefined;
  return v;
}

const LANGUAGES: [string, string][] = [
  ['auto', 'the prompt\'s language'], ['en', 'English'], ['zh', 'Chinese'], ['ja', 'Japanese'], ['ko', 'Korean'],
  ['fr', 'French'], ['de', 'German'], ['es', 'Spanish'], ['ru', 'Russian'], ['pt', 'Portuguese'], ['it', 'Italian'],
  ['ar', 'Arabic'], ['vi', 'Vietnamese'], ['th', 'Thai'],
];

/** Set Target Language…: `(code?)`. */
export async function setTargetLanguage(code?: string): Promise<string | undefined> {
  let lang = code;
  if (lang === undefined) {
    const current = config().get<string>('targetLanguage', 'auto');
    const pick = await vscode.window.showQuickPick(
      LANGUAGES.map(([c, name]) => ({ label: c, description: name, picked: c === current })),
      { title: 'Rollout Lens: target language of the reasoning (language-mix flags, language_consistency reward)' },
    );
    if (!pick) return undefined;
    lang = pick.label;
  }
  if (lang !== 'auto' && !/^[a-z]{2,3}$/.test(lang)) throw new Error(`'${lang}' is not auto or an ISO 639-1 code`);
  await config().update('targetLanguage', lang, settingsTarget());
  return lang;
}

/**
 * Set Field Mapping…: `(mapping?, keys?)`, where an empty field name removes that role's override; `keys` are the
 * fields to offer (the Rollout Viewer passes its first record's), else the record under the text cursor's.
 */
export async function setFieldMapping(mapping?: Record<string, string>, keys?: string[]): Promise<Record<string, string> | undefined> {
  const current = { ...config().get<Record<string, string>>('fieldMapping', {}) };
  if (mapping !== undefined) {
    for (const [role, field] of Object.entries(mapping)) {
      if (!(ROLES as readonly string[]).includes(role)) throw new Error(`unknown role '${role}' (expected ${ROLES.join(', ')})`);
      if (field) current[role] = field;
      else delete current[role];
    }
  } else {
    const role = await vscode.window.showQuickPick(ROLES.map((r) => ({ label: r, description: current[r] ? `→ ${current[r]}` : 'detected' })), { title: 'Rollout Lens: which role to map' });
    if (!role) return undefined;
    const offered = keys && keys.length > 0 ? keys : keysOfActiveRecord();
    const items = [{ label: '$(discard) detected (no override)', field: '' }, ...offered.map((k) => ({ label: k, field: k })), { label: '$(edit) other (dotted path)…', field: '\u0000' }];
    const pick = await vscode.window.showQuickPick(items, { title: `Field holding the ${role.label}` });
    if (!pick) return undefined;
    let field = pick.field;
    if (field === '\u0000') {
      const typed = await vscode.window.showInputBox({ title: `Field holding the ${role.label}`, prompt: 'A key or a dotted path, e.g. reward_model.ground_truth' });
      if (typed === undefined) return undefined;
      field = typed.trim();
    }
    if (field) current[role.label] = field;
    else delete current[role.label];
  }
  await config().update('fieldMapping', current, settingsTarget());
  return current;
}

/** Keys (and one level of nested keys) of the record under the cursor, to pick a field from. */
function keysOfActiveRecord(): string[] {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return [];
  const text = editor.document.lineAt(editor.selection.active.line).text.trim() || editor.document.lineAt(0).text.trim();
  try {
    const v: unknown = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return [];
    const out: string[] = [];
    for (const [k, inner] of Object.entries(v as Record<string, unknown>)) {
      out.push(k);
      if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) for (const k2 of Object.keys(inner)) out.push(`${k}.${k2}`);
    }
    return out;
  } catch {
    return [];
  }
}

/**
 * Use My Reward Function…: `(spec?)` with spec `path[:name]`; null removes the reward functions. Only in trusted
 * workspaces: the function is a program that will run on this machine.
 */
export async function useRewardFunction(spec?: string | null): Promise<string[] | undefined> {
  if (spec === null) {
    await config().update('rewardFunctions', [], settingsTarget());
    return [];
  }
  if (!requireTrust()) return undefined;
  let chosen = spec;
  if (chosen === undefined) {
    const files = await vscode.window.showOpenDialog({
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      filters: { 'Reward function': ['py', 'js', 'mjs', 'cjs', 'ts', 'mts'] },
      title: 'Your reward function: Python (TRL or verl signature) or JS/TS (TRL signature)',
    });
    if (!files || files.length === 0) return undefined;
    const name = await vscode.window.showInputBox({
      title: 'Function to call',
      prompt: 'Leave empty for verl\'s compute_score, or the only function taking completions (TRL: f(prompts, completions, **kwargs)).',
      validateInput: (v) => (v === '' || /^[A-Za-z_$][\w$]*$/.test(v) ? null : 'a function name'),
    });
    if (name === undefined) return undefined;
    chosen = files[0].fsPath + (name ? `:${name}` : '');
  }
  try {
    parseRewardFnSpec(chosen);
  } catch (e) {
    if (e instanceof RewardFnSpecError) throw new Error(e.message);
    throw e;
  }
  // Store a workspace-relative path when the file is inside the workspace, so the setting travels with the project.
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const stored = folder && chosen.startsWith(folder + '/') ? chosen.slice(folder.length + 1) : chosen;
  await config().update('rewardFunctions', [stored], settingsTarget());
  const uri = targetUri();
  void vscode.window.showInformationMessage(`Rollout Lens: scoring now runs ${stored}.`, ...(uri ? ['Score File'] : [])).then((pick) => {
    if (pick && uri) void vscode.commands.executeCommand('rolloutLens.scoreFile', uri);
  });
  return [stored];
}
