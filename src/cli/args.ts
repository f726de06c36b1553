// Argument parsing for `rollout-lens` per the CLI contract (shared docs/cli.md). Hand-rolled because the
// contract is small and exact (repeatable --field, --flag=value and --flag value forms, exit code 2 on misuse).
import { FLAG_KINDS, FORMAT_NAMES, ROLES, type FlagKind, type FormatName, type Role } from '../core/types';
import { HEALTH_KINDS, type HealthKind } from '../protocol/viewer-protocol';

export type Command = 'summary' | 'score' | 'report';
export type GroupByOption = 'auto' | 'prompt' | { field: string } | { consecutive: number };
export type AdvantageOption = 'auto' | 'grpo' | 'drgrpo' | 'rloo' | 'file';

export interface CliOptions {
  command: Command;
  path: string;
  format: FormatName | 'auto';
  fields: Partial<Record<Role, string>>;
  groupBy: GroupByOption;
  advantage: AdvantageOption;
  lang: string;
  rewards: string[] | null;
  out: string | null;
  failOn: FlagKind[];
  /** (summary, report) exit 1 when run health finds a change of these kinds (`--fail-on health[:<kind>]`). */
  failOnHealth: HealthKind[];
  json: boolean;
  rewardFns: string[];
  /** (score) Python interpreter for --reward-fn .py files (default: $ROLLOUT_LENS_PYTHON, else python3). */
  python?: string;
  /** (score) Time limit of one batch of a reward function, ms. */
  rewardTimeoutMs?: number;
  /** (score) Run code rewards with only the in-process guard when bubblewrap is unavailable (docs/sandbox.md). */
  allowWeakSandbox?: boolean;
}

export class UsageError extends Error {}

export { DEFAULT_REWARDS } from '../core/run/score-sample';

export const USAGE = `usage:
  rollout-lens summary <path> [options]     one object: what the file is and what is in it
  rollout-lens score   <path> [options]     one result per sample: rewards, flags, group, advantage
  rollout-lens report  <path> --out r.html  a self-contained HTML report with the charts

options:
  --format <name>          ${['auto', ...FORMAT_NAMES].join(', ')}
  --field <role>=<name>    override a role (${ROLES.join(', ')}); repeatable; dotted paths allowed
  --group-by <key>         auto, field:<name>, prompt, consecutive:<N>
  --advantage <est>        grpo, drgrpo, rloo, file (default: the file's, else grpo)
  --lang <code>            target language of the reasoning: auto or an ISO 639-1 code
  --rewards <list>         (score) rewards to compute, comma-separated
  --reward-fn <path[:name]> (score) your reward function: a .py file (TRL f(prompts, completions, **kwargs)
                           or verl compute_score) or a .js/.ts module (TRL signature); repeatable
  --python <path>          (score) interpreter for .py reward functions (default: python3)
  --reward-timeout <s>     (score) time limit per batch of 64 samples (default 30)
  --out <file>             (score) scored copy as JSONL; (report) the HTML file
  --allow-weak-sandbox     (score) without bubblewrap, run code rewards with only the in-process Python guard
  --fail-on <kinds>        exit 1 if a sample has a flag of these kinds (${FLAG_KINDS.join(', ')});
                           (summary, report) health: exit 1 if run health finds any change over the steps,
                           health:<kind> only changes of that kind (${HEALTH_KINDS.join(', ')})
  --json                   machine-readable output
exit codes: 0 done, 1 --fail-on kind or health change found, 2 usage error, 3 input cannot be read as rollouts,
            4 an output file cannot be written, 128+n ended by signal n`;

function parseGroupBy(v: string): GroupByOption {
  if (v === 'auto' || v === 'prompt') return v;
  if (v.startsWith('field:') && v.length > 6) return { field: v.slice(6) };
  const m = /^consecutive:(\d+)$/.exec(v);
  if (m && Number(m[1]) > 0) return { consecutive: Number(m[1]) };
  throw new UsageError(`--group-by: expected auto, field:<name>, prompt or consecutive:<N>, got '${v}'`);
}

