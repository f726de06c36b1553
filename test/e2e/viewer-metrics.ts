// Measurements for the 1 GB viewer e2e run, taken from outside the processes they describe so that measuring
// does not change what is measured: the extension host's memory from /proc, its longest blocks from the JSON
// file the host-block monitor writes in code-server's private TMPDIR, and the browser renderer's JS heap through
// the DevTools protocol. In code-server the webview iframes are same-origin with the workbench, so they live in
// the workbench's renderer process and V8 isolate: their memory is the growth of that renderer.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

const MB = 1024 * 1024;

interface Proc { pid: number; ppid: number; cmd: string }

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const status = readFileSync(`/proc/${d}/status`, 'utf8');
      out.push({ pid: Number(d), ppid: Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0), cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // the process ended while we listed it
    }
  }
  return out;
}

/** The pid of code-server's extension host (a descendant of the server started with `--type=extensionHost`). */
export function extensionHostPid(serverPid: number): number {
  const all = processes();
  const mine = new Set([serverPid]);
  for (let changed = true; changed;) {
    changed = false;
    for (const p of all) if (mine.has(p.ppid) && !mine.has(p.pid)) { mine.add(p.pid); changed = true; }
  }
  const hosts = all.filter((p) => mine.has(p.pid) && p.cmd.includes('--type=extensionHost'));
  if (hosts.length !== 1) throw new Error(`expected one extension host under code-server ${serverPid}, found ${hosts.length}`);
  return hosts[0]!.pid;
}

/** Resident memory now and its high-water mark (VmHWM: the peak over the process's life), in MB. */
export function processMemory(pid: number): { rssMB: number; peakMB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMB: kb('VmRSS') / 1024, peakMB: kb('VmHWM') / 1024 };
}

/**
 * The workbench renderer after a forced garbage collection: the V8 heap of its isolate (the workbench and every
 * webview frame in it) and the renderer process's RSS. The renderer is the one the page's CDP session reports
 * through SystemInfo: of the browser's renderer processes, the one that has used the most CPU (the others are
 * Chromium's own UI pages and idle spares).
 */
export async function rendererMemory(browser: Browser, page: Page): Promise<{ jsHeapMB: number; rssMB: number; pid: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    const b = await browser.newBrowserCDPSession();
    const info = (await b.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number; cpuTime: number }[] };
    await b.detach();
    const renderer = info.processInfo.filter((p) => p.type === 'renderer').sort((x, y) => y.cpuTime - x.cpuTime)[0];
    if (!renderer) throw new Error('no renderer process in SystemInfo.getProcessInfo');
    return { jsHeapMB: heap / MB, rssMB: processMemory(renderer.id).rssMB, pid: renderer.id };
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** `ms`: wall-clock length; `busyMs`: the host thread's own CPU time in it (what it costs on an idle machine). */
export interface HostBlock { at: number; ms: number; busyMs?: number; notes?: string[] }

/**
 * Extension-host blocks (a probe timer that fired late) that began in [from, to], the busiest first (by the
 * thread's CPU time when the monitor has it, else by wall time), from the file src/extension/host-block-monitor.ts
 * writes every 500 ms under ROLLOUT_LENS_TEST=1; null when there is no such file.
 */
export async function hostBlocks(serverTmp: string, from: number, to: number): Promise<HostBlock[] | null> {
  const file = join(serverTmp, 'rollout-lens-host-blocks.json');
  // The file is rewritten every 500 ms by the probe: wait until it covers the end of the window.
  const t0 = Date.now();
  for (;;) {
    if (existsSync(file)) {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { writtenAt: number; blocks: HostBlock[] };
      if (data.writtenAt >= to || Date.now() - t0 > 5000) return data.blocks.filter((b) => b.at >= from && b.at <= to).sort((a, b) => (b.busyMs ?? b.ms) - (a.busyMs ?? a.ms));
    } else if (Date.now() - t0 > 5000) {
      return null; // a build without the monitor: the caller says so instead of inventing a figure
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export const fmtMB = (x: number): string => `${x.toFixed(0)} MB`;
