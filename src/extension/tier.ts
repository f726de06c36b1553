// Size tiers (docs/platform.md §1.1–1.2): what VS Code still allows the extension to do for a file.
// A: everything; B: no CodeLens (large-file optimisations), decorations + diagnostics; C: no document at all.
export type Tier = 'A' | 'B' | 'C';

export const LENS_LIMIT_BYTES = 20 * 1024 * 1024;
export const LENS_LIMIT_LINES = 300_000;
export const SYNC_LIMIT_BYTES = 50 * 1024 * 1024;

export function tierFor(sizeBytes: number, lineCount: number | null): Tier {
  if (sizeBytes > SYNC_LIMIT_BYTES) return 'C';
  if (sizeBytes > LENS_LIMIT_BYTES || (lineCount !== null && lineCount > LENS_LIMIT_LINES)) return 'B';
  return 'A';
}

export function tierExplanation(tier: Tier): string {
  switch (tier) {
    case 'A': return 'all editor features on';
    case 'B': return 'file over 20 MB or 300k lines: VS Code turns code lenses off (editor.largeFileOptimizations)';
    case 'C': return 'file over 50 MB: VS Code does not give it to extensions; use the Rollout Viewer';
  }
}
