// Rollout Viewer webview: header with scan progress, the virtualised sample list with filters and search, the
// sample / group detail pane and the charts tab. Talks to the host only through viewer-protocol messages;
// says `ready` first (the host waits for it) and keeps its view state with setState/getState.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-bar/index.js';
import 'katex/dist/katex.min.css';
import './viewer.css';
import type {
  ChartAggregates, FlagKindName, GroupDetail, GroupOrder, GroupPage, HealthReport, HostToWebview, PromptHistory, RunOverview, SampleDetail, SampleFilter, SortKey, StepSelection, StepTrend, ViewerMode, ViewerState, ViewerTab,
} from '../../src/protocol/viewer-protocol';
import { FLAG_KIND_NAMES } from '../../src/protocol/viewer-protocol';
import { append, button, ce, clear, fmt, fmtBytes, h } from './dom';
import { loadState, saveState, send } from './vscode-api';
import { SampleList } from './sample-list';
import { ToolFilters } from './tool-filters';
import { renderCountRewardChart } from './count-reward-chart';
import { renderGroup, renderSample, type DetailCallbacks } from './sample-view';
import { ChartSet, palette } from './charts';
import { StepPicker, renderTrends, trendsNote } from './steps';
import { renderHistory } from './history';
import { renderHealth } from './health-list';
import { CHART_TITLES, chartPlan, notDrawnLine, type ChartId } from '../../src/core/viewer/chart-plan';

/** Groups per page: 100 columns of the per-group strip, or 40 box plots (continuous rewards). */
const STRIP_PAGE = 100;
const BOX_PAGE = 40;
let groupPageSize = BOX_PAGE;
const mode: ViewerMode = document.body.dataset.mode === 'sample' ? 'sample' : 'run';

const defaultState = (): ViewerState => ({ tab: 'samples', query: { filter: {}, sort: 'index', descending: false }, selected: null, groupOrder: 'spread', raw: false, mode });
const state: ViewerState = { ...defaultState(), ...(loadState() ?? {}) };
let queryId = 0;
let overview: RunOverview | null = null;
let aggregates: ChartAggregates | null = null;
let groupPage: GroupPage | null = null;
let groupPageOffset = 0;
let detail: { kind: 'sample'; d: SampleDetail } | { kind: 'group'; d: GroupDetail } | { kind: 'history'; d: PromptHistory } | null = null;
let trends: StepTrend[] = [];
let health: HealthReport | null = null;
let chartLabel: string | null = null;
let scanDone = false;

function persist(): void {
  saveState(state);
}

// ---------- layout ----------
const app = document.getElementById('app') ?? document.body;
const titleEl = h('span', { class: 'title', testid: 'viewer-title' }, document.title);
const overviewEl = h('span', { class: 'overview', testid: 'overview' }, 'reading…');
const progressBar = ce('vscode-progress-bar', { testid: 'scan-progress', 'aria-label': 'Reading the file' });
const progressText = h('span', { class: 'muted', testid: 'scan-progress-text' }, '');
const cancelBtn = button('Cancel', 'cancel-scan', () => send({ type: 'cancelScan' }), { secondary: true, title: 'Stop reading the file' });
const progressEl = h('div', { class: 'progress', testid: 'progress' }, progressBar, progressText, cancelBtn);
const tabSamples = button('Samples', 'tab-samples', () => setTab('samples'), { secondary: true });
const tabCharts = button('Charts', 'tab-charts', () => setTab('charts'), { secondary: true });
const reopenBtn = button('Reopen as Text', 'reopen-text', () => send({ type: 'reopenAsText' }), { secondary: true, title: 'Open the file in the text editor (files above 50 MB are not available to extensions there)' });
// Every step or one: narrows the list (step filter) and the charts (the host sends that step's aggregates).
const stepPicker = new StepPicker((sel) => selectSteps(sel, true));
const noticeEl = h('div', { class: 'banner notice hidden', testid: 'notice' });
// Recognition by inference: which field plays which role and why; a weak guess or nothing recognised offers the
// mapping on the spot (docs/recognition.md).
const inferenceText = h('span', { testid: 'inference-text' });
const mappingBtn = button('Set Field Mapping…', 'set-field-mapping', () => send({ type: 'setFieldMapping' }), { secondary: true, title: 'Choose which field holds the prompt, the completion, the reward…; the run is read again' });
const inferenceEl = h('div', { class: 'banner inference hidden', testid: 'inference' }, inferenceText, mappingBtn);
const header = h('header', { class: 'header' }, h('span', { class: 'tabs' }, tabSamples, tabCharts), titleEl, stepPicker.el, overviewEl, reopenBtn);

