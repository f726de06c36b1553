// The comparison view: two runs or two steps side by side — summary, reward and length distributions on
// shared bins (overlaid), flag rates, the prompts whose mean reward moved most, and a paired sample view
// (a sample of the selected prompt from each side, with previous/next on each side).
import { Chart } from 'chart.js';
import type { CompareResult, CompareSideInfo, MovedPrompt, SampleDetail } from '../../src/protocol/viewer-protocol';
import { FLAG_KIND_NAMES } from '../../src/protocol/viewer-protocol';
import { append, clear, fmt, h } from './dom';
import { alpha, palette, type Palette } from './charts';
import { renderSample, type DetailCallbacks } from './sample-view';

export interface CompareCallbacks {
  pair(key: string, posA: number, posB: number): void;
}

const charts: Chart[] = [];

function pct(v: number | null): string {
  return v === null ? '—' : `${(v * 100).toFixed(1)} %`;
}

function signed(v: number, digits = 2): string {
  return `${v >= 0 ? '+' : '−'}${fmt(Math.abs(v), digits)}`;
}

function binLabels(edges: number[], digits: number): string[] {
  return edges.slice(0, -1).map((e, k) => `${e.toFixed(digits)}–${edges[k + 1].toFixed(digits)}`);
}

function overlayChart(canvas: HTMLCanvasElement, o: NonNullable<CompareResult['reward']>, r: CompareResult, p: Palette, x: string, digits: number): void {
  charts.push(new Chart(canvas, {
    type: 'bar',
    data: {
      labels: binLabels(o.edges, digits),
      datasets: [
        { label: `A: ${r.a.label}`, data: o.countsA, backgroundColor: alpha(p.blue, 0.55), borderColor: p.blue, borderWidth: 1, grouped: false },
        { label: `B: ${r.b.label}`, data: o.countsB, backgroundColor: alpha(p.orange, 0.45), borderColor: p.orange, borderWidth: 1, grouped: false },
      ],
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { labels: { color: p.foreground } } },
      scales: {
        x: { title: { display: true, text: x, color: p.foreground }, ticks: { color: p.foreground }, grid: { color: p.lines } },
        y: { title: { display: true, text: 'samples', color: p.foreground }, ticks: { color: p.foreground }, grid: { color: p.lines } },
      },
    },
  }));
}

function flagChart(canvas: HTMLCanvasElement, r: CompareResult, p: Palette): void {
  charts.push(new Chart(canvas, {
    type: 'bar',
    data: {
      labels: [...FLAG_KIND_NAMES],
      datasets: [
        { label: `A: ${r.a.label}`, data: FLAG_KIND_NAMES.map((k) => r.a.flagRates[k] * 100), backgroundColor: alpha(p.blue, 0.7) },
        { label: `B: ${r.b.label}`, data: FLAG_KIND_NAMES.map((k) => r.b.flagRates[k] * 100), backgroundColor: alpha(p.orange, 0.7) },
      ],
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { labels: { color: p.foreground } } },
      scales: {
        x: { ticks: { color: p.foreground }, grid: { color: p.lines } },
        y: { title: { display: true, text: '% of samples', color: p.foreground }, ticks: { color: p.foreground }, grid: { color: p.lines }, min: 0 },
      },
    },
  }));
}

function sideRow(tag: string, s: CompareSideInfo): HTMLElement {
  return h('tr', { testid: `compare-side-${tag.toLowerCase()}` },
    h('td', {}, h('span', { class: `side-tag side-${tag.toLowerCase()}` }, tag)),
    h('td', { title: s.path }, s.label),
    h('td', { class: 'num' }, String(s.samples)),
    h('td', { class: 'num' }, fmt(s.rewardMean, 3)),
    h('td', { class: 'num' }, pct(s.passRate)),
    h('td', { class: 'num' }, fmt(s.lengthMean, 0)),
    ...FLAG_KIND_NAMES.map((k) => h('td', { class: 'num' }, pct(s.flagRates[k]))));
}

