// Results of the last scoring of each file, kept so that code lenses, hovers and Compare Recorded vs Recomputed
// show recomputed scores beside the recorded ones. Keyed by document URI; cleared when the file changes (the
// indices would no longer match) and replaced by every new scoring of that file.
import * as vscode from 'vscode';
import type { ScoredSample } from '../../core/scoring/score-one';
import type { Disagreement } from '../../core/scoring/disagreement';

export interface FileScores {
  /** Rewards computed, in column order (rule-based then batch). */
  rewards: string[];
  /** Reward compared with the log. */
  compared: string | null;
  /** Per-sample results (only the samples scored: one, a group, or all of a small file). */
  results: Map<number, ScoredSample>;
  /** Every disagreement of the last whole-file run (or of the samples scored). */
  disagreements: { index: number; disagreement: Disagreement }[];
  /** The file was scored as a whole (not just a sample or group). */
  wholeFile: boolean;
  scored: number;
  errors: Record<string, number>;
}

export class ScoreStore implements vscode.Disposable {
  private readonly files = new Map<string, FileScores>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  get(uri: vscode.Uri): FileScores | undefined {
    return this.files.get(uri.toString());
  }

  result(uri: vscode.Uri, sample: number): ScoredSample | undefined {
    return this.files.get(uri.toString())?.results.get(sample);
  }

  /** A whole-file run replaces what was there; a sample or group run adds to it. */
  set(uri: vscode.Uri, scores: FileScores): void {
    const key = uri.toString();
    const prev = this.files.get(key);
    if (!scores.wholeFile && prev) {
      for (const [i, r] of scores.results) prev.results.set(i, r);
      const others = prev.disagreements.filter((d) => !scores.results.has(d.index));
      prev.disagreements = [...others, ...scores.disagreements].sort((a, b) => a.index - b.index);
      prev.rewards = scores.rewards;
      prev.compared = scores.compared;
    } else {
      this.files.set(key, scores);
    }
    this.emitter.fire(uri);
  }

  clear(uri: vscode.Uri): void {
    if (this.files.delete(uri.toString())) this.emitter.fire(uri);
  }

  dispose(): void {
    this.files.clear();
    this.emitter.dispose();
  }
}

/** The one store of the extension (lenses, hovers and commands read it). */
export const scoreStore = new ScoreStore();
