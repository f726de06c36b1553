// Typed access to the settings of the text-editor surfaces (decorations, diagnostics), contributed in
// package.json next to the analysis settings read by settings.ts.
import * as vscode from 'vscode';
import type { FlagKind } from '../core/types';

/** Diagnostic kinds: the detector flags plus lines that are not usable records. */
export type DiagnosticKind = FlagKind | 'malformed';
export const DIAGNOSTIC_KINDS: readonly DiagnosticKind[] = ['language-mix', 'repetition', 'truncated', 'format', 'tool', 'malformed'];

export type SeveritySetting = 'error' | 'warning' | 'information' | 'hint' | 'off';

/** Defaults mirror package.json: broken structure is loud, soft signals are warnings, a cut-off is information. */
export const DEFAULT_SEVERITY: Record<DiagnosticKind, SeveritySetting> = {
  'language-mix': 'warning',
  repetition: 'warning',
  truncated: 'information',
  format: 'warning',
  tool: 'warning',
  malformed: 'error',
};

export function severitySetting(kind: DiagnosticKind, scope?: vscode.Uri): SeveritySetting {
  const v = vscode.workspace.getConfiguration('rolloutLens', scope).get<string>(`severity.${kind}`, DEFAULT_SEVERITY[kind]);
  return v === 'error' || v === 'warning' || v === 'information' || v === 'hint' || v === 'off' ? v : DEFAULT_SEVERITY[kind];
}

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
