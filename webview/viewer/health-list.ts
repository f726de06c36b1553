// The run-health list at the top of the Charts tab and of the HTML report: one line per change found
// ("language mixing rose from 1 % to 15 % at step 40 — 5 examples"), the line filters the list to that
// kind at the steps after the change, each example opens its sample. Text goes in through textContent only.
import type { HealthFinding, HealthReport, SampleFilter } from '../../src/protocol/viewer-protocol';
import { FLAG_KIND_NAMES } from '../../src/protocol/viewer-protocol';
import { append, clear, h } from './dom';

export interface HealthCallbacks {
  filter(f: SampleFilter, label: string): void;
  /** Opens one sample; absent in the report (examples are then plain text). */
  openSample?(index: number): void;
}

/** The list filter a finding's line applies: its kind at the first step after the change. */
export function findingFilter(f: HealthFinding): SampleFilter {
  const flag = FLAG_KIND_NAMES.find((k) => k === f.kind);
  if (flag) return { step: f.step, flags: [flag] };
  if (f.kind === 'zero-variance') return { step: f.step, zeroVariance: f.direction === 'rose' };
  return { step: f.step };
}

export function renderHealth(el: HTMLElement, report: HealthReport | null, cb: HealthCallbacks): void {
  clear(el);
  // Nothing found (or not tested): one line, so the charts start higher up.
  el.classList.toggle('quiet', !report || report.findings.length === 0);
  append(el, h('h3', {}, 'Run health'));
  if (!report) {
    append(el, h('span', { class: 'muted' }, 'computing…'));
    return;
  }
  if (report.findings.length === 0) {
    append(el, h('span', { class: 'muted', testid: 'health-note' }, report.note));
    return;
  }
  const list = h('ul', { class: 'health-list', testid: 'health-list' });
  for (const f of report.findings) {
    const link = h('a', { class: `health-message health-${f.direction}`, testid: 'health-finding', title: `p = ${f.p.toPrecision(2)}; before: steps ${f.range.beforeFrom}–${f.range.beforeTo}, after: steps ${f.range.afterFrom}–${f.range.afterTo}. Click to list the samples of step ${f.step}.`, attrs: { href: '#', 'data-kind': f.kind, 'data-step': String(f.step) } }, f.message);
    link.addEventListener('click', (e) => { e.preventDefault(); cb.filter(findingFilter(f), f.message); });
    const examples = h('span', { class: 'health-examples' }, ` — ${f.examples.length} example${f.examples.length === 1 ? '' : 's'}${f.examples.length ? ':' : ''}`);
    for (const x of f.examples) {
      const label = `#${x.sample + 1}`;
      const title = `sample ${x.sample + 1}${x.step === null ? '' : `, step ${x.step}`}${x.line === null ? '' : `, line ${x.line}`}`;
      if (cb.openSample) {
        const open = cb.openSample;
        const a = h('a', { class: 'health-example', testid: 'health-example', title, attrs: { href: '#' } }, label);
        a.addEventListener('click', (e) => { e.preventDefault(); open(x.sample); });
        append(examples, ' ', a);
      } else append(examples, ' ', h('span', { class: 'health-example', title }, label));
    }
    append(list, h('li', {}, link, examples));
  }
  append(el, list, h('p', { class: 'muted small' }, report.note));
}