/** Renders everything but the paired samples; `pairEl` is where they go. */
export function renderCompare(root: HTMLElement, r: CompareResult, cb: CompareCallbacks): HTMLElement {
  for (const c of charts.splice(0)) c.destroy();
  clear(root);
  const p = palette();
  const summary = h('table', { class: 'compare-summary', testid: 'compare-summary' },
    h('thead', {}, h('tr', {}, ...['', 'run', 'samples', 'mean reward', 'pass rate', 'mean length', ...FLAG_KIND_NAMES].map((t) => h('th', {}, t)))),
    h('tbody', {}, sideRow('A', r.a), sideRow('B', r.b)));
  const cards = h('div', { class: 'compare-charts' });
  const card = (id: string, title: string): HTMLCanvasElement => {
    const c = h('canvas', { testid: `compare-chart-${id}` });
    cards.appendChild(h('section', { class: 'chart-card', testid: `compare-card-${id}` }, h('h3', {}, title), h('div', { class: 'chart-box' }, c)));
    return c;
  };
  const rewardCanvas = card('reward', 'Reward distribution (A and B overlaid)');
  const flagCanvas = card('flags', 'Flag rates');
  const lengthCanvas = card('length', 'Completion length distribution (A and B overlaid)');
  const movedEl = h('section', { class: 'moved', testid: 'moved' },
    h('h3', {}, `Prompts whose mean reward moved most (${r.moved.length} of ${r.sharedPrompts} prompts on both sides)`));
  const list = h('table', { class: 'moved-table', testid: 'moved-table' },
    h('thead', {}, h('tr', {}, ...['prompt', 'A mean', 'B mean', 'change', 'samples A/B'].map((t) => h('th', {}, t)))));
  const body = h('tbody');
  const pairEl = h('section', { class: 'pair', testid: 'pair' }, h('div', { class: 'muted' }, r.moved.length ? 'Select a prompt to see a sample of it from each side.' : 'The two sides share no prompt.'));
  const select = (m: MovedPrompt, row: HTMLElement): void => {
    for (const x of body.querySelectorAll('tr.selected')) x.classList.remove('selected');
    row.classList.add('selected');
    cb.pair(m.key, 0, 0);
  };
  for (const m of r.moved) {
    const row = h('tr', { testid: 'moved-row', title: m.preview },
      h('td', { class: 'prompt-cell' }, m.preview || m.key),
      h('td', { class: 'num' }, fmt(m.meanA, 3)),
      h('td', { class: 'num' }, fmt(m.meanB, 3)),
      h('td', { class: `num ${m.delta > 0 ? 'good' : m.delta < 0 ? 'bad' : ''}` }, signed(m.delta)),
      h('td', { class: 'num' }, `${m.countA}/${m.countB}`));
    row.addEventListener('click', () => select(m, row));
    body.appendChild(row);
  }
  list.appendChild(body);
  append(movedEl, list);
  append(root, summary, cards, movedEl, pairEl);
  if (r.reward) overlayChart(rewardCanvas, r.reward, r, p, 'reward', 2);
  flagChart(flagCanvas, r, p);
  if (r.length) overlayChart(lengthCanvas, r.length, r, p, 'characters', 0);
  return pairEl;
}

/** A sample of the same prompt from each side, each with its own previous/next. */
export function renderPair(pairEl: HTMLElement, key: string, a: SampleDetail | null, b: SampleDetail | null, posA: number, posB: number, r: CompareResult, cb: CompareCallbacks): void {
  clear(pairEl);
  const side = (tag: 'A' | 'B', d: SampleDetail | null, label: string): HTMLElement => {
    const el = h('div', { class: 'detail pair-side', testid: `pair-${tag.toLowerCase()}` });
    const noop = (): void => undefined;
    const callbacks: DetailCallbacks = {
      step: (delta) => cb.pair(key, tag === 'A' ? posA + delta : posA, tag === 'B' ? posB + delta : posB),
      openGroup: noop, stepGroup: noop, setOrder: noop, openSample: noop, copy: noop, revealLine: noop, filterGroup: noop, toggleRaw: noop,
    };
    if (d) {
      renderSample(el, d, false, callbacks, true);
      // Group navigation, copy, raw text and go-to-line belong to the run viewer; here each side only steps
      // through the samples of this prompt.
      for (const id of ['open-group', 'prev-group', 'next-group', 'copy-json', 'reveal-line', 'toggle-raw', 'open-history']) el.querySelector(`[data-testid="${id}"]`)?.remove();
    }
    else el.appendChild(h('div', { class: 'muted' }, 'No sample of this prompt on this side.'));
    el.prepend(h('div', { class: `pair-head side-${tag.toLowerCase()}` }, `${tag}: ${label}`));
    return el;
  };
  append(pairEl, h('h3', {}, 'Paired samples'), h('div', { class: 'pair-cols' }, side('A', a, r.a.label), side('B', b, r.b.label)));
}