export function parseArgs(argv: string[]): CliOptions {
  const [command, ...rest] = argv;
  if (command !== 'summary' && command !== 'score' && command !== 'report') {
    throw new UsageError(command === undefined ? 'missing command' : `unknown command '${command}'`);
  }
  const opts: CliOptions = {
    command, path: '', format: 'auto', fields: {}, groupBy: 'auto', advantage: 'auto', lang: 'auto',
    rewards: null, out: null, failOn: [], failOnHealth: [], json: false, rewardFns: [],
  };
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    let arg = rest[i];
    let value: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      value = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    }
    const take = (): string => {
      if (value !== undefined) return value;
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--json': opts.json = true; break;
      case '--format': {
        const v = take();
        if (v !== 'auto' && !(FORMAT_NAMES as readonly string[]).includes(v)) throw new UsageError(`--format: unknown format '${v}'`);
        opts.format = v as FormatName | 'auto';
        break;
      }
      case '--field': {
        const v = take();
        const eq = v.indexOf('=');
        const role = v.slice(0, eq);
        if (eq <= 0 || eq === v.length - 1 || !(ROLES as readonly string[]).includes(role)) {
          throw new UsageError(`--field: expected <role>=<name> with role one of ${ROLES.join(', ')}, got '${v}'`);
        }
        opts.fields[role as Role] = v.slice(eq + 1);
        break;
      }
      case '--group-by': opts.groupBy = parseGroupBy(take()); break;
      case '--advantage': {
        const v = take();
        if (!['auto', 'grpo', 'drgrpo', 'rloo', 'file'].includes(v)) throw new UsageError(`--advantage: expected grpo, drgrpo, rloo or file, got '${v}'`);
        opts.advantage = v as AdvantageOption;
        break;
      }
      case '--lang': {
        const v = take();
        if (v !== 'auto' && !/^[a-z]{2,3}$/.test(v)) throw new UsageError(`--lang: expected auto or an ISO 639-1 code, got '${v}'`);
        opts.lang = v;
        break;
      }
      case '--rewards': opts.rewards = take().split(',').map((s) => s.trim()).filter((s) => s.length > 0); break;
      case '--reward-fn': opts.rewardFns.push(take()); break;
      case '--python': opts.python = take(); break;
      case '--reward-timeout': {
        const v = Number(take());
        if (!(v > 0)) throw new UsageError('--reward-timeout: expected seconds > 0');
        opts.rewardTimeoutMs = v * 1000;
        break;
      }
      case '--out': opts.out = take(); break;
      case '--allow-weak-sandbox': opts.allowWeakSandbox = true; break;
      case '--fail-on': {
        const kinds = take().split(',').map((s) => s.trim()).filter((s) => s.length > 0);
        const flags: FlagKind[] = [];
        const health = new Set<HealthKind>();
        for (const k of kinds) {
          if (k === 'health') for (const h of HEALTH_KINDS) health.add(h);
          else if (k.startsWith('health:')) {
            const h = k.slice(7);
            if (!(HEALTH_KINDS as readonly string[]).includes(h)) throw new UsageError(`--fail-on: unknown health kind '${h}' (expected ${HEALTH_KINDS.join(', ')})`);
            health.add(h as HealthKind);
          } else if ((FLAG_KINDS as readonly string[]).includes(k)) flags.push(k as FlagKind);
          else throw new UsageError(`--fail-on: unknown flag kind '${k}' (expected ${FLAG_KINDS.join(', ')}, health or health:<kind>)`);
        }
        opts.failOn = flags;
        opts.failOnHealth = [...health];
        break;
      }
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
        positional.push(arg);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'missing <path>' : `expected one <path>, got ${positional.length}`);
  opts.path = positional[0];
  if (opts.command === 'report' && opts.out === null) throw new UsageError('report needs --out <file.html>');
  if (opts.command === 'score' && opts.failOnHealth.length > 0) throw new UsageError('--fail-on health: only summary and report test run health');
  return opts;
}
