// Entry of the comparison panel's webview (dist/webview/compare.js): says `compareReady`, then renders the
// host's comparison and the paired samples it asks for. Shares the viewer's styles and sample rendering.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import 'katex/dist/katex.min.css';
import './viewer.css';
import type { CompareHostToWebview, CompareResult, CompareWebviewToHost } from '../../src/protocol/viewer-protocol';
import { h } from './dom';
import { renderCompare, renderPair, type CompareCallbacks } from './compare';

interface Api { postMessage(m: CompareWebviewToHost): void }
declare function acquireVsCodeApi(): Api;
const vscode = acquireVsCodeApi();

const app = document.getElementById('app') ?? document.body;
const titleEl = h('span', { class: 'title', testid: 'compare-title' }, document.title);
const statusEl = h('span', { class: 'overview', testid: 'compare-status' }, 'reading…');
const main = h('div', { class: 'compare', testid: 'compare' });
app.append(h('header', { class: 'header' }, titleEl, statusEl), main);
let result: CompareResult | null = null;
let pairEl: HTMLElement | null = null;

const cb: CompareCallbacks = {
  pair: (key, posA, posB) => vscode.postMessage({ type: 'pair', key, posA: Math.max(0, posA), posB: Math.max(0, posB) }),
};

window.addEventListener('message', (ev: MessageEvent<CompareHostToWebview>) => {
  const m = ev.data;
  switch (m.type) {
    case 'compareInit': titleEl.textContent = m.title; return;
    case 'compareProgress': statusEl.textContent = m.message; return;
    case 'compareResult':
      result = m.result;
      statusEl.textContent = `${m.result.sharedPrompts} prompts on both sides`;
      pairEl = renderCompare(main, m.result, cb);
      return;
    case 'pair':
      if (result && pairEl) renderPair(pairEl, m.key, m.a, m.b, m.posA, m.posB, result, cb);
      return;
    case 'error':
      statusEl.textContent = 'could not compare';
      main.appendChild(h('div', { class: 'banner error', testid: 'compare-error' }, m.message));
      return;
  }
});

vscode.postMessage({ type: 'compareReady' });
