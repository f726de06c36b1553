// Virtualised sample list: only the rows in view (plus a small margin) exist in the DOM; rows are fetched from
// the host in pages through the record index. Row positions are set through the CSSOM (no style attributes).
import type { SampleRow, SortKey } from '../../src/protocol/viewer-protocol';
import { clear, fmt, h } from './dom';

export const ROW_HEIGHT = 24;
/** Short flag names so that four fit in the column; the full name is the chip's tooltip. */
const SHORT: Record<string, string> = { 'language-mix': 'lang', repetition: 'rep', truncated: 'trunc', format: 'fmt', tool: 'tool' };
const PAGE = 100;
const MARGIN = 10;

interface Column { key: SortKey | null; label: string; cls: string }

/** Multi-turn runs: assistant turns and tool calls, after the length (docs/agentic.md). */
const AGENT_COLUMNS: Column[] = [
  { key: 'turns', label: 'turns', cls: 'c-num c-small' },
  { key: 'toolCalls', label: 'calls', cls: 'c-num c-small' },
];

const COLUMNS: Column[] = [
  { key: 'index', label: '#', cls: 'c-index' },
  { key: 'reward', label: 'reward', cls: 'c-num' },
  { key: 'advantage', label: 'adv.', cls: 'c-num' },
  { key: 'group', label: 'group', cls: 'c-num c-optional' },
  { key: 'step', label: 'step', cls: 'c-num c-optional' },
  { key: 'length', label: 'length', cls: 'c-num' },
  { key: 'flags', label: 'flags', cls: 'c-flags' },
  { key: null, label: 'prompt', cls: 'c-preview' },
];

export interface ListCallbacks {
  requestRows(queryId: number, offset: number, limit: number): void;
  select(position: number, row: SampleRow): void;
  sort(key: SortKey): void;
}

export class SampleList {
  readonly el: HTMLElement;
  private readonly header: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly body: HTMLElement;
  private queryId = -1;
  private total = 0;
  private pages = new Map<number, SampleRow[]>();
  private pending = new Set<number>();
  private selected: number | null = null;
  private sortKey: SortKey = 'index';
  private descending = false;
  private agentic = false;

