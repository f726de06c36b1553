// Shared helpers for the extension-host tests (bundled into each test file by esbuild).
import * as vscode from 'vscode';
import type { EditorTestOptions, EditorTestState, ViewerTestSnapshot } from '../../src/extension/test-hooks';

export const EXTENSION_ID = 'rollout-lens.rollout-lens';

/** The demo folder is the workspace the runner opens (scripts/test-integration.mjs passes folder=demo). */
export function demoUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder: the runner must open demo/');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

/** Polls `check` until it returns a value that is not undefined; never a fixed sleep (smoke-test rules). */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 15000, everyMs = 100): Promise<T> {
  const t0 = Date.now();
  let lastError: unknown;
  while (Date.now() - t0 < timeoutMs) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  const why = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${why}`);
}

export async function openDemo(...segments: string[]): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(demoUri(...segments));
  return vscode.window.showTextDocument(doc, { preview: false });
}

export async function activeExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded (extensionDevelopmentPath wrong?)`);
  await waitFor('extension activation', () => (ext.isActive ? true : undefined));
  return ext;
}

/** The shape `rolloutLens._testState` returns (only with ROLLOUT_LENS_TEST=1 on the code-server process). */
export interface TestState {
  activated: boolean;
  tier?: string;
  lensCount?: number;
  decorationTypeKeys?: Record<string, string>;
  diagnosticsCount?: number;
}

export function isTestState(v: unknown): v is TestState {
  return typeof v === 'object' && v !== null && typeof (v as { activated?: unknown }).activated === 'boolean';
}

/** `rolloutLens._testState` for one document (ROLLOUT_LENS_TEST=1); each suite may type the part it reads. */
export async function editorStateOf<T = EditorTestState>(uri: vscode.Uri | undefined, opts?: EditorTestOptions): Promise<T> {
  return (await vscode.commands.executeCommand<T>('rolloutLens._testState', uri, ...(opts ? [opts] : [])))!;
}

/** `rolloutLens._viewerState`: the viewer registration's counters (ROLLOUT_LENS_TEST=1). */
export async function viewerStateOf<T = ViewerTestSnapshot>(): Promise<T> {
  return (await vscode.commands.executeCommand<T>('rolloutLens._viewerState'))!;
}

export async function testState(): Promise<TestState> {
  const raw: unknown = await vscode.commands.executeCommand('rolloutLens._testState');
  const parsed: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  if (!isTestState(parsed)) throw new Error(`rolloutLens._testState returned ${JSON.stringify(raw)}`);
  return parsed;
}

/** Sample lines of a JSONL file with their parsed record (blank lines skipped). */
export function sampleLines(doc: vscode.TextDocument): { line: number; record: Record<string, unknown> }[] {
  const out: { line: number; record: Record<string, unknown> }[] = [];
  for (let i = 0; i < doc.lineCount; i++) {
    const text = doc.lineAt(i).text.trim();
    if (!text) continue;
    out.push({ line: i, record: JSON.parse(text) as Record<string, unknown> });
  }
  return out;
}
