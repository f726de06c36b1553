// How a command failure reaches the user: one message, with the level it deserves, and one log line. Pure (no
// `vscode`) so the unit tests check the wording; command-context.ts shows and logs what this returns.

/**
 * A failure the command explains itself: a missing target or a file that is not a rollout log is the user's
 * precondition (a warning); anything else is an error.
 */
export class CommandError extends Error {
  constructor(message: string, readonly level: 'warning' | 'error' = 'error') {
    super(message);
    this.name = 'CommandError';
  }
}

export interface CommandFailure {
  level: 'warning' | 'error';
  /** What the notification says. */
  message: string;
  /** The Output line: the command id, and the stack of an unexpected error. */
  log: string;
}

export function describeFailure(command: string, e: unknown): CommandFailure {
  if (e instanceof CommandError) return { level: e.level, message: `Rollout Lens: ${e.message}`, log: `${command}: ${e.message}` };
  const message = e instanceof Error ? e.message : String(e);
  const stack = e instanceof Error && e.stack ? `\n${e.stack}` : '';
  return { level: 'error', message: `Rollout Lens: ${message}`, log: `${command} failed: ${message}${stack}` };
}
