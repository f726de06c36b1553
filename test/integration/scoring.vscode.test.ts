// Scoring commands in a real extension host, each run through vscode.commands.executeCommand with its choices as
// arguments (no QuickPick): Choose Rewards…, Set Target Language…, Set Field Mapping…, Use My Reward Function…
// (a Python file with verl's signature), Score File, Score Sample, Score Group, Export Scored Copy…, Compare
// Recorded vs Recomputed; lenses and hovers then show the recomputed scores. Files that get written live in a temp
// folder (a copy of demo/verl/2.jsonl), and the workspace settings are restored afterwards.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeExtension, demoUri, waitFor } from './helpers';
import { scoreRun } from '../../src/node/scoring/score-run';

interface Summary { scored: number; rewards: string[]; compared: string | null; disagreements: number; errors: Record<string, number>; out: string | null; sidecar: string | null; cancelled: boolean }
interface Scored { scores: Record<string, number | null>; errors?: Record<string, string>; disagreement?: { reason: string; direction: string } }
interface Compare { compared: string | null; count: number; recorded1recomputed0: number; recorded0recomputed1: number; items: { index: number; line: number | null; reason: string }[] }

suite('scoring commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rl-scoring-it-'));
  const log = join(dir, 'step2.jsonl');
  const uri = vscode.Uri.file(log);
  const settingsFile = demoUri('.vscode', 'settings.json').fsPath;
  const hadSettings = existsSync(settingsFile);
  const settingsBefore = hadSettings ? readFileSync(settingsFile, 'utf8') : null;
  const records = () => readFileSync(demoUri('verl', '2.jsonl').fsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { output: string; gts: string; score: number });

  suiteSetup(async () => {
    copyFileSync(demoUri('verl', '2.jsonl').fsPath, log);
    await activeExtension();
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  });

  suiteTeardown(async () => {
    const c = vscode.workspace.getConfiguration('rolloutLens');
    for (const k of ['rewards', 'rewardParameters', 'rewardFunctions', 'targetLanguage', 'fieldMapping']) await c.update(k, undefined, vscode.ConfigurationTarget.Workspace);
    // Leave demo/ as it was: the settings file did not exist before, or had this content.
    if (settingsBefore === null) rmSync(join(settingsFile, '..'), { recursive: true, force: true });
    else writeFileSync(settingsFile, settingsBefore);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  test('Choose Rewards…, Set Target Language…, Set Field Mapping… store their arguments in the settings', async () => {
    const r = await vscode.commands.executeCommand<{ rewards: string[] }>('rolloutLens.chooseRewards', ['accuracy', 'format', 'repetition_penalty'], { repetition_penalty: { ngramSize: 2 } });
    assert.deepEqual(r?.rewards, ['accuracy', 'format', 'repetition_penalty']);
    const c = () => vscode.workspace.getConfiguration('rolloutLens');
    assert.deepEqual(c().get('rewards'), ['accuracy', 'format', 'repetition_penalty']);
    assert.deepEqual(c().get('rewardParameters'), { repetition_penalty: { ngramSize: 2 } });
    assert.equal(await vscode.commands.executeCommand('rolloutLens.setTargetLanguage', 'en'), 'en');
    assert.equal(c().get('targetLanguage'), 'en');
    await vscode.commands.executeCommand('rolloutLens.setTargetLanguage', 'auto');
    assert.deepEqual(await vscode.commands.executeCommand('rolloutLens.setFieldMapping', { gold: 'gts' }), { gold: 'gts' });
    assert.deepEqual(c().get('fieldMapping'), { gold: 'gts' });
    assert.deepEqual(await vscode.commands.executeCommand('rolloutLens.setFieldMapping', { gold: '' }), {});
  });

  test('Score File: every sample scored, disagreements as the pipeline counts them, lenses and hover show recomputed scores', async () => {
    const s = await vscode.commands.executeCommand<Summary>('rolloutLens.scoreFile', uri, { quiet: true });
    assert.ok(s && !s.cancelled);
    assert.equal(s.scored, records().length);
    assert.deepEqual(s.rewards, ['accuracy', 'format', 'repetition_penalty']);
    assert.equal(s.compared, 'accuracy');
    const expected = await scoreRun(log, { rewards: ['accuracy'], lang: 'auto' });
    assert.equal(s.disagreements, expected.disagreements.length);
    assert.ok(s.disagreements > 0, 'demo step 2 has a sample rewarded 0 whose answer matches the gold');
    const lenses = await waitFor('lenses with recomputed scores', async () => {
      const ls = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
      const titles = ls.map((l) => l.command?.title ?? '').filter((t) => t.startsWith('reward '));
      return titles.length === records().length && titles.every((t) => t.includes(' recomputed accuracy ')) ? titles : undefined;
    }, 15000, 250);
    assert.ok(lenses.some((t) => t.includes('· $(warning) recomputed accuracy 1 ≠ recorded 0: answer 100 = gold 100')), lenses.join('\n'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(0, 5));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text.replace(/&nbsp;/g, ' '), /recomputed: accuracy \d/);
  });

  test('Score Sample and Score Group take the file and sample index', async () => {
    const one = await vscode.commands.executeCommand<Scored>('rolloutLens.scoreSample', uri, 1);
    assert.equal(one?.scores.accuracy, 1);
    assert.equal(typeof one?.scores.repetition_penalty, 'number');
    const g = await vscode.commands.executeCommand<{ group: number; members: number[]; results: (Scored | null)[] }>('rolloutLens.scoreGroup', uri, 1);
    assert.ok(g && g.members.length === 4, `group of 4, got ${g?.members.length}`);
    assert.ok(g.members.includes(1));
    assert.ok(g.results.every((r) => r !== null && typeof r.scores.accuracy === 'number'));
  });

  test('Use My Reward Function… (Python, verl signature) then Score File runs it; raising samples are marked', async () => {
    const py = join(dir, 'my_reward.py');
    writeFileSync(py, [
      'def compute_score(data_source, solution_str, ground_truth, extra_info):',
      '    if "25/3" in solution_str:',
      '        raise ValueError("no fractions")',
      '    return 1.0 if ("<answer>%s</answer>" % ground_truth) in solution_str else 0.0',
    ].join('\n'));
    assert.equal(vscode.workspace.isTrusted, true);
    const stored = await vscode.commands.executeCommand<string[]>('rolloutLens.useRewardFunction', py);
    assert.deepEqual(stored, [py]);
    const s = await vscode.commands.executeCommand<Summary>('rolloutLens.scoreFile', uri, { quiet: true, sidecar: true });
    assert.ok(s && s.rewards.includes('my_reward'), JSON.stringify(s));
    assert.equal(s.compared, 'my_reward');
    assert.equal(s.errors.my_reward, records().filter((r) => r.output.includes('25/3')).length);
    assert.ok(s.sidecar && existsSync(s.sidecar), 'sidecar written next to the log');
    const sidecarLines = readFileSync(s.sidecar, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { index: number; scores: Record<string, number | null> });
    records().forEach((r, i) => {
      const expected = r.output.includes('25/3') ? null : r.output.includes(`<answer>${r.gts}</answer>`) ? 1 : 0;
      assert.equal(sidecarLines[i].scores.my_reward, expected, `sample ${i}`);
    });
    assert.deepEqual(await vscode.commands.executeCommand('rolloutLens.useRewardFunction', null), []);
  });

  test('a JS module with TRL\'s signature runs in a worker thread of the extension host', async () => {
    const js = join(dir, 'exact.mjs');
    writeFileSync(js, [
      'export function exact(prompts, completions, kwargs) {',
      '  return completions.map((c, i) => (c.includes(`<answer>${kwargs.gts[i]}</answer>`) ? 1 : 0));',
      '}',
    ].join('\n'));
    const s = await vscode.commands.executeCommand<Summary>('rolloutLens.scoreFile', uri, { quiet: true, rewardFunctions: [js] });
    assert.ok(s && s.rewards.includes('exact'), JSON.stringify(s));
    assert.deepEqual(s.errors, {});
    const one = await vscode.commands.executeCommand<Scored>('rolloutLens.scoreSample', uri, 3);
    assert.ok(one && 'accuracy' in one.scores, 'Score Sample uses the settings (no reward function set any more)');
    const expected = records().filter((r) => r.output.includes(`<answer>${r.gts}</answer>`) !== (r.score === 1)).length;
    assert.equal(s.disagreements, expected);
  });

  test('Export Scored Copy… writes each record plus rollout_lens to a new file; the log is untouched', async () => {
    const before = readFileSync(log, 'utf8');
    const out = join(dir, 'exported.jsonl');
    const s = await vscode.commands.executeCommand<Summary>('rolloutLens.exportScoredCopy', uri, out);
    assert.equal(s?.out, out);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown> & { rollout_lens: { scores: Record<string, unknown> } });
    const inputs = before.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, inputs.length);
    lines.forEach((l, i) => {
      const { rollout_lens: rl, ...rest } = l;
      assert.deepEqual(rest, inputs[i]);
      assert.ok('accuracy' in rl.scores);
    });
    assert.equal(readFileSync(log, 'utf8'), before);
    // The input itself is refused as a target.
    assert.equal(await vscode.commands.executeCommand('rolloutLens.exportScoredCopy', uri, log), undefined);
    assert.equal(readFileSync(log, 'utf8'), before);
  });

  test('Compare Recorded vs Recomputed lists the disagreements with reasons and both directions counted', async () => {
    const c = await vscode.commands.executeCommand<Compare>('rolloutLens.compareRecorded', uri, { quiet: true });
    assert.ok(c);
    assert.equal(c.compared, 'accuracy');
    assert.equal(c.count, c.items.length);
    assert.equal(c.count, c.recorded1recomputed0 + c.recorded0recomputed1);
    assert.ok(c.count > 0);
    for (const it of c.items) {
      assert.ok(it.reason.length > 0);
      assert.ok(it.line !== null && it.line >= 1);
    }
  });
});
