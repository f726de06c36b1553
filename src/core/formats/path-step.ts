// Steps written in paths by trainers and eval scripts: `global_step_250/`, `step_12`, `iter30`, `checkpoint-400`,
// `ckpt_1000`. Pure (no node:path) so that detection can name the evidence and the node readers share the rule.

/** Folder or file-name words that carry a training step, most specific first. */
const STEP_WORDS: readonly RegExp[] = [
  /(?:^|[^a-z])global[_-]?step[_-]?(\d+)/i,
  /(?:^|[^a-z])step[_-]?(\d+)/i,
  /(?:^|[^a-z])iter(?:ation)?[_-]?(\d+)/i,
  /(?:^|[^a-z])checkpoint[_-](\d+)/i,
  /(?:^|[^a-z])ckpt[_-]?(\d+)/i,
];

export interface PathStep {
  step: number;
  /** The path component the step was read from, e.g. `global_step_250`. */
  part: string;
}

/**
 * Step from the folders of a path (innermost first), by explicit step words only: a bare number folder is not
 * taken here (a year or a date would read as a step). Null when no folder names one.
 */
export function stepFromFolders(path: string): PathStep | null {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  for (let i = parts.length - 2; i >= 0; i--) {
    for (const re of STEP_WORDS) {
      const m = re.exec(parts[i]);
      if (m) return { step: Number(m[1]), part: parts[i] };
    }
  }
  return null;
}

/** Step from a file name's words (`eval_step_12.jsonl`, `iter30_results.json`, `checkpoint-400.jsonl`). */
export function stepFromFileWords(file: string): PathStep | null {
  for (const re of STEP_WORDS) {
    const m = re.exec(file);
    if (m) return { step: Number(m[1]), part: file };
  }
  return null;
}
