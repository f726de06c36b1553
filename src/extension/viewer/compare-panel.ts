// The comparison panel: two runs (files or folders) or two steps of one run side by side. Reads each side once
// (a RunDocument each, shared when both sides are the same run), computes the comparison on the host
// (core/viewer/compare) and answers the paired-sample requests of the webview (webview/viewer/compare-main.ts).
import * as vscode from 'vscode';
import { basename } from 'node:path';
import { RunDocument } from './run-document';
import { viewerHtml, webviewOptions } from './webview-html';
import { compareSides } from '../../core/viewer/compare';
import type { CompareHostToWebview, CompareResult, CompareWebviewToHost } from '../../protocol/viewer-protocol';

export const COMPARE_PANEL_TYPE = 'rolloutLens.compare';

export interface CompareTarget {
  uri: vscode.Uri;
  /** 'all' = the whole run; a number (or null: samples without a step) = that step only. */
  step: number | null | 'all';
}

/** Test hook: the last comparison the panel computed. */
export const compareTestState = { opened: 0, last: null as null | { a: string; b: string; sharedPrompts: number; moved: number; topDelta: number | null; pairs: number } };

export function sideLabel(t: CompareTarget): string {
  const name = basename(t.uri.fsPath);
  return t.step === 'all' ? name : `${name} · step ${t.step ?? 'none'}`;
}

function isMessage(v: unknown): v is CompareWebviewToHost {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

export function openComparePanel(extensionUri: vscode.Uri, a: CompareTarget, b: CompareTarget): vscode.WebviewPanel {
  const labelA = sideLabel(a);
  const labelB = sideLabel(b);
  const title = `Compare: ${labelA} ↔ ${labelB}`;
  const panel = vscode.window.createWebviewPanel(COMPARE_PANEL_TYPE, title, vscode.ViewColumn.Active, { ...webviewOptions(extensionUri), retainContextWhenHidden: true });
  panel.webview.html = viewerHtml(panel.webview, extensionUri, 'compare', title);
  const same = a.uri.toString() === b.uri.toString();
  const docA = new RunDocument(a.uri, { live: false });
  const docB = same ? docA : new RunDocument(b.uri, { live: false });
  let result: CompareResult | null = null;
  let ready = false;
  const post = (m: CompareHostToWebview): void => {
    if (ready) void panel.webview.postMessage(m);
  };
  compareTestState.opened++;

  const computed = (async (): Promise<void> => {
    await Promise.all([docA.scanned, docB.scanned]);
    for (const d of [docA, docB]) if (d.state !== 'done') throw new Error(`${basename(d.uri.fsPath)}: ${d.error ?? 'could not be read'}`);
    const sa = await docA.session.compareSide(labelA, a.step);
    const sb = await docB.session.compareSide(labelB, b.step);
    result = compareSides(sa.side, sb.side, { preview: (k) => sa.previews.get(k) ?? sb.previews.get(k) ?? '' });
    compareTestState.last = {
      a: labelA, b: labelB, sharedPrompts: result.sharedPrompts, moved: result.moved.length,
      topDelta: result.moved[0]?.delta ?? null, pairs: 0,
    };
  })();

  const send = (): void => {
    void computed.then(
      () => { if (result) post({ type: 'compareResult', result }); },
      (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
  };

  const sub = panel.webview.onDidReceiveMessage(async (m: unknown) => {
    if (!isMessage(m)) return;
    try {
      if (m.type === 'compareReady') {
        ready = true;
        post({ type: 'compareInit', title });
        post({ type: 'compareProgress', message: `reading ${labelA} and ${labelB}…` });
        send();
        return;
      }
      if (m.type === 'pair') {
        await computed;
        const p = result?.moved.find((x) => x.key === m.key);
        if (!p) return;
        const posA = Math.max(0, Math.min(p.samplesA.length - 1, m.posA));
        const posB = Math.max(0, Math.min(p.samplesB.length - 1, m.posB));
        const [da, db] = await Promise.all([
          p.samplesA.length ? docA.session.detail(p.samplesA[posA], posA) : Promise.resolve(null),
          p.samplesB.length ? docB.session.detail(p.samplesB[posB], posB) : Promise.resolve(null),
        ]);
        if (da) da.total = p.samplesA.length;
        if (db) db.total = p.samplesB.length;
        if (compareTestState.last) compareTestState.last.pairs++;
        post({ type: 'pair', key: m.key, a: da, b: db, posA, posB });
      }
    } catch (e) {
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
  panel.onDidDispose(() => {
    sub.dispose();
    docA.dispose();
    if (!same) docB.dispose();
  });
  return panel;
}