// filters
const flagBoxes = new Map<FlagKindName, HTMLElement>();
const flagRow = h('div', { class: 'filter-group' }, h('span', { class: 'muted' }, 'flags:'));
for (const k of FLAG_KIND_NAMES) {
  const cb = ce('vscode-checkbox', { testid: `filter-flag-${k}`, label: k });
  cb.addEventListener('change', () => applyFilters());
  flagBoxes.set(k, cb);
  flagRow.appendChild(cb);
}
const field = (ph: string, testid: string, cls = 'narrow'): HTMLElement => {
  const f = ce('vscode-textfield', { placeholder: ph, testid, class: cls });
  f.addEventListener('change', () => applyFilters());
  return f;
};
const rewardMin = field('reward ≥', 'filter-reward-min');
const rewardMax = field('reward ≤', 'filter-reward-max');
const stepField = field('step', 'filter-step');
const groupField = field('group', 'filter-group');
const zvBox = ce('vscode-checkbox', { testid: 'filter-zero-variance', label: 'zero-variance' });
zvBox.addEventListener('change', () => applyFilters());
// Shown once the run was scored with the sidecar on: samples whose recorded reward disagrees with the recomputed one.
const disagreeBox = ce('vscode-checkbox', { testid: 'filter-disagreement', label: 'recorded ≠ recomputed', class: 'hidden' });
disagreeBox.addEventListener('change', () => applyFilters());
const chartChip = h('span', { class: 'chip hidden', testid: 'active-filter' });
const countEl = h('span', { class: 'count', testid: 'list-count' }, '');
const toolFilters = new ToolFilters(() => applyFilters());
const filterBar = h('div', { class: 'filters', testid: 'filters' }, flagRow, h('div', { class: 'filter-group' }, rewardMin, rewardMax, stepField, groupField, zvBox, disagreeBox), toolFilters.el, chartChip, countEl);

// search
const searchInput = ce('vscode-textfield', { placeholder: 'regex search (e.g. 答案|wait)', testid: 'search-input', class: 'wide' });
const searchFields = new Map<'prompt' | 'reasoning' | 'answer', HTMLElement>();
const searchRow = h('div', { class: 'filter-group search' }, searchInput);
for (const f of ['prompt', 'reasoning', 'answer'] as const) {
  const cb = ce('vscode-checkbox', { testid: `search-field-${f}`, label: f, checked: '' });
  searchFields.set(f, cb);
  searchRow.appendChild(cb);
}
const searchStatus = h('span', { class: 'muted', testid: 'search-status' }, '');
append(searchRow,
  button('Search', 'search-run', () => runSearch()),
  button('Clear', 'search-clear', () => clearSearch(), { secondary: true }),
  searchStatus);
searchInput.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') runSearch(); });

const list = new SampleList({
  requestRows: (qid, offset, limit) => send({ type: 'rows', queryId: qid, offset, limit }),
  select: (position, row) => {
    state.selected = row.index;
    persist();
    if (list.count > 0 && scanDone) send({ type: 'openPosition', queryId, position });
  },
  sort: (key) => setSort(key),
});
const detailEl = h('div', { class: 'detail', testid: 'detail' }, h('div', { class: 'muted empty' }, mode === 'sample' ? 'Loading the sample…' : 'Select a sample to see it here.'));
const samplesTab = h('div', { class: 'tab samples-tab', testid: 'samples-tab' }, h('div', { class: 'left' }, filterBar, searchRow, list.el), detailEl);

