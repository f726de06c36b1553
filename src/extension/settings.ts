// Typed access to the rolloutLens.* settings (contributed in package.json).
import * as vscode from 'vscode';
import type { FlagKind } from '../core/types';
import type { AdvantageOption, GroupByOption } from '../core/run/run-groups';
import type { RunBuilderOptions } from '../core/run/run-builder';
import type { FormatName, Role } from '../core/types';
import { DIAGNOSTIC_KINDS, type DiagnosticKind, type SeveritySetting } from './manifest/settings';
import { resolveSeverities, type SeverityLayer } from './severity-setting';

export interface RolloutLensSettings {
  format: string;
  fieldMapping: Record<string, string>;
  groupBy: GroupByOption;
  advantage: AdvantageOption;
  targetLanguage: string;
  enabledFlags: Record<FlagKind, boolean>;
}

function parseGroupBy(v: string): GroupByOption {
  if (v === 'prompt') return 'prompt';
  if (v.startsWith('field:')) return { field: v.slice(6) };
  const m = /^consecutive:(\d+)$/.exec(v);
  if (m) return { consecutive: Number(m[1]) };
  return 'auto';
}

export function readSettings(scope?: vscode.Uri): RolloutLensSettings {
  const c = vscode.workspace.getConfiguration('rolloutLens', scope);
  const flags = c.get<Record<string, boolean>>('flags.enabled', {});
  return {
    format: c.get<string>('format', 'auto'),
    fieldMapping: c.get<Record<string, string>>('fieldMapping', {}),
    groupBy: parseGroupBy(c.get<string>('groupBy', 'auto')),
    advantage: c.get<AdvantageOption>('advantage', 'auto'),
    targetLanguage: c.get<string>('targetLanguage', 'auto'),
    enabledFlags: {
      'language-mix': flags['language-mix'] ?? true,
      repetition: flags.repetition ?? true,
      truncated: flags.truncated ?? true,
      format: flags.format ?? true,
      tool: flags.tool ?? true,
    },
  };
}

/** The run-builder options the settings imply (shared by the text-editor model and the large-file scan). */
export function runOptionsFromSettings(s: RolloutLensSettings): RunBuilderOptions {
  return {
    format: s.format as FormatName | 'auto',
    fields: s.fieldMapping as Partial<Record<Role, string>>,
    groupBy: s.groupBy,
    advantage: s.advantage,
    lang: s.targetLanguage,
    analyse: true,
    enabledFlags: s.enabledFlags,
    keepFlags: true,
  };
}

/**
 * The Problems-panel severity of every diagnostic kind: the `rolloutLens.severity` object, else the deprecated
 * `rolloutLens.severity.<kind>` key, level by level (severity-setting.ts), else the default.
 */
export function readSeverities(scope?: vscode.Uri): Record<DiagnosticKind, SeveritySetting> {
  const c = vscode.workspace.getConfiguration('rolloutLens', scope);
  const object = c.inspect<unknown>('severity');
  const legacy = DIAGNOSTIC_KINDS.map((k) => [k, c.inspect<unknown>(`severity.${k}`)] as const);
  type Inspected = NonNullable<typeof object>;
  const layer = (pick: (i: Inspected | undefined) => unknown): SeverityLayer => ({
    object: pick(object),
    legacy: Object.fromEntries(legacy.map(([k, i]) => [k, pick(i)])),
  });
  return resolveSeverities([layer((i) => i?.workspaceFolderValue), layer((i) => i?.workspaceValue), layer((i) => i?.globalValue)]);
}
