// Code lenses on every sample line (docs/platform.md §1.3): provide returns ranges only, from the cached line
// index; resolve fills in "reward · advantage · group k/N correct · flags" and the actions for visible lenses.
import * as vscode from 'vscode';
import type { DocumentModel } from './document-model';
import type { ModelCache } from './model-cache';
import { sampleHeadline } from '../core/run/sample-headline';
import { scoreStore } from './scoring/score-store';
import { lensSuffix } from './scoring/result-text';

/** Recomputed scores beside the recorded ones once the sample was scored (Score File / Sample / Group). */
function rescoredSuffix(uri: vscode.Uri, sample: number): string {
  const r = scoreStore.result(uri, sample);
  return r ? lensSuffix(r) : '';
}

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

  /** The model each document's last lenses came from: a build that provideCodeLenses already waited for needs no refresh. */
  private readonly provided = new Map<string, DocumentModel | null>();
  /** provideCodeLenses calls waiting for a model, per document: they will return the lenses of the new build. */
  private readonly waiting = new Map<string, number>();

  constructor(private readonly cache: ModelCache) {
    // The model of a closed document must not stay reachable from here (it holds every sample of the file).
    vscode.workspace.onDidCloseTextDocument((d) => this.provided.delete(d.uri.toString()));
    cache.onDidChangeModel((uri) => {
      const key = uri.toString();
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
      // Re-rendering lenses that did not change would replace them under the user's pointer: only when they did.
      if ((this.waiting.get(key) ?? 0) > 0) return;
      if (!doc || !this.provided.has(key) || this.cache.get(doc) !== this.provided.get(key)) this.changed.fire();
    });
  }

  refresh(): void {
    this.changed.fire();
  }

  /** Waits for the model (built off the critical path, see ModelCache) so that the lenses come with it. */
  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<SampleLens[]> {
    const key = doc.uri.toString();
    this.waiting.set(key, (this.waiting.get(key) ?? 0) + 1);
    let dm: DocumentModel | null;
    try {
      dm = await this.cache.whenReady(doc);
    } finally {
      const n = (this.waiting.get(key) ?? 1) - 1;
      if (n > 0) this.waiting.set(key, n);
      else this.waiting.delete(key);
    }
    if (token.isCancellationRequested) return [];
    this.provided.set(doc.uri.toString(), dm);
    if (dm === null) return [];
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
          title: (dm ? sampleHeadline(dm.model, lens.sample) : 'rollout sample') + rescoredSuffix(lens.uri, lens.sample),
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