// charts
const charts = new ChartSet((f, label) => filterFromChart(f, label), (g) => send({ type: 'openGroup', group: g, order: state.groupOrder }));
const canvases = new Map<string, HTMLCanvasElement>();
const cards = new Map<ChartId, HTMLElement>();
const card = (id: ChartId, extra?: HTMLElement): HTMLElement => {
  const c = h('canvas', { testid: `chart-${id}` });
  canvases.set(id, c);
  const el = h('section', { class: `chart-card chart-${id}`, testid: `card-${id}` }, h('h3', {}, CHART_TITLES[id]), extra ?? null, h('div', { class: 'chart-box' }, c));
  cards.set(id, el);
  return el;
};
const groupOrderSel = ce('vscode-single-select', { testid: 'box-order' },
  ...(['spread', 'mean', 'index'] as GroupOrder[]).map((o) => ce('vscode-option', { value: o }, o === 'index' ? 'file order' : o === 'spread' ? 'signal first (by spread)' : 'by mean reward')));
groupOrderSel.addEventListener('change', () => {
  state.groupOrder = (groupOrderSel as HTMLElement & { value: string }).value as GroupOrder;
  groupPageOffset = 0;
  persist();
  requestGroupPage();
});
const boxInfo = h('span', { class: 'muted', testid: 'box-page' }, '');
const boxControls = h('div', { class: 'toolbar' }, groupOrderSel,
  button('◀', 'box-prev', () => { groupPageOffset = Math.max(0, groupPageOffset - groupPageSize); requestGroupPage(); }, { secondary: true, title: 'Previous page of groups' }),
  button('▶', 'box-next', () => { if (groupPage && groupPageOffset + groupPageSize < groupPage.total) { groupPageOffset += groupPageSize; requestGroupPage(); } }, { secondary: true, title: 'Next page of groups' }),
  boxInfo);
const healthEl = h('section', { class: 'chart-card health', testid: 'health' });
const notDrawnEl = h('p', { class: 'muted not-drawn hidden', testid: 'not-drawn' });
const passSummary = h('span', { class: 'muted', testid: 'pass-summary' });
const stripLegend = h('span', { class: 'muted', testid: 'strip-legend' }, 'green = right, red = wrong (best first, from the axis up); below: the same samples’ advantage, blue > 0, orange < 0, stronger = larger. Click a group to open it.');
const chartsTab = h('div', { class: 'tab charts-tab', testid: 'charts-tab' },
  healthEl,
  notDrawnEl,
  card('pass-counts', passSummary),
  card('adv-hist'),
  card('group-strip', stripLegend),
  card('group-box'),
  card('reward-hist'),
  card('trends', trendsNote()),
  card('reward-steps'),
  card('length-steps'),
  card('zv-steps'),
  card('flags-steps'),
  card('scatter'),
  card('turn-reward'),
  card('tool-reward'));
renderHealth(healthEl, null, { filter: () => undefined });

if (mode === 'run') append(app, header, noticeEl, inferenceEl, progressEl, samplesTab, chartsTab);
else append(app, h('header', { class: 'header' }, titleEl, overviewEl), progressEl, detailEl);

function selectSteps(sel: StepSelection, fromPicker: boolean): void {
  if (scanDone) send({ type: 'selectSteps', selection: sel });
  if (!fromPicker) return;
  const f: SampleFilter = { ...state.query.filter };
  if (sel.kind === 'all') delete f.step;
  else f.step = sel.step;
  chartLabel = null;
  syncFilterControls(f);
  setFilter(f);
}

// ---------- behaviour ----------
function setTab(tab: ViewerTab): void {
  state.tab = tab;
  persist();
  samplesTab.classList.toggle('hidden', tab !== 'samples');
  chartsTab.classList.toggle('hidden', tab !== 'charts');
  tabSamples.toggleAttribute('secondary', tab !== 'samples');
  tabCharts.toggleAttribute('secondary', tab !== 'charts');
  if (tab === 'charts') renderCharts();
}

