// The extension-host block monitor (src/extension/host-block-monitor.ts) separates a block the thread spent
// working from one where it was merely not running: a CPU loop counts as busy, a sleep (Atomics.wait holds the
// thread without using the CPU, like an OS that does not schedule it) counts only as wall time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostBlockMonitor } from '../../../src/extension/host-block-monitor';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('150 ms of CPU work is a busy block; a 120 ms sleep is wall time only; reset starts a new window', async () => {
  const m = new HostBlockMonitor({ intervalMs: 5, recordOverMs: 16 }).start();
  try {
    await tick(30);
    m.reset();
    // Until this process has had 150 ms of CPU (on a loaded machine that takes longer than 150 ms of wall time; the
    // process figure includes V8 helper threads, so the main thread itself gets somewhat less).
    const c0 = process.cpuUsage();
    let x = 0;
    for (;;) {
      for (let i = 0; i < 10000; i++) x += Math.sqrt(x + 1);
      const c = process.cpuUsage(c0);
      if (c.user + c.system >= 150_000) break;
    }
    assert.ok(x > 0);
    await tick(30);
    const busy = m.read();
    assert.ok(busy.longestWallMs >= 100, `wall ${busy.longestWallMs}`);
    assert.ok(busy.longestMs >= 60, `busy ${busy.longestMs} (${busy.clock})`);
    assert.equal(busy.over50, 1);

    m.reset();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120);
    await tick(30);
    const slept = m.read();
    assert.ok(slept.longestWallMs >= 100, `wall ${slept.longestWallMs}`);
    assert.ok(slept.longestMs < 40, `a sleep is not busy time: ${slept.longestMs} ms (${slept.clock})`);
    assert.equal(slept.over50, 0);
    assert.ok(slept.windowMs < 1000);
  } finally {
    m.dispose();
  }
});

test('a note is attached to the block it was taken in', async () => {
  const m = new HostBlockMonitor({ intervalMs: 5, recordOverMs: 16 }).start();
  try {
    await tick(20);
    m.reset();
    const end = Date.now() + 80;
    m.note('document opened: x.jsonl');
    while (Date.now() < end) { /* busy */ }
    await tick(20);
    const r = m.read();
    assert.deepEqual(r.worst[0]?.notes, ['document opened: x.jsonl']);
  } finally {
    m.dispose();
  }
});
