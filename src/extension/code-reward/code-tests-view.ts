// Per-test results of the code reward, from the last scoring of a file (scoreStore), for the sample view (protocol
// CodeTestsView) and the hover. Program output is model-controlled text: the hover adds it with appendText /
// appendCodeblock only, and the webview puts it in text nodes.
import * as vscode from 'vscode';
import type { CodeTestsView, CodeTestView } from '../../protocol/viewer-protocol';
import type { JsonValue } from '../../core/types';
import { scoreStore } from '../scoring/score-store';

function isObj(v: JsonValue | undefined): v is { [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');
const num = (v: JsonValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function testOf(t: JsonValue): CodeTestView | null {
  if (!isObj(t)) return null;
  return {
    index: num(t.index) ?? 0,
    kind: str(t.kind),
    passed: t.passed === true,
    input: str(t.input),
    expected: str(t.expected),
    got: str(t.got),
    stderrTail: str(t.stderrTail),
    exitCode: num(t.exitCode),
    timedOut: t.timedOut === true,
    outputCut: t.outputCut === true,
    blocked: Array.isArray(t.blocked) ? t.blocked.filter((b): b is string => typeof b === 'string') : [],
    reason: str(t.reason),
    notRun: t.notRun === true,
    ms: num(t.ms) ?? 0,
  };
}

/** Calls `f` when the scores of `uri` change (a sample panel re-sends its sample to show new code tests). */
export function onScoresOf(uri: vscode.Uri, f: () => void): vscode.Disposable {
  return scoreStore.onDidChange((u) => { if (u.toString() === uri.toString()) f(); });
}

/** The view of sample `index` of `uri`, or null when the file's last scoring did not run the code reward on it. */
export function codeTestsFor(uri: vscode.Uri, index: number): CodeTestsView | null {
  const r = scoreStore.result(uri, index);
  if (!r || !('code' in r.scores)) return null;
  const detail = r.details?.code;
  const error = r.errors?.code;
  if (!isObj(detail)) {
    return { score: r.scores.code ?? null, passed: 0, total: 0, reason: error ?? 'not scored', source: null, tests: [] };
  }
  const score = isObj(detail.score) ? detail.score : {};
  const tests = Array.isArray(detail.tests) ? detail.tests.map(testOf).filter((t): t is CodeTestView => t !== null) : [];
  return {
    score: r.scores.code ?? null,
    passed: num(score.passed) ?? 0,
    total: num(score.total) ?? tests.length,
    reason: error ?? str(score.reason),
    source: typeof detail.source === 'string' ? detail.source : null,
    tests,
  };
}

function status(t: CodeTestView): string {
  if (t.notRun) return '○ not run';
  if (t.passed) return '✓ passed';
  if (t.timedOut) return '⏱ timed out';
  return '✗ failed';
}

const MAX_HOVER_TESTS = 8;

/** The hover section: score, then one line per test with expected vs got and the reason. */
export function appendCodeTests(md: vscode.MarkdownString, uri: vscode.Uri, index: number): void {
  const v = codeTestsFor(uri, index);
  if (!v) return;
  md.appendMarkdown('\n\n**Code tests** ');
  md.appendText(v.score === null
    ? `— ${v.reason}`
    : `${v.passed}/${v.total} passed · code ${Math.round(v.score * 1000) / 1000}${v.reason ? ` · ${v.reason}` : ''}${v.source ? ` · tests from ${v.source}` : ''}`);
  for (const t of v.tests.slice(0, MAX_HOVER_TESTS)) {
    md.appendMarkdown('\n- ');
    md.appendText(`test ${t.index + 1} ${status(t)}${t.reason ? `: ${t.reason}` : ''}`);
    if (!t.passed && !t.notRun) {
      md.appendMarkdown('\n\n  ');
      md.appendText(`input ${JSON.stringify(t.input.slice(0, 120))} · expected ${JSON.stringify(t.expected.slice(0, 120))} · got ${JSON.stringify(t.got.slice(0, 120))}`);
    }
    if (t.blocked.length > 0) {
      md.appendMarkdown('\n\n  sandbox: ');
      md.appendText(t.blocked.join('; '));
    }
  }
  if (v.tests.length > MAX_HOVER_TESTS) md.appendMarkdown(`\n- …and ${v.tests.length - MAX_HOVER_TESTS} more tests (Open Sample shows all)`);
}