  constructor(private readonly cb: ListCallbacks) {
    this.header = h('div', { class: 'list-header row', testid: 'list-header' });
    this.spacer = h('div', { class: 'list-spacer' });
    this.body = h('div', { class: 'list-body', testid: 'sample-rows' });
    this.scroller = h('div', { class: 'list-scroll', testid: 'sample-list', attrs: { tabindex: '0', role: 'grid' } }, this.spacer, this.body);
    this.el = h('div', { class: 'list' }, this.header, this.scroller);
    this.scroller.addEventListener('scroll', () => this.render());
    new ResizeObserver(() => this.render()).observe(this.scroller);
    this.scroller.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
      e.preventDefault();
      const next = Math.max(0, Math.min(this.total - 1, (this.selected ?? -1) + (e.key === 'ArrowDown' ? 1 : -1)));
      this.choose(next);
    });
    this.renderHeader();
  }

  /** Shows the turn and tool-call columns (multi-turn runs). */
  setAgentic(on: boolean): void {
    if (on === this.agentic) return;
    this.agentic = on;
    this.el.classList.toggle('agentic', on);
    this.renderHeader();
    this.render();
  }

  private columns(): Column[] {
    if (!this.agentic) return COLUMNS;
    const at = COLUMNS.findIndex((c) => c.key === 'length') + 1;
    return [...COLUMNS.slice(0, at), ...AGENT_COLUMNS, ...COLUMNS.slice(at)];
  }

  setSort(key: SortKey, descending: boolean): void {
    this.sortKey = key;
    this.descending = descending;
    this.renderHeader();
  }

  private renderHeader(): void {
    clear(this.header);
    for (const c of this.columns()) {
      const arrow = c.key === this.sortKey ? (this.descending ? ' ▼' : ' ▲') : '';
      const cell = h('span', { class: `cell ${c.cls}${c.key ? ' sortable' : ''}`, testid: c.key ? `sort-${c.key}` : undefined, title: c.key ? `Sort by ${c.label}` : undefined }, c.label + arrow);
      if (c.key) {
        const key = c.key;
        cell.addEventListener('click', () => this.cb.sort(key));
      }
      this.header.appendChild(cell);
    }
  }

  /** Rows known up front (the first samples while the scan runs). */
  setStatic(rows: SampleRow[]): void {
    this.queryId = -1;
    this.total = rows.length;
    this.pages = new Map();
    for (let p = 0; p * PAGE < rows.length; p++) this.pages.set(p, rows.slice(p * PAGE, (p + 1) * PAGE));
    this.pending.clear();
    this.render();
  }

  /** A new query result: forget cached rows, keep the scroll position when asked. */
  setQuery(queryId: number, total: number, keepScroll = false): void {
    this.queryId = queryId;
    this.total = total;
    this.pages.clear();
    this.pending.clear();
    if (!keepScroll) {
      this.scroller.scrollTop = 0;
      this.selected = null;
    }
    this.render();
  }

  addRows(queryId: number, offset: number, rows: SampleRow[]): void {
    if (queryId !== this.queryId) return;
    const p = Math.floor(offset / PAGE);
    this.pending.delete(p);
    this.pages.set(p, rows);
    this.render();
  }

  get count(): number {
    return this.total;
  }

  get selection(): number | null {
    return this.selected;
  }

  rowAt(position: number): SampleRow | null {
    return this.pages.get(Math.floor(position / PAGE))?.[position % PAGE] ?? null;
  }

  choose(position: number): void {
    if (position < 0 || position >= this.total) return;
    this.selected = position;
    const top = position * ROW_HEIGHT;
    if (top < this.scroller.scrollTop) this.scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > this.scroller.scrollTop + this.scroller.clientHeight) this.scroller.scrollTop = top + ROW_HEIGHT - this.scroller.clientHeight;
    const row = this.rowAt(position);
    if (row) this.cb.select(position, row);
    this.render();
  }

  private render(): void {
    this.spacer.style.height = `${this.total * ROW_HEIGHT}px`;
    const viewH = this.scroller.clientHeight || 400;
    const first = Math.max(0, Math.floor(this.scroller.scrollTop / ROW_HEIGHT) - MARGIN);
    const last = Math.min(this.total, Math.ceil((this.scroller.scrollTop + viewH) / ROW_HEIGHT) + MARGIN);
    clear(this.body);
    for (let pos = first; pos < last; pos++) {
      const page = Math.floor(pos / PAGE);
      const row = this.pages.get(page)?.[pos % PAGE];
      if (!row) {
        if (this.queryId >= 0 && !this.pending.has(page)) {
          this.pending.add(page);
          this.cb.requestRows(this.queryId, page * PAGE, PAGE);
        }
        const ph = h('div', { class: 'row placeholder' }, h('span', { class: 'cell c-index' }, '…'));
        ph.style.transform = `translateY(${pos * ROW_HEIGHT}px)`;
        this.body.appendChild(ph);
        continue;
      }
      this.body.appendChild(this.rowEl(pos, row));
    }
  }

  private rowEl(pos: number, r: SampleRow): HTMLElement {
    // A narrow list clips the chips: the cell's tooltip names every flag.
    const flags = h('span', { class: 'cell c-flags', title: [...r.flags, ...(r.disagreement ? [`≠ ${r.disagreement}`] : [])].join(', ') || undefined });
    for (const f of r.flags) flags.appendChild(h('span', { class: `flag-chip flag-${f}`, title: f }, SHORT[f]));
    if (r.disagreement) flags.appendChild(h('span', { class: 'flag-chip flag-disagreement', testid: 'disagreement-chip', title: r.disagreement }, '≠'));
    const el = h('div', { class: `row${pos === this.selected ? ' selected' : ''}`, testid: 'sample-row', attrs: { 'data-index': String(r.index), role: 'row' } },
      h('span', { class: 'cell c-index' }, String(r.index + 1)),
      h('span', { class: `cell c-num ${r.reward !== null && r.reward > 0 ? 'good' : ''}` }, fmt(r.reward)),
      h('span', { class: `cell c-num ${r.advantage !== null ? (r.advantage > 0 ? 'good' : r.advantage < 0 ? 'bad' : '') : ''}` }, fmt(r.advantage)),
      h('span', { class: 'cell c-num c-optional' }, r.group === null ? '—' : String(r.group + 1)),
      h('span', { class: 'cell c-num c-optional' }, fmt(r.step)),
      h('span', { class: 'cell c-num' }, String(r.length)),
      ...(this.agentic ? [
        h('span', { class: 'cell c-num c-small', testid: 'row-turns' }, String(r.turns ?? 1)),
        h('span', { class: `cell c-num c-small${r.toolErrors ? ' bad' : ''}`, testid: 'row-tool-calls', title: r.toolErrors ? `${r.toolErrors} tool error${r.toolErrors > 1 ? 's' : ''}` : undefined }, `${r.toolCalls ?? 0}${r.toolErrors ? '!' : ''}`),
      ] : []),
      flags,
      h('span', { class: 'cell c-preview', title: r.preview }, r.preview),
    );
    el.style.transform = `translateY(${pos * ROW_HEIGHT}px)`;
    el.addEventListener('click', () => this.choose(pos));
    return el;
  }
}
