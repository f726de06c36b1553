// Rollout Viewer host-side benchmark on a generated verl dump: time to the first rows, time to full statistics,
// the longest event-loop stalls during the scan (what the extension host would feel), then paging, one sample,
// one group, aggregates and a regex search. Usage: [VIEWER_BENCH_WORKER=1] npx tsx bench/viewer-bench.ts [MB] [path]
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { generateRolloutFile } from './generate';
import { RunSession } from '../src/node/viewer/run-session';

async function main(): Promise<void> {
  const mb = Number(process.argv[2] ?? 500);
  const path = process.argv[3] ?? join('.tmp', `viewer-bench-${mb}mb.jsonl`);
  if (!existsSync(path)) {
    const t = performance.now();
    await generateRolloutFile(path, mb * 1024 * 1024);
    console.log(`generated ${path} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const bytes = statSync(path).size;
  // Event-loop stalls: a 10 ms timer that measures how late it fires (the host's "long tasks").
  const stalls: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    stalls.push(now - last - 10);
    last = now;
  }, 10);
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  // VIEWER_BENCH_WORKER=1: scan in dist/viewer-worker.js as the extension does (build first).
  const worker = process.env.VIEWER_BENCH_WORKER === '1' ? join('dist', 'viewer-worker.js') : undefined;
  console.log(`scan ${worker ? 'in a worker thread' : 'on the main thread'}`);
  const s = new RunSession(path, { workerScript: worker });
  let firstRowsAt = 0;
  let firstCount = 0;
  const t0 = performance.now();
  const model = await s.scan({ firstRows: (r) => { firstRowsAt = performance.now() - t0; firstCount = r.length; } });
  const full = performance.now() - t0;
  h.disable();
  clearInterval(timer);
  stalls.sort((a, b) => b - a);
  const over50 = stalls.filter((x) => x > 50).length;
  console.log(`file ${(bytes / 1048576).toFixed(0)} MB, ${model.count} samples, ${model.groups.grouping.count} groups`);
  console.log(`first ${firstCount} rows after ${firstRowsAt.toFixed(0)} ms; full statistics after ${(full / 1000).toFixed(2)} s (${(bytes / 1048576 / (full / 1000)).toFixed(1)} MB/s)`);
  console.log(`event-loop stalls during the scan: max ${stalls[0]?.toFixed(0)} ms, p99 ${(h.percentile(99) / 1e6).toFixed(0)} ms, mean ${(h.mean / 1e6).toFixed(1)} ms, ${over50} stalls > 50 ms`);
  let t = performance.now();
  const agg = s.aggregates();
  console.log(`aggregates: ${(performance.now() - t).toFixed(0)} ms (${agg.steps.length} steps, ${agg.scatter.length} scatter points)`);
  t = performance.now();
  const total = s.runQuery(1, { filter: { flags: ['repetition'] }, sort: 'reward', descending: true });
  console.log(`query (repetition flag, sort by reward): ${(performance.now() - t).toFixed(0)} ms → ${total} samples`);
  s.runQuery(2, { filter: {}, sort: 'index', descending: false });
  t = performance.now();
  const rows = await s.rows(2, Math.floor(model.count / 2), 100);
  console.log(`page of ${rows.length} rows from the middle: ${(performance.now() - t).toFixed(0)} ms`);
  t = performance.now();
  await s.detail(model.count - 1);
  console.log(`last sample detail: ${(performance.now() - t).toFixed(0)} ms`);
  t = performance.now();
  const g = await s.group(Math.floor(model.groups.grouping.count / 2), 'spread');
  console.log(`group detail (${g?.members.length} members): ${(performance.now() - t).toFixed(0)} ms`);
  t = performance.now();
  s.groupPage('spread', 0, 40);
  console.log(`group page by spread (first time sorts ${model.groups.grouping.count} groups): ${(performance.now() - t).toFixed(0)} ms`);
  const searchStalls: number[] = [];
  let lastTick = performance.now();
  const tick = setInterval(() => { const now = performance.now(); searchStalls.push(now - lastTick - 10); lastTick = now; }, 10);
  t = performance.now();
  const st = await s.search({ pattern: '因此答案|Let me check again', flags: 'iu', fields: ['reasoning', 'answer'] });
  clearInterval(tick);
  searchStalls.sort((x, y) => y - x);
  console.log(`search over reasoning+answer: ${((performance.now() - t) / 1000).toFixed(2)} s → ${st.matchingSamples} samples, hits ${JSON.stringify(st.hits)}; event-loop stalls max ${searchStalls[0]?.toFixed(0)} ms, ${searchStalls.filter((x) => x > 50).length} > 50 ms`);
  console.log(`heap used ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB, rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
  await s.close();
}

void main();
