// The palette commands of scoring (category "Rollout Lens"): Score File, Score Sample at Cursor, Score Group, Choose
// Rewards…, Set Target Language…, Set Field Mapping…, Use My Reward Function…, Export Scored Copy…, Compare
// Recorded vs Recomputed. Every command also takes its choices as arguments, so tests and keybindings can run it
// without a QuickPick. Long runs show progress with cancel; a cancelled run writes nothing (atomic writers abort).
import * as vscode from 'vscode';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import type { DocumentModel } from '../document-model';
import { CommandError, type CommandLayer } from '../commands/command-context';
import { readSettings, runOptionsFromSettings } from '../settings';
import { membersOf } from '../../core/groups/group-builder';
import { scoreSamples } from '../../core/scoring/score-samples';
import type { ScoredSample } from '../../core/scoring/score-one';
import { disagreementLabel } from '../../core/scoring/disagreement';
import { scoreRun, ScoringCancelled, type ScoreRunResult } from '../../node/scoring/score-run';
import { sidecarPathFor } from '../../node/scoring/sidecar';
import { buildRewardSet, disposeAll, scoringOutput, type RewardSet } from './batch-rewards';
import { readScoringSettings, type ScoringSettings } from './scoring-settings';
import { scoreStore } from './score-store';
import { chooseRewards, setFieldMapping, setTargetLanguage, useRewardFunction } from './scoring-pickers';

/** Files up to this size keep every per-sample result for lenses and hovers (the editor tiers). */
const KEEP_RESULTS_BYTES = 50 * 1024 * 1024;

export interface ScoreFileArgs {
  /** Override the rewards setting for this run. */
  rewards?: string[];
  rewardFunctions?: string[];
  /** Write the sidecar next to the log (default: the rolloutLens.scoring.sidecar setting). */
  sidecar?: boolean;
  /** Scored copy to write. */
  out?: string | vscode.Uri;
  /** No notification at the end (tests, Compare). */
  quiet?: boolean;
}

export interface ScoreFileSummary {
  path: string;
  scored: number;
  badLines: number;
  rewards: string[];
  compared: string | null;
  disagreements: number;
  errors: Record<string, number>;
  out: string | null;
  sidecar: string | null;
  cancelled: boolean;
}

function settingsFor(uri: vscode.Uri, args: ScoreFileArgs | undefined): ScoringSettings {
  const s = readScoringSettings(uri);
  return { ...s, rewards: args?.rewards ?? s.rewards, rewardFunctions: args?.rewardFunctions ?? s.rewardFunctions };
}

function pathOf(v: string | vscode.Uri): string {
  return typeof v === 'string' ? v : v.fsPath;
}

async function withRewards<T>(uri: vscode.Uri, s: ScoringSettings, f: (set: RewardSet) => Promise<T>): Promise<T> {
  const set = await buildRewardSet(uri, s);
  if (set.unknown.length > 0) void vscode.window.showWarningMessage(`Rollout Lens: unknown reward ${set.unknown.join(', ')} (left out; see Choose Rewards…)`);
  try {
    return await f(set);
  } finally {
    await disposeAll(set.batch);
  }
}

