// How the severity of a diagnostic kind is read: the `rolloutLens.severity` object ({"language-mix": "warning", …})
// and, so that nobody's settings break, the deprecated `rolloutLens.severity.<kind>` keys it replaced. Pure (no
// `vscode`): settings.ts hands it what `WorkspaceConfiguration.inspect` reports, and the unit tests call it directly.
import { DEFAULT_SEVERITY, DIAGNOSTIC_KINDS, SEVERITY_LEVELS, type DiagnosticKind, type SeveritySetting } from './manifest/settings';

/** The values one configuration level (workspace folder, workspace, user) sets, as `inspect` reports them. */
export interface SeverityLayer {
  /** The level's `rolloutLens.severity` value: an object by kind, or anything a hand-edited settings.json holds. */
  object: unknown;
  /** The level's deprecated `rolloutLens.severity.<kind>` values. */
  legacy: Partial<Record<DiagnosticKind, unknown>>;
}

function level(v: unknown): SeveritySetting | undefined {
  return typeof v === 'string' && (SEVERITY_LEVELS as readonly string[]).includes(v) ? (v as SeveritySetting) : undefined;
}

/**
 * The severity of every kind from `layers`, most specific level first. Within a level the object wins over the old
 * key; a more specific level wins over a less specific one whichever form it uses (an old workspace key still
 * overrides a new user object, as it did before). Unknown levels are skipped; nothing set means the default.
 */
export function resolveSeverities(layers: readonly SeverityLayer[]): Record<DiagnosticKind, SeveritySetting> {
  const out = { ...DEFAULT_SEVERITY };
  for (const kind of DIAGNOSTIC_KINDS) {
    for (const l of layers) {
      const fromObject = typeof l.object === 'object' && l.object !== null ? level((l.object as Record<string, unknown>)[kind]) : undefined;
      const v = fromObject ?? level(l.legacy[kind]);
      if (v) {
        out[kind] = v;
        break;
      }
    }
  }
  return out;
}
