// List filters of multi-turn / agentic runs (docs/agentic.md): at least N assistant turns, at least N tool calls,
// a tool by name, samples with a tool error. Hidden until the run's overview says it has turns or tool calls.
import type { RunOverview, SampleFilter } from '../../src/protocol/viewer-protocol';
import { ce, clear, h } from './dom';

type Field = HTMLElement & { value: string };
type Box = HTMLElement & { checked: boolean };

function numberIn(el: Field): number | undefined {
  const t = el.value.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

export class ToolFilters {
  readonly el: HTMLElement;
  private readonly minTurns: Field;
  private readonly minCalls: Field;
  private readonly name: Field;
  private readonly error: Box;

  constructor(onChange: () => void) {
    this.minTurns = ce('vscode-textfield', { placeholder: 'turns ≥', testid: 'filter-min-turns', class: 'narrow' }) as Field;
    this.minCalls = ce('vscode-textfield', { placeholder: 'tool calls ≥', testid: 'filter-min-tool-calls', class: 'narrow' }) as Field;
    this.name = ce('vscode-single-select', { testid: 'filter-tool-name' }) as Field;
    this.error = ce('vscode-checkbox', { testid: 'filter-tool-error', label: 'tool error' }) as Box;
    for (const el of [this.minTurns, this.minCalls, this.name, this.error]) el.addEventListener('change', onChange);
    this.el = h('div', { class: 'filter-group hidden', testid: 'tool-filters' }, h('span', { class: 'muted' }, 'agent:'), this.minTurns, this.minCalls, this.name, this.error);
  }

  /** Shows the filters for a multi-turn run, with its tool names. */
  show(tools: RunOverview['tools']): void {
    this.el.classList.toggle('hidden', !tools);
    if (!tools) return;
    const current = this.name.value;
    clear(this.name);
    this.name.appendChild(ce('vscode-option', { value: '' }, 'any tool'));
    for (const [n, count] of Object.entries(tools.byName)) this.name.appendChild(ce('vscode-option', { value: n, ...(n === current ? { selected: '' } : {}) }, `${n} (${count})`));
  }

  /** Adds the chosen constraints to a filter. */
  apply(f: SampleFilter): void {
    const t = numberIn(this.minTurns);
    if (t !== undefined) f.minTurns = t;
    const c = numberIn(this.minCalls);
    if (c !== undefined) f.minToolCalls = c;
    if (this.name.value) f.toolName = this.name.value;
    if (this.error.checked) f.toolError = true;
  }

  sync(f: SampleFilter): void {
    this.minTurns.value = f.minTurns === undefined ? '' : String(f.minTurns);
    this.minCalls.value = f.minToolCalls === undefined ? '' : String(f.minToolCalls);
    this.name.value = f.toolName ?? '';
    this.error.checked = f.toolError === true;
  }
}
