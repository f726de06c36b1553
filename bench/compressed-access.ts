// What a compressed rollout file costs (docs/recognition.md §2): on a generated JSONL of --mb megabytes (default 100),
// gzip (node:zlib, level 6) and zstd (the zstd tool when installed, level 3), the times of
//   plain      loadRun of the .jsonl (streaming, main thread, no analysis)
//   stream     loadRun of the compressed file (decompressed as a stream into the scanner)
//   decompress one full decompression alone: what each random read would cost if the viewer re-decompressed
//   viewer     RunSession.scan of the compressed file (decompressed once to a temp copy, then indexed)
//   jump       200 random samples read through the viewer's index afterwards (ms per read)
//   node --import tsx bench/compressed-access.ts [--mb 100] [--dir /tmp/x]
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { generateRolloutFile, rng } from './generate';
import { loadRun } from '../src/node/load-run';
import { RunSession } from '../src/node/viewer/run-session';
import { decoder, type Compression } from '../src/node/decompress';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
}

async function main(): Promise<void> {
  const mb = Number(arg('mb', '100'));
  const dir = arg('dir', join(tmpdir(), 'rl-compressed-bench'));
  mkdirSync(dir, { recursive: true });
  const plain = join(dir, `run-${mb}mb.jsonl`);
  if (!existsSync(plain)) await generateRolloutFile(plain, mb * 2 ** 20);
  const gz = `${plain}.gz`;
  if (!existsSync(gz)) await pipeline(createReadStream(plain), createGzip({ level: 6 }), createWriteStream(gz));
  const files: [Compression, string][] = [['gzip', gz]];
  const zst = `${plain}.zst`;
  if (!existsSync(zst)) spawnSync('zstd', ['-q', '-3', plain, '-o', zst]);
  if (existsSync(zst)) files.push(['zstd', zst]);
  const size = (p: string): string => `${(statSync(p).size / 2 ** 20).toFixed(1)} MB`;
  console.log(`plain ${size(plain)}; ${files.map(([c, p]) => `${c} ${size(p)}`).join('; ')}`);
  const [m, tPlain] = await timed(() => loadRun(plain));
  console.log(`plain      ${(tPlain / 1000).toFixed(2)} s (${m.count} samples)`);
  for (const [c, p] of files) {
    const [, tStream] = await timed(() => loadRun(p));
    const [, tDec] = await timed(() => pipeline(createReadStream(p, { highWaterMark: 1 << 20 }), decoder(c), new Writable({ write: (_c, _e, cb) => cb() })));
    const s = new RunSession(p, { analyse: false });
    const [model, tViewer] = await timed(() => s.scan());
    const rand = rng(7);
    const [, tJump] = await timed(async () => {
      for (let k = 0; k < 200; k++) await s.sample(Math.floor(rand() * model.count));
    });
    await s.close();
    console.log(`${c.padEnd(10)} stream ${(tStream / 1000).toFixed(2)} s · decompress ${(tDec / 1000).toFixed(2)} s · viewer scan ${(tViewer / 1000).toFixed(2)} s · jump ${(tJump / 200).toFixed(2)} ms/sample`);
  }
}

void main();