function num(el: HTMLElement): number | undefined {
  const v = (el as HTMLElement & { value: string }).value.trim();
  if (v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function applyFilters(): void {
  const f: SampleFilter = { searchId: state.query.filter.searchId };
  const flags = FLAG_KIND_NAMES.filter((k) => (flagBoxes.get(k) as HTMLElement & { checked: boolean }).checked);
  if (flags.length) f.flags = flags;
  f.rewardMin = num(rewardMin);
  f.rewardMax = num(rewardMax);
  const st = num(stepField);
  if (st !== undefined) f.step = st;
  const g = num(groupField);
  if (g !== undefined) f.group = g - 1;
  if ((zvBox as HTMLElement & { checked: boolean }).checked) f.zeroVariance = true;
  if ((disagreeBox as HTMLElement & { checked: boolean }).checked) f.disagreement = true;
  toolFilters.apply(f);
  chartLabel = null;
  // The step field and the step picker say the same thing.
  const sel: StepSelection = st === undefined ? { kind: 'all' } : { kind: 'step', step: st };
  if (JSON.stringify(sel) !== JSON.stringify(stepPicker.current)) {
    stepPicker.set(sel);
    selectSteps(sel, false);
  }
  setFilter(f);
}

function syncFilterControls(f: SampleFilter): void {
  for (const k of FLAG_KIND_NAMES) (flagBoxes.get(k) as HTMLElement & { checked: boolean }).checked = f.flags?.includes(k) ?? false;
  const set = (el: HTMLElement, v: number | undefined | null): void => { (el as HTMLElement & { value: string }).value = v === undefined || v === null ? '' : String(v); };
  set(rewardMin, f.rewardMin);
  set(rewardMax, f.rewardMax);
  set(stepField, f.step);
  set(groupField, f.group === undefined ? undefined : f.group + 1);
  (zvBox as HTMLElement & { checked: boolean }).checked = f.zeroVariance === true;
  (disagreeBox as HTMLElement & { checked: boolean }).checked = f.disagreement === true;
  toolFilters.sync(f);
  chartChip.classList.toggle('hidden', chartLabel === null);
  clear(chartChip);
  if (chartLabel !== null) append(chartChip, `chart filter: ${chartLabel} `, button('✕', 'clear-chart-filter', () => { chartLabel = null; syncFilterControls({}); setFilter({ searchId: state.query.filter.searchId }); }, { secondary: true, title: 'Clear the chart filter' }));
}

function setFilter(f: SampleFilter): void {
  for (const k of Object.keys(f) as (keyof SampleFilter)[]) if (f[k] === undefined) delete f[k];
  state.query = { ...state.query, filter: f };
  persist();
  runQuery();
}

function setSort(key: SortKey): void {
  const descending = state.query.sort === key ? !state.query.descending : key !== 'index' && key !== 'step' && key !== 'group';
  state.query = { ...state.query, sort: key, descending };
  list.setSort(key, descending);
  persist();
  runQuery();
}

function runQuery(keepScroll = false): void {
  if (!scanDone) return;
  queryId++;
  pendingKeepScroll = keepScroll;
  send({ type: 'query', queryId, query: state.query });
}
let pendingKeepScroll = false;

function filterFromChart(f: SampleFilter, label: string): void {
  chartLabel = label;
  syncFilterControls(f);
  setTab('samples');
  setFilter({ ...f, searchId: state.query.filter.searchId });
  if (f.sample !== undefined) send({ type: 'openSample', index: f.sample });
}

function runSearch(): void {
  const pattern = (searchInput as HTMLElement & { value: string }).value;
  if (!pattern || !scanDone) return;
  const fields = [...searchFields.entries()].filter(([, el]) => (el as HTMLElement & { checked: boolean }).checked).map(([k]) => k);
  searchStatus.textContent = 'searching…';
  send({ type: 'search', request: { pattern, flags: 'iu', fields } });
}

function clearSearch(): void {
  send({ type: 'cancelSearch' });
  (searchInput as HTMLElement & { value: string }).value = '';
  searchStatus.textContent = '';
  const f = { ...state.query.filter };
  delete f.searchId;
  setFilter(f);
}

function requestGroupPage(): void {
  if (!scanDone) return;
  send({ type: 'groupPage', order: state.groupOrder, offset: groupPageOffset, limit: groupPageSize });
}

function renderCharts(): void {
  if (state.tab !== 'charts' || !aggregates) return;
  const p = palette();
  const a = aggregates;
  const c = (id: ChartId): HTMLCanvasElement => canvases.get(id) as HTMLCanvasElement;
  // Charts with nothing to show are not drawn; one line says why.
  const plan = chartPlan(a);
  for (const [id, el] of cards) el.classList.toggle('hidden', plan[id] !== null);
  const why = notDrawnLine(plan);
  notDrawnEl.textContent = why ?? '';
  notDrawnEl.classList.toggle('hidden', why === null);
  // The group order and paging go with whichever per-group chart is shown.
  (plan['group-strip'] === null ? cards.get('group-strip') : cards.get('group-box'))?.insertBefore(boxControls, c(plan['group-strip'] === null ? 'group-strip' : 'group-box').parentElement);
  const on = (id: ChartId): boolean => plan[id] === null;
  const pc = a.passCounts ?? null;
  if (pc && on('pass-counts')) {
    charts.passCounts(c('pass-counts'), pc, p);
    const all = pc.bins.filter((b) => b.k === b.n).reduce((x, b) => x + b.groups, 0);
    const none = pc.bins.filter((b) => b.k === 0).reduce((x, b) => x + b.groups, 0);
    passSummary.textContent = `${pc.total} groups: ${all} all right, ${none} all wrong, ${pc.mixed} mixed — ${pc.total ? Math.round((100 * pc.mixed) / pc.total) : 0} % give a learning signal. Click a bar to list its samples.`;
  }
  if (on('adv-hist')) charts.advantageHistogram(c('adv-hist'), a, p);
  if (on('reward-hist')) charts.rewardHistogram(c('reward-hist'), a, p);
  if (on('reward-steps')) charts.rewardOverSteps(c('reward-steps'), a, p);
  if (on('length-steps')) charts.lengthOverSteps(c('length-steps'), a, p);
  if (on('zv-steps')) charts.zeroVarianceOverSteps(c('zv-steps'), a, p);
  if (on('flags-steps')) charts.flagsOverSteps(c('flags-steps'), a, p);
  if (on('scatter')) charts.lengthVsReward(c('scatter'), a, p);
  if (on('trends') && trends.length) renderTrends(c('trends'), trends, p);
  if (groupPage && pc && on('group-strip')) charts.groupStrip(c('group-strip'), groupPage, pc, p);
  if (groupPage && on('group-box')) charts.groupBoxes(c('group-box'), groupPage, p);
  // Multi-turn runs only (docs/turn-charts.md); chartPlan hides the cards otherwise.
  const toList = (f: SampleFilter, label: string): void => filterFromChart(f, label);
  renderCountRewardChart('turn-reward', c('turn-reward'), on('turn-reward') ? a.turns : null, p, toList);
  renderCountRewardChart('tool-reward', c('tool-reward'), on('tool-reward') ? a.tools : null, p, toList);
}

function showHealth(): void {
  renderHealth(healthEl, health, {
    filter: (f, label) => filterFromChart(f, label),
    openSample: (i) => filterFromChart({ sample: i }, `sample ${i + 1}`),
  });
}

const detailCallbacks: DetailCallbacks = {
  step: (delta) => {
    if (!detail || detail.kind !== 'sample') return;
    const pos = (detail.d.position ?? -1) + delta;
    if (mode === 'run') list.choose(pos);
    else send({ type: 'openPosition', queryId, position: pos });
  },
  openGroup: (g) => send({ type: 'openGroup', group: g, order: state.groupOrder }),
  stepGroup: (g, delta) => send({ type: 'stepGroup', group: g, order: state.groupOrder, delta }),
  setOrder: (o, g) => { state.groupOrder = o; persist(); send({ type: 'openGroup', group: g, order: o }); },
  openSample: (i) => send({ type: 'openSample', index: i }),
  copy: (i) => send({ type: 'copySample', index: i }),
  revealLine: (i) => send({ type: 'revealLine', index: i }),
  filterGroup: (g) => { chartLabel = null; const f: SampleFilter = { group: g }; syncFilterControls(f); setTab('samples'); setFilter(f); },
  toggleRaw: () => { state.raw = !state.raw; persist(); renderDetail(); },
  history: mode === 'run' ? (i) => send({ type: 'history', index: i }) : undefined,
};

function renderDetail(): void {
  if (!detail) return;
  if (detail.kind === 'sample') renderSample(detailEl, detail.d, state.raw, detailCallbacks, true);
  else if (detail.kind === 'history') renderHistory(detailEl, detail.d, { openSample: detailCallbacks.openSample, openGroup: detailCallbacks.openGroup, back: detailCallbacks.openSample }, palette());
  else renderGroup(detailEl, detail.d, state.raw, detailCallbacks, charts, palette());
}

document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement | null;
  if (t && (t.tagName === 'VSCODE-TEXTFIELD' || t.tagName === 'INPUT')) return;
  if (e.key === 'j') detailCallbacks.step(1);
  if (e.key === 'k') detailCallbacks.step(-1);
});

