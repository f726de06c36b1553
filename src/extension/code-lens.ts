// Code lenses on every sample line (platform.md §1.3): provide returns ranges only, from the cached line
// index; resolve fills in "reward · advantage · group k/N correct · flags" and the actions for visible lenses.
import * as vscode from 'vscode';
import type { ModelCache } from './model-cache';
import { sampleHeadline } from '../core/run/sample-headline';

interface SampleLens extends vscode.CodeLens {
  uri: vscode.Uri;
  sample: number;
  action: 'headline' | 'open' | 'group' | 'score';
}

export class RolloutCodeLensProvider implements vscode.CodeLensProvider<SampleLens> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /** Lenses handed out in the last provide call, for the test hook. */
  lastCount = 0;

  constructor(private readonly cache: ModelCache) {
    cache.onDidChangeModel(() => this.changed.fire());
  }

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): SampleLens[] {
    const dm = this.cache.get(doc);
    if (dm === null || token.isCancellationRequested) return [];
    const enabled = vscode.workspace.getConfiguration('rolloutLens', doc.uri).get<boolean>('codeLens.enabled', true);
    if (!enabled) return [];
    const lenses: SampleLens[] = [];
    let lastLine = -1;
    for (let s = 0; s < dm.model.count; s++) {
      const line = dm.lineOfSample[s];
      if (line < 0 || line === lastLine) continue; // one set of lenses per line (a row holding a group shows its first)
      lastLine = line;
      const range = new vscode.Range(line, 0, line, 0);
      for (const action of ['headline', 'open', 'group', 'score'] as const) {
        lenses.push(Object.assign(new vscode.CodeLens(range), { uri: doc.uri, sample: s, action }));
      }
    }
    this.lastCount = lenses.length;
    return lenses;
  }

  resolveCodeLens(lens: SampleLens): SampleLens {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === lens.uri.toString());
    const dm = doc ? this.cache.get(doc) : null;
    const args = [lens.uri, lens.sample];
    switch (lens.action) {
      case 'headline':
        lens.command = {
          title: dm ? sampleHeadline(dm.model, lens.sample) : 'rollout sample',
          command: 'rolloutLens.showSampleInfo',
          arguments: args,
          tooltip: 'Reward, advantage, GRPO group and flags of this sample',
        };
        break;
      case 'open':
        lens.command = { title: '$(open-preview) Open Sample', command: 'rolloutLens.openSample', arguments: args };
        break;
      case 'group':
        lens.command = { title: '$(list-tree) Show Group', command: 'rolloutLens.showGroup', arguments: args };
        break;
      case 'score':
        lens.command = { title: '$(check) Score Sample', command: 'rolloutLens.scoreSample', arguments: args };
        break;
    }
    return lens;
  }
}
