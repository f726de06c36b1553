// Read-only virtual documents that show one sample, or one GRPO group, as readable text (scheme
// `rollout-lens`). The text editor escapes nothing and runs nothing: model output is shown as plain text.
import * as vscode from 'vscode';
import type { ModelCache } from './model-cache';
import { completionText, promptText } from '../core/run/sample-text';
import { sampleHeadline } from '../core/run/sample-headline';
import { membersOf } from '../core/groups/group-builder';
import type { DocumentModel } from './document-model';

export const SAMPLE_SCHEME = 'rollout-lens';

export function sampleUri(source: vscode.Uri, sample: number, kind: 'sample' | 'group'): vscode.Uri {
  const name = source.path.split('/').pop() ?? 'rollouts';
  return vscode.Uri.from({ scheme: SAMPLE_SCHEME, path: `/${name} ${kind} ${sample + 1}.md`, query: JSON.stringify({ source: source.toString(), sample, kind }) });
}

export class SampleDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly cache: ModelCache) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const q = JSON.parse(uri.query) as { source: string; sample: number; kind: 'sample' | 'group' };
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(q.source));
    const dm = await this.cache.whenReady(doc);
    if (dm === null) return 'This file is not recognised as a rollout file.';
    return q.kind === 'group' ? renderGroup(dm, q.sample) : renderSample(dm, q.sample);
  }
}

function fence(text: string): string {
  const ticks = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${ticks}text\n${text}\n${ticks}`;
}

export function renderSample(dm: DocumentModel, i: number): string {
  const s = dm.model.samples?.[i];
  if (!s) return `No sample ${i + 1}.`;
  const flags = dm.model.flags?.[i] ?? [];
  const parts = [
    `# Sample ${i + 1} (line ${s.source.line ?? '—'})`,
    sampleHeadline(dm.model, i),
    '## Prompt', fence(promptText(s.prompt) ?? '(none)'),
    '## Completion', fence(completionText(s.completion)),
  ];
  if (s.gold !== undefined) parts.push('## Gold', fence(typeof s.gold === 'string' ? s.gold : JSON.stringify(s.gold)));
  if (Object.keys(s.rewardComponents).length > 0) parts.push('## Reward components', ...Object.entries(s.rewardComponents).map(([k, v]) => `- ${k}: ${v ?? '—'}`));
  parts.push('## Flags', flags.length === 0 ? 'none' : flags.map((f) => `- **${f.kind}** [${f.start}–${f.end}]: ${f.message}`).join('\n'));
  return parts.join('\n\n') + '\n';
}

export function renderGroup(dm: DocumentModel, i: number): string {
  const g = dm.model.groups.grouping.groupOf[i];
  if (g < 0) return `Sample ${i + 1} is in no group.`;
  const members = membersOf(dm.model.groups.grouping, g);
  const stats = dm.model.groups.stats;
  const parts = [
    `# Group ${g + 1} of ${dm.model.groups.grouping.count} (${members.length} samples)`,
    `mean reward ${stats.mean[g].toFixed(3)} · std ${stats.std[g].toFixed(3)}${stats.zeroVariance[g] ? ' · **zero variance: every sample got the same reward, so this group carries no GRPO signal**' : ''}`,
  ];
  const first = dm.model.samples?.[members[0]];
  if (first) parts.push('## Prompt', fence(promptText(first.prompt) ?? '(none)'));
  for (const m of members) {
    const s = dm.model.samples?.[m];
    if (!s) continue;
    parts.push(`## Sample ${m + 1} (line ${s.source.line ?? '—'})`, sampleHeadline(dm.model, m), fence(completionText(s.completion)));
  }
  return parts.join('\n\n') + '\n';
}
