// Writes the generated parts of package.json (activation events, commands, palette menu, settings) and of
// README.md (command and settings tables) from src/extension/manifest/. Run: `npm run manifest`
// (node --import tsx scripts/gen-manifest.ts). test/unit/manifest/manifest.test.ts fails when they are stale.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generatePackageJson, generateReadme, packageJsonText, type PackageJson } from '../src/extension/manifest/generate';

const root = resolve(__dirname, '..');

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

for (const [name, make] of [
  ['package.json', (t: string): string => packageJsonText(generatePackageJson(JSON.parse(t) as PackageJson))],
  ['README.md', generateReadme],
] as const) {
  const path = join(root, name);
  const before = readFileSync(path, 'utf8');
  const after = make(before);
  if (after === before) console.log(`${name}: up to date`);
  else {
    writeAtomic(path, after);
    console.log(`${name}: written`);
  }
}
