// `path[:name]` as given to --reward-fn and Use My Reward Function…: the file of the user's reward function and,
// optionally, which function in it. A colon inside a Windows drive prefix (C:\…) is part of the path.

export type RewardFnLanguage = 'python' | 'javascript' | 'typescript';

export interface RewardFnSpec {
  path: string;
  /** Function to call; null = the module's default (verl `compute_score`, or the only reward-looking function). */
  name: string | null;
  language: RewardFnLanguage;
}

export class RewardFnSpecError extends Error {}

export function languageOf(path: string): RewardFnLanguage | null {
  const m = /\.([a-z]+)$/i.exec(path);
  const ext = m ? m[1].toLowerCase() : '';
  if (ext === 'py') return 'python';
  if (ext === 'js' || ext === 'mjs' || ext === 'cjs') return 'javascript';
  if (ext === 'ts' || ext === 'mts' || ext === 'cts') return 'typescript';
  return null;
}

export function parseRewardFnSpec(spec: string): RewardFnSpec {
  const slash = Math.max(spec.lastIndexOf('/'), spec.lastIndexOf('\\'));
  const colon = spec.lastIndexOf(':');
  let path = spec;
  let name: string | null = null;
  if (colon > slash && colon > 1) {
    path = spec.slice(0, colon);
    name = spec.slice(colon + 1);
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new RewardFnSpecError(`'${name}' is not a function name (expected path[:name])`);
  }
  if (path.length === 0) throw new RewardFnSpecError('missing reward function path (expected path[:name])');
  const language = languageOf(path);
  if (language === null) throw new RewardFnSpecError(`${path}: a reward function is a .py, .js, .mjs, .cjs or .ts file`);
  return { path, name, language };
}

/** Column name of a user reward in results: the function name, else the file's base name. */
export function rewardFnColumn(spec: RewardFnSpec): string {
  if (spec.name) return spec.name;
  const base = spec.path.split(/[\\/]/).pop() ?? spec.path;
  return base.replace(/\.[^.]+$/, '');
}
