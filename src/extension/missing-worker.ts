// A worker bundle missing from the installation (src/node/worker-script.ts) is shown once per session as an error
// message and logged every time: the scan that needed it does not run, rather than blocking the host thread.
import * as vscode from 'vscode';
import { MissingWorkerError } from '../node/worker-script';

let shown = false;

/** Reports `e` when it is a MissingWorkerError (true), else leaves it to the caller (false). */
export function reportMissingWorker(e: unknown): boolean {
  if (!(e instanceof MissingWorkerError)) return false;
  console.error(`[rollout-lens] ${e.message}`);
  if (!shown) {
    shown = true;
    void vscode.window.showErrorMessage(e.message);
  }
  return true;
}
