// The CodeLens contract: on every sample line the FIRST lens's title starts with `reward <value>`
// (e.g. `reward 1 · adv +0.94 · group 3/64 (5/8 correct) · 2 flags`), and the value is that line's reward.
// Expected values are computed from the file itself, so regenerating the demo keeps the test honest.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activeExtension, openDemo, sampleLines, waitFor } from './helpers';

/** The reward a verl training dump row was trained with (docs/formats.md §3.1: score + overlong_reward if present). */
function verlReward(record: Record<string, unknown>): number {
  const score = record.score;
  if (typeof score !== 'number') throw new Error(`record has no numeric score: ${JSON.stringify(record).slice(0, 200)}`);
  const overlong = typeof record.overlong_reward === 'number' ? record.overlong_reward : 0;
  return score + overlong;
}

function firstLensPerLine(lenses: readonly vscode.CodeLens[]): Map<number, vscode.CodeLens> {
  // Lenses come back in provider order; sort by position so "first on the line" is well defined.
  const sorted = [...lenses].sort((a, b) => a.range.start.compareTo(b.range.start));
  const byLine = new Map<number, vscode.CodeLens>();
  for (const lens of sorted) if (!byLine.has(lens.range.start.line)) byLine.set(lens.range.start.line, lens);
  return byLine;
}

for (const file of ['1.jsonl', '10.jsonl']) {
  suite(`codelens on demo/verl/${file}`, () => {
    test('every sample line has a first lens "reward <value>" with that line\'s reward', async () => {
      const editor = await openDemo('verl', file);
      await activeExtension();
      const samples = sampleLines(editor.document);
      assert.ok(samples.length >= 8, 'demo file too small');
      // The provider may fill in its lenses after an async analysis, so poll until every sample line has a
      // resolved lens. itemResolveCount (100) makes VS Code call resolveCodeLens and return resolved ones only.
      let seen: readonly vscode.CodeLens[] = [];
      const byLine = await waitFor('a resolved code lens on every sample line', async () => {
        seen = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100)) ?? [];
        const m = firstLensPerLine(seen.filter((l) => l.command?.title?.startsWith('reward ')));
        return samples.every((s) => m.has(s.line)) ? firstLensPerLine(seen) : undefined;
      }, 10000, 250).catch((err: unknown) => {
        const titles = seen.slice(0, 5).map((l) => `L${l.range.start.line + 1} "${l.command?.title ?? '(unresolved)'}"`);
        throw new Error(`${err instanceof Error ? err.message : String(err)}; ${samples.length} sample lines, ${seen.length} lenses from all providers${titles.length ? `: ${titles.join(', ')}` : ''}`);
      });
      console.log(`      first lens: "${byLine.get(samples[0]!.line)?.command?.title ?? ''}"`);
      for (const { line, record } of samples) {
        const lens = byLine.get(line);
        assert.ok(lens?.command, `line ${line + 1}: no resolved lens`);
        const title = lens.command.title;
        assert.ok(title.startsWith('reward '), `line ${line + 1}: first lens is "${title}", expected it to start with "reward "`);
        const shown = Number.parseFloat(title.slice('reward '.length));
        const expected = verlReward(record);
        // Titles may round (e.g. 2 decimals); the demo rewards are exact 0/1 anyway.
        assert.ok(Math.abs(shown - expected) < 0.005, `line ${line + 1}: lens says "${title}", the file says reward ${expected}`);
      }
    });
  });
}
