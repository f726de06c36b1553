// Typed access to the settings of the text-editor surfaces (decorations, diagnostics), contributed in
// package.json next to the analysis settings read by settings.ts.
import * as vscode from 'vscode';
import type { SeveritySetting } from './manifest/settings';

// The kinds, levels and defaults live with the settings table that package.json is generated from.
export { DEFAULT_SEVERITY, DIAGNOSTIC_KINDS, type DiagnosticKind, type SeveritySetting } from './manifest/settings';

export function toSeverity(s: Exclude<SeveritySetting, 'off'>): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'information': return vscode.DiagnosticSeverity.Information;
    case 'hint': return vscode.DiagnosticSeverity.Hint;
  }
}

export function decorationsEnabled(scope?: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration('rolloutLens', scope).get<boolean>('decorations.enabled', true);
}

export function hoverEnabled(scope?: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration('rolloutLens', scope).get<boolean>('hover.enabled', true);
}
