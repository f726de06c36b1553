// Types for scripts/lib/code-server.mjs, so the TypeScript e2e tests can use the same helpers as the scripts.
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';

export const REPO: string;
export const CODE_SERVER_VERSION: string;
export const VSCODE_VERSION: string;
export const CACHE_DIR: string;
export const INSTALL_DIR: string;
export const MARKER: string;
export const TMP_ROOT: string;
export const TEST_SETTINGS: Record<string, unknown>;
export const CHROMIUM_ARGS: string[];

export interface IsolationDirs {
  root: string; home: string; config: string; data: string; cache: string; tmp: string; userData: string; extensions: string;
}
export interface Isolation { dirs: IsolationDirs; env: Record<string, string | undefined> }
export interface CodeServer {
  port: number;
  url: string;
  dirs: IsolationDirs;
  env: Record<string, string | undefined>;
  proc: ChildProcess;
  logFile: string;
  healthyMs?: number;
  stop(): Promise<void>;
  stopSync(): void;
}
export interface StartOptions {
  workspace: string;
  prefix?: string;
  env?: Record<string, string>;
  settings?: Record<string, unknown>;
  vsix?: string;
  keepTemp?: boolean;
  port?: number;
  /** Keep VS Code's workspace trust (Restricted Mode) on; every other run passes --disable-workspace-trust. */
  workspaceTrust?: boolean;
  log?: (s: string) => void;
  iso?: Isolation;
}

export function codeServerBin(): string;
export function isProvisioned(): boolean;
export function requireCodeServer(): string;
export function findChromium(): string;
export function freePort(): Promise<number>;
export function makeIsolation(prefix: string): Isolation;
export function writeSettings(userDataDir: string, extra?: Record<string, unknown>): void;
export function installVsix(vsix: string, iso: Isolation): string;
export function startCodeServer(opts: StartOptions): Promise<CodeServer>;
export function launchChromium(env: Record<string, string | undefined>): Promise<Browser>;
