// Per-test results of the code reward in the sample view: a summary line, then one row per test with its status,
// input, expected vs got, and (on failure) the reason, stderr tail and any sandbox refusal. Program output is model
// text: it only ever goes in through text nodes.
import type { CodeTestsView, CodeTestView } from '../../src/protocol/viewer-protocol';
import { fmt, h } from './dom';

function status(t: CodeTestView): { text: string; cls: string } {
  if (t.notRun) return { text: 'not run', cls: 'muted' };
  if (t.passed) return { text: '✓ passed', cls: 'good' };
  if (t.timedOut) return { text: '⏱ timed out', cls: 'bad' };
  return { text: '✗ failed', cls: 'bad' };
}

function pre(text: string, testid: string): HTMLElement {
  return h('pre', { class: 'code-io', testid }, text === '' ? '∅' : text);
}

export function renderCodeTests(v: CodeTestsView): HTMLElement {
  const wrap = h('section', { class: 'code-tests', testid: 'code-tests' });
  wrap.appendChild(h('h3', {}, 'Code tests'));
  const summary = v.score === null
    ? `not scored: ${v.reason}`
    : `${v.passed}/${v.total} passed · code ${fmt(v.score)}${v.reason ? ` · ${v.reason}` : ''}`;
  wrap.appendChild(h('div', { class: v.score === 1 ? 'good' : v.score === null ? 'muted' : 'bad', testid: 'code-tests-summary' }, summary));
  if (v.source) wrap.appendChild(h('div', { class: 'muted' }, `tests from ${v.source}`));
  if (v.tests.length === 0) return wrap;
  const table = h('table', { class: 'code-tests-table', testid: 'code-tests-table' },
    h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'result'), h('th', {}, 'input'), h('th', {}, 'expected'), h('th', {}, 'got'), h('th', {}, 'details'))));
  const body = h('tbody');
  for (const t of v.tests) {
    const st = status(t);
    const details = h('td', { class: 'code-details' });
    if (t.reason) details.appendChild(h('div', {}, t.reason));
    if (t.exitCode !== null && t.exitCode !== 0) details.appendChild(h('div', { class: 'muted' }, `exit code ${t.exitCode}`));
    if (t.outputCut) details.appendChild(h('div', { class: 'muted' }, 'output cut'));
    for (const b of t.blocked) details.appendChild(h('div', { class: 'bad' }, `sandbox: ${b}`));
    if (!t.passed && t.stderrTail.trim()) details.appendChild(pre(t.stderrTail, 'code-stderr'));
    if (!t.notRun) details.appendChild(h('div', { class: 'muted' }, `${t.ms} ms`));
    body.appendChild(h('tr', { class: t.passed ? 'pass' : 'fail', testid: 'code-test-row' },
      h('td', {}, String(t.index + 1)),
      h('td', { class: st.cls }, st.text),
      h('td', {}, pre(t.input, 'code-input')),
      h('td', {}, pre(t.expected, 'code-expected')),
      h('td', {}, t.notRun ? '' : pre(t.got, 'code-got')),
      details));
  }
  table.appendChild(body);
  wrap.appendChild(table);
  return wrap;
}
