// `rollout-lens report <path> --out r.html`: one self-contained HTML file with the viewer's charts and the
// flagged samples. The bundled report script and stylesheet are inlined, the data sits in a
// <script type="application/json">, a CSP meta tag allows nothing but those nonce'd blocks (no network), and
// every piece of model text is HTML-escaped. Written atomically.
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import type { CliOptions } from './args';
import { EXIT_FAIL_ON, failOnHealthHit, failOnHit, progressReporter, runOptions } from './common';
import { InputError } from '../node/read-types';
import { RunSession } from '../node/viewer/run-session';
import { writeFileAtomic } from '../node/atomic-write';
import { completionText, promptText } from '../core/run/sample-text';
import { analyseCompletion } from '../core/analyse';
import { agenticFields } from '../core/trajectory/analyse-fields';
import type { ReportData, ReportSample } from '../protocol/viewer-protocol';
import { flagKindsOf, finiteOrNull } from '../core/viewer/sample-query';
import { escapeHtml } from '../core/text/escape-html';

const MAX_FLAGGED = 200;
const EXCERPT = 300;

/** JSON that is safe inside a <script> element: no `<` can close it. */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** dist/webview next to dist/cli.js, or the repo's dist/webview when run from sources (tests). */
export function findReportAssets(): { js: string; css: string } {
  const dirs = [join(__dirname, 'webview'), resolve(__dirname, '..', '..', 'dist', 'webview')];
  for (const d of dirs) {
    const js = join(d, 'report.js');
    const css = join(d, 'report.css');
    if (existsSync(js) && existsSync(css)) return { js, css };
  }
  throw new Error(`report assets not found (looked in ${dirs.join(', ')}); run the build first`);
}

export async function buildReportData(path: string, opts: CliOptions, onProgress?: (done: number, total: number) => void): Promise<{ data: ReportData; session: RunSession }> {
  const session = new RunSession(path, { ...runOptions(opts), analyse: true });
  const model = await session.scan({ progress: (p) => onProgress?.(p.bytesDone, p.bytesTotal) });
  if (model.detection === null || model.count === 0) {
    throw new InputError(`${path}: no record recognised as a rollout`, path, 'unsupported');
  }
  const flagged: ReportSample[] = [];
  let flaggedTotal = 0;
  for (let i = 0; i < model.count; i++) {
    if (model.columns.flagBits[i] === 0) continue;
    flaggedTotal++;
    if (flagged.length >= MAX_FLAGGED) continue;
    const s = await session.sample(i);
    if (!s) continue;
    const text = completionText(s.completion);
    const a = analyseCompletion({ completion: text, prompt: promptText(s.prompt), finishReason: s.finishReason, targetLanguage: opts.lang ?? 'auto', ...agenticFields(s) });
    const first = a.flags[0];
    const from = first ? Math.max(0, first.start - EXCERPT / 2) : 0;
    const g = model.groups.grouping.groupOf[i];
    flagged.push({
      index: i, file: s.source.file, line: s.source.line, step: s.step, group: g >= 0 ? g : null,
      reward: s.reward, advantage: finiteOrNull(model.groups.advantage[i]),
      flags: a.flags.length ? a.flags.map((f) => ({ kind: f.kind, message: f.message })) : flagKindsOf(model.columns.flagBits[i]).map((k) => ({ kind: k, message: k })),
      excerpt: (from > 0 ? '…' : '') + text.slice(from, from + EXCERPT) + (from + EXCERPT < text.length ? '…' : ''),
      turns: model.trajectories.turns[i],
      toolCalls: model.trajectories.toolCalls[i],
    });
  }
  const data: ReportData = {
    generated: new Date().toISOString(),
    overview: session.overview(basename(path)),
    aggregates: session.aggregates(),
    groups: session.groupPage('spread', 0, 100),
    flagged,
    flaggedTotal,
    health: session.health(),
  };
  return { data, session };
}

/** The HTML document; flagged samples are written server-side (escaped) so they read without the script. */
export function reportHtml(data: ReportData, assets: { js: string; css: string }): string {
  const nonce = randomBytes(16).toString('base64');
  const js = readFileSync(assets.js, 'utf8').replace(/\/\/# sourceMappingURL=.*$/m, '').replace(/<\/script/gi, '<\\/script');
  const css = readFileSync(assets.css, 'utf8').replace(/\/\*# sourceMappingURL=.*?\*\//g, '').replace(/<\/style/gi, '<\\/style');
  const o = data.overview;
  const rows = data.flagged.map((s) => `<tr data-step="${s.step ?? ''}" data-group="${s.group ?? ''}" data-flags="${escapeHtml(s.flags.map((f) => f.kind).join(' '))}" data-turns="${s.turns ?? ''}" data-calls="${s.toolCalls ?? ''}"><td>${s.index + 1}</td><td>${escapeHtml(basename(s.file))}${s.line ? `:${s.line}` : ''}</td><td>${s.step ?? '—'}</td><td>${s.group === null ? '—' : s.group + 1}</td><td>${s.reward ?? '—'}</td><td>${s.flags.map((f) => `<span class="flag-chip flag-${escapeHtml(f.kind)}" title="${escapeHtml(f.message)}">${escapeHtml(f.kind)}</span>`).join(' ')}<div class="msg">${s.flags.map((f) => escapeHtml(f.message)).join('<br>')}</div></td><td><pre>${escapeHtml(s.excerpt)}</pre></td></tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; font-src data:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Rollout Lens report: ${escapeHtml(o.title)}</title>
<style nonce="${nonce}">${css}</style>
</head>
<body>
<header class="header"><h1>Rollout Lens report: ${escapeHtml(o.title)}</h1>
<p class="muted" data-testid="report-overview">${escapeHtml(`${o.format ?? 'unknown format'} · ${o.samples} samples · ${o.groups} groups (${o.zeroVarianceGroups} zero-variance) · ${o.steps} steps · ${o.badLines} bad lines · generated ${data.generated}`)}</p></header>
<main>
<div id="charts" class="charts" data-testid="report-charts"></div>
<h2>Flagged samples (${data.flagged.length} of ${data.flaggedTotal})</h2>
<p class="muted" id="table-filter" data-testid="report-filter"></p>
<table class="flagged" data-testid="report-flagged"><thead><tr><th>#</th><th>file</th><th>step</th><th>group</th><th>reward</th><th>flags</th><th>excerpt</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</main>
<script id="report-data" type="application/json">${scriptJson(data)}</script>
<script nonce="${nonce}">${js}</script>
</body>
</html>
`;
}

export async function runReport(opts: CliOptions): Promise<number> {
  if (opts.out === null) throw new InputError('report needs --out', opts.path, 'unsupported');
  const assets = findReportAssets();
  const progress = progressReporter();
  const { data, session } = await buildReportData(opts.path, opts, progress.update);
  progress.done();
  await session.close();
  writeFileAtomic(opts.out, reportHtml(data, assets));
  if (!opts.json) process.stdout.write(`report written to ${opts.out} (${data.overview.samples} samples, ${data.flaggedTotal} flagged)\n`);
  else process.stdout.write(JSON.stringify({ out: opts.out, samples: data.overview.samples, flagged: data.flaggedTotal }) + '\n');
  const flagHit = failOnHit(opts.failOn, session.model?.flagCounts ?? { 'language-mix': 0, repetition: 0, truncated: 0, format: 0, tool: 0 });
  return flagHit || failOnHealthHit(opts.failOnHealth, data.health?.findings ?? []) ? EXIT_FAIL_ON : 0;
}