// Re-theme: VS Code swaps body classes when the colour theme changes.
new MutationObserver(() => { renderCharts(); if (detail?.kind === 'group' || detail?.kind === 'history') renderDetail(); }).observe(document.body, { attributes: true, attributeFilter: ['class'] });

function showOverview(o: RunOverview): void {
  const flags = FLAG_KIND_NAMES.filter((k) => o.flagCounts[k] > 0).map((k) => `${k} ${o.flagCounts[k]}`).join(' · ');
  overviewEl.textContent = `${o.format ?? 'unknown format'} · ${o.samples} samples · ${o.groups} groups (${o.zeroVarianceGroups} zero-variance) · ${o.steps} steps${o.badLines ? ` · ${o.badLines} bad lines` : ''}${flags ? ` · flags: ${flags}` : ''}`;
  const dis = o.disagreements;
  disagreeBox.classList.toggle('hidden', !dis);
  if (dis) {
    disagreeBox.setAttribute('label', `recorded ≠ recomputed (${dis.count})`);
    disagreeBox.title = `${dis.count} samples whose recorded reward disagrees with the recomputed ${dis.compared ?? 'reward'} (from ${dis.sidecar})`;
    overviewEl.textContent += ` · ${dis.count} recorded ≠ recomputed`;
  }
  overviewEl.title = `${o.path}\n${o.formatReason ?? ''}\nadvantage: ${o.advantageSource}\nfirst samples ${fmt(o.timings.firstSamplesMs, 0)} ms · full statistics ${fmt(o.timings.fullStatsMs, 0)} ms`;
  showInference(o);
}

