// The webview side of the host channel: typed postMessage and state (setState/getState survive a hidden
// webview being reloaded, since retainContextWhenHidden is off).
import type { ViewerState, WebviewToHost } from '../../src/protocol/viewer-protocol';

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function send(msg: WebviewToHost): void {
  api.postMessage(msg);
}

export function loadState(): ViewerState | null {
  const s = api.getState();
  return typeof s === 'object' && s !== null ? (s as ViewerState) : null;
}

export function saveState(s: ViewerState): void {
  api.setState(s);
}