/** Scores a whole file (from disk: any size), with progress and cancel. */
export async function scoreFile(uri: vscode.Uri, args?: ScoreFileArgs): Promise<ScoreFileSummary> {
  const s = settingsFor(uri, args);
  const path = uri.fsPath;
  const out = args?.out ? pathOf(args.out) : null;
  if (out !== null && out === path) throw new Error('the scored copy must be a new file: the log is never modified');
  const sidecar = (args?.sidecar ?? s.sidecar) ? sidecarPathFor(path) : null;
  const settings = readSettings(uri);
  // Per-sample results feed lenses and hovers, which exist only for files VS Code gives to extensions; a run
  // folder or a large file keeps the counts and disagreements only.
  let size = Infinity;
  try {
    const st = statSync(path);
    if (st.isFile()) size = st.size;
  } catch {
    size = Infinity;
  }
  return withRewards(uri, s, async (set) => {
    const columns = [...set.rules, ...set.batch.map((b) => b.name)];
    const summary: ScoreFileSummary = { path, scored: 0, badLines: 0, rewards: columns, compared: null, disagreements: 0, errors: {}, out, sidecar, cancelled: false };
    let result: ScoreRunResult | null = null;
    try {
      result = await vscode.window.withProgress({
        location: vscode.ProgressLocation.Notification,
        title: `Rollout Lens: scoring ${basename(path)}`,
        cancellable: true,
      }, async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let reported = 0;
        return scoreRun(path, {
          rewards: set.rules,
          params: s.params,
          lang: settings.targetLanguage,
          run: { ...runOptionsFromSettings(settings), analyse: false },
          batchRewards: set.batch,
          out,
          sidecar,
          signal: abort.signal,
          keepResults: size <= KEEP_RESULTS_BYTES,
          onProgress: (p) => {
            // Reading is the first 30 %, scoring the rest.
            const frac = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : 0;
            const pct = p.phase === 'reading' ? 30 * frac : 30 + 70 * frac;
            if (pct - reported >= 1) {
              progress.report({ increment: pct - reported, message: p.phase === 'reading' ? 'reading' : `${p.samples.toLocaleString()} samples` });
              reported = pct;
            }
          },
        });
      });
    } catch (e) {
      if (e instanceof ScoringCancelled) {
        summary.cancelled = true;
        if (!args?.quiet) void vscode.window.showInformationMessage('Rollout Lens: scoring cancelled; nothing was written.');
        return summary;
      }
      scoringOutput().appendLine(`scoring ${path} failed: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    summary.scored = result.scored;
    summary.badLines = result.badLines;
    summary.compared = result.compared;
    summary.disagreements = result.disagreements.length;
    summary.errors = result.errors;
    scoreStore.set(uri, {
      rewards: columns, compared: result.compared, results: result.results ?? new Map(), disagreements: result.disagreements,
      wholeFile: true, scored: result.scored, errors: result.errors,
    });
    if (Object.keys(result.errors).length > 0) scoringOutput().show(true);
    if (!args?.quiet) announce(uri, summary);
    return summary;
  });
}

function announce(uri: vscode.Uri, s: ScoreFileSummary): void {
  const errs = Object.entries(s.errors).map(([k, n]) => `${k} failed on ${n}`).join(', ');
  const dis = s.compared === null ? 'no recorded reward to compare' : `${s.disagreements} disagree with the recorded reward (${s.compared})`;
  const wrote = [s.out ? `scored copy ${basename(s.out)}` : '', s.sidecar ? `sidecar ${basename(s.sidecar)}` : ''].filter(Boolean).join(', ');
  const msg = `Rollout Lens: scored ${s.scored} samples with ${s.rewards.join(', ')}: ${dis}${errs ? `; ${errs} (see Output)` : ''}${wrote ? `; wrote ${wrote}` : ''}.`;
  const actions = s.disagreements > 0 ? ['Compare Recorded vs Recomputed', 'Export Scored Copy…'] : ['Export Scored Copy…'];
  void vscode.window.showInformationMessage(msg, ...actions).then((pick) => {
    if (pick === 'Compare Recorded vs Recomputed') void vscode.commands.executeCommand('rolloutLens.compareRecorded', uri);
    else if (pick === 'Export Scored Copy…') void vscode.commands.executeCommand('rolloutLens.exportScoredCopy', uri);
  });
}

/** Scores some samples of a text-editor file from its in-memory model; stores and returns them. */
async function scoreSome(uri: vscode.Uri, dm: DocumentModel, indices: number[]): Promise<Map<number, ScoredSample>> {
  const s = readScoringSettings(uri);
  const settings = readSettings(uri);
  return withRewards(uri, s, async (set) => {
    const abort = new AbortController();
    const results = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Rollout Lens: scoring' }, () =>
      scoreSamples(dm.model, indices, { rewards: set.rules, params: s.params, lang: settings.targetLanguage, batchRewards: set.batch, signal: abort.signal }));
    const disagreements = [...results].filter(([, r]) => r.disagreement).map(([index, r]) => ({ index, disagreement: r.disagreement! }));
    const errors: Record<string, number> = {};
    for (const r of results.values()) for (const k of Object.keys(r.errors ?? {})) errors[k] = (errors[k] ?? 0) + 1;
    scoreStore.set(uri, {
      rewards: [...set.rules, ...set.batch.map((b) => b.name)], compared: disagreements[0]?.disagreement.reward ?? null,
      results, disagreements, wholeFile: false, scored: results.size, errors,
    });
    if (Object.keys(errors).length > 0) scoringOutput().show(true);
    return results;
  });
}

/** Registers the scoring commands on the command layer (target, model, cursor and errors resolved there). */
export function registerScoringCommands(layer: CommandLayer): vscode.Disposable[] {
  return [
    scoreStore,
    vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length > 0) scoreStore.clear(e.document.uri); }),
    layer.registerCommand('rolloutLens.scoreFile', (arg?: unknown, args?: ScoreFileArgs) => scoreFile(layer.target(arg), args)),
    layer.registerCommand('rolloutLens.scoreSample', async (arg?: unknown, sample?: number) => {
      const uri = layer.target(arg);
      const { dm } = await layer.model(uri);
      const i = layer.sampleAt(uri, dm, sample);
      const r = (await scoreSome(uri, dm, [i])).get(i);
      if (!r) return undefined;
      const scores = Object.entries(r.scores).map(([k, v]) => `${k} ${v === null ? '—' : Math.round(v * 1000) / 1000}`).join(' · ');
      const extra = [r.answer ? `answer ${r.answer}` : '', r.note ?? '', r.disagreement ? disagreementLabel(r.disagreement) : '',
        ...Object.entries(r.errors ?? {}).map(([k, v]) => `${k} failed: ${v}`)].filter(Boolean).join(' · ');
      void vscode.window.showInformationMessage(`Sample ${i + 1}: ${scores}${extra ? ` · ${extra}` : ''}`);
      return r;
    }),
    layer.registerCommand('rolloutLens.scoreGroup', async (arg?: unknown, sample?: number) => {
      const uri = layer.target(arg);
      const { dm } = await layer.model(uri);
      const i = layer.sampleAt(uri, dm, sample);
      const g = dm.model.groups.grouping.groupOf[i];
      const members = g >= 0 ? Array.from(membersOf(dm.model.groups.grouping, g)) : [i];
      const results = await scoreSome(uri, dm, members);
      const compared = [...results.values()].find((r) => r.disagreement)?.disagreement?.reward ?? 'accuracy';
      const recomputedCorrect = [...results.values()].filter((r) => (r.scores[compared] ?? 0) > 0).length;
      const recordedCorrect = members.filter((m) => (dm.model.samples?.[m]?.reward ?? 0) > 0).length;
      const dis = [...results.values()].filter((r) => r.disagreement).length;
      void vscode.window.showInformationMessage(`Group ${g + 1}: ${recomputedCorrect}/${members.length} with ${compared} > 0 recomputed, ${recordedCorrect}/${members.length} with reward > 0 recorded${dis ? `; ${dis} disagree` : ''}.`);
      return { group: g, members, results: members.map((m) => results.get(m) ?? null) };
    }),
    layer.registerCommand('rolloutLens.chooseRewards', chooseRewards),
    layer.registerCommand('rolloutLens.setTargetLanguage', setTargetLanguage),
    layer.registerCommand('rolloutLens.setFieldMapping', setFieldMapping),
    layer.registerCommand('rolloutLens.useRewardFunction', useRewardFunction),
    layer.registerCommand('rolloutLens.exportScoredCopy', async (arg?: unknown, target?: string | vscode.Uri) => {
      const uri = layer.target(arg);
      let out = target;
      if (out === undefined) {
        const suggested = vscode.Uri.file(uri.fsPath.replace(/(\.[^./\\]+)?$/, '.scored.jsonl'));
        const picked = await vscode.window.showSaveDialog({ defaultUri: suggested, filters: { 'JSON Lines': ['jsonl'] }, title: 'Export Scored Copy' });
        if (!picked) return undefined;
        out = picked;
      }
      if (pathOf(out) === uri.fsPath) throw new CommandError('the scored copy must be a new file: the log is never modified');
      return scoreFile(uri, { out });
    }),
    layer.registerCommand('rolloutLens.compareRecorded', async (arg?: unknown, opts?: { quiet?: boolean }) => {
      const uri = layer.target(arg);
      let stored = scoreStore.get(uri);
      if (!stored?.wholeFile) {
        const r = await scoreFile(uri, { quiet: true });
        if (r.cancelled) return undefined;
        stored = scoreStore.get(uri);
      }
      if (!stored) return undefined;
      const items = stored.disagreements.map(({ index, disagreement }) => ({ index, line: stored.results.get(index)?.line ?? null, ...disagreement }));
      const summary = {
        compared: stored.compared,
        count: items.length,
        recorded1recomputed0: items.filter((d) => d.direction === 'recorded-1-recomputed-0').length,
        recorded0recomputed1: items.filter((d) => d.direction === 'recorded-0-recomputed-1').length,
        items,
      };
      if (!opts?.quiet) void showDisagreements(uri, summary.compared, items);
      return summary;
    }),
  ];
}

async function showDisagreements(uri: vscode.Uri, compared: string | null, items: { index: number; line: number | null; direction: string; reason: string; recorded: number; recomputed: number }[]): Promise<void> {
  if (items.length === 0) {
    void vscode.window.showInformationMessage(compared === null ? 'Rollout Lens: the log records no reward to compare with.' : `Rollout Lens: every sample's recorded reward agrees with the recomputed ${compared}.`);
    return;
  }
  const picks = items.slice(0, 5000).map((d) => ({
    label: `${d.line !== null ? `line ${d.line}` : `sample ${d.index + 1}`}: recorded ${d.recorded} ≠ recomputed ${d.recomputed}`,
    description: d.direction === 'recorded-1-recomputed-0' ? 'rewarded, but wrong by the rules' : d.direction === 'recorded-0-recomputed-1' ? 'not rewarded, but right by the rules' : '',
    detail: d.reason,
    d,
  }));
  const pick = await vscode.window.showQuickPick(picks, { title: `${items.length} samples where the recorded reward disagrees with ${compared}`, matchOnDetail: true });
  if (!pick) return;
  if (pick.d.line !== null) {
    const doc = await vscode.workspace.openTextDocument(uri);
    const pos = new vscode.Position(pick.d.line - 1, 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
  } else {
    await vscode.commands.executeCommand('rolloutLens.openViewer', uri);
  }
}