function showInference(o: RunOverview): void {
  const inf = o.inference;
  const none = o.format === null || o.samples === 0;
  inferenceEl.classList.toggle('hidden', !inf && !none);
  inferenceEl.classList.toggle('warning', none || (inf?.weak ?? false));
  mappingBtn.classList.toggle('hidden', !none && !(inf?.weak ?? false));
  if (none) {
    inferenceText.textContent = `No record was recognised as a rollout${o.badLines ? ` (${o.badLines} unusable records)` : ''}. Say which field holds the completion, the prompt and the reward: `;
    inferenceEl.title = inf ? inf.evidence.join('\n') : '';
    return;
  }
  if (!inf) return;
  const lead = inf.weak ? `Fields guessed, weakly (confidence ${inf.confidence.toFixed(2)}): check them` : `Fields inferred (confidence ${inf.confidence.toFixed(2)})`;
  inferenceText.textContent = `${lead}: ${inf.short.join(' · ')} `;
  // The evidence of every role (hover): e.g. "completion ← output: longest text in 100 % of records …".
  inferenceEl.title = inf.evidence.join('\n');
}

window.addEventListener('message', (ev: MessageEvent<HostToWebview>) => {
  const m = ev.data;
  switch (m.type) {
    case 'init':
      titleEl.textContent = m.title;
      state.path = m.path; // the panel serializer reopens this path after a reload
      persist();
      return;
    case 'progress': {
      const p = m.progress;
      const frac = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : 0;
      progressBar.setAttribute('value', String(Math.round(frac * 100)));
      progressBar.setAttribute('max', '100');
      progressText.textContent = `${fmtBytes(p.bytesDone)} of ${fmtBytes(p.bytesTotal)} · ${p.samples} records · ${(p.elapsedMs / 1000).toFixed(1)} s`;
      return;
    }
    case 'firstRows':
      if (!scanDone) {
        list.setStatic(m.rows);
        countEl.textContent = `first ${m.rows.length} samples (reading…)`;
      }
      return;
    case 'overview': {
      overview = m.overview;
      showOverview(overview);
      toolFilters.show(overview.tools ?? null);
      list.setAgentic(Boolean(overview.tools));
      if (m.done && !scanDone) {
        scanDone = true;
        progressEl.classList.add('hidden');
        syncFilterControls(state.query.filter);
        list.setSort(state.query.sort, state.query.descending);
        const st = state.query.filter.step;
        if (st !== undefined) {
          stepPicker.set({ kind: 'step', step: st });
          selectSteps({ kind: 'step', step: st }, false);
        }
        runQuery();
        requestGroupPage();
      } else if (m.done) {
        // The run was read again (live tail): same filters and scroll position, new counts.
        runQuery(true);
        requestGroupPage();
      }
      return;
    }
    case 'scanError':
      progressEl.classList.add('hidden');
      clear(detailEl);
      detailEl.appendChild(h('div', { class: 'banner error', testid: 'scan-error' }, m.message));
      overviewEl.textContent = 'could not be read';
      return;
    case 'scanCancelled':
      progressText.textContent = 'Cancelled: only the first samples are shown.';
      cancelBtn.classList.add('hidden');
      return;
    case 'queryResult':
      if (m.queryId !== queryId) return;
      list.setQuery(m.queryId, m.total, pendingKeepScroll);
      countEl.textContent = `${m.total} of ${overview?.samples ?? m.total} samples`;
      return;
    case 'rows':
      list.addRows(m.queryId, m.offset, m.rows);
      return;
    case 'aggregates': {
      aggregates = m.aggregates;
      const size = aggregates.passCounts ? STRIP_PAGE : BOX_PAGE;
      if (size !== groupPageSize) {
        groupPageSize = size;
        groupPageOffset = 0;
        requestGroupPage();
      }
      renderCharts();
      return;
    }
    case 'health':
      health = m.health;
      showHealth();
      return;
    case 'trends':
      trends = m.trends;
      stepPicker.setSteps(m.trends.map((t) => t.step));
      renderCharts();
      return;
    case 'history':
      detail = { kind: 'history', d: m.history };
      renderDetail();
      detailEl.scrollTop = 0;
      return;
    case 'notice':
      noticeEl.textContent = m.message;
      noticeEl.classList.remove('hidden');
      noticeEl.classList.toggle('warning', m.level === 'warning');
      return;
    case 'groupPage':
      groupPage = m.page;
      boxInfo.textContent = `groups ${m.page.offset + 1}–${m.page.offset + m.page.boxes.length} of ${m.page.total}`;
      renderCharts();
      return;
    case 'sample':
      detail = { kind: 'sample', d: m.detail };
      state.selected = m.detail.index;
      persist();
      renderDetail();
      detailEl.scrollTop = 0;
      return;
    case 'group':
      detail = { kind: 'group', d: m.detail };
      renderDetail();
      detailEl.scrollTop = 0;
      return;
    case 'search': {
      const s = m.status;
      if (s.error) searchStatus.textContent = s.error;
      else if (s.cancelled) searchStatus.textContent = 'search cancelled';
      else searchStatus.textContent = `${s.done ? '' : 'searching… '}${s.matchingSamples} samples · hits: prompt ${s.hits.prompt}, reasoning ${s.hits.reasoning}, answer ${s.hits.answer}${s.done ? '' : ` (${s.samplesScanned} scanned)`}`;
      if (s.done && !s.error && !s.cancelled) setFilter({ ...state.query.filter, searchId: s.searchId });
      return;
    }
    case 'error':
      detailEl.appendChild(h('div', { class: 'banner error' }, m.message));
      return;
  }
});

// Search ids do not survive a reload of the host; everything else in the state does.
delete state.query.filter.searchId;
setTab(mode === 'run' ? state.tab : 'samples');
send({ type: 'ready', state });
