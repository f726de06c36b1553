// The manifest is code: package.json's generated parts and the README's tables must equal what
// src/extension/manifest/ produces (run `npm run manifest` after changing a command, a setting or a constant they
// are built from), and every contributed command must be registered by the extension.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, IS_ROLLOUT_FILE } from '../../../src/extension/manifest/commands';
import { DEFAULT_SEVERITY, DIAGNOSTIC_KINDS, SETTINGS, SEVERITY_LEVELS } from '../../../src/extension/manifest/settings';
import { generatePackageJson, generateReadme, packageJsonText, type PackageJson } from '../../../src/extension/manifest/generate';
import { ADVANTAGE_OPTIONS } from '../../../src/core/run/run-groups';
import { FLAG_KINDS, FORMAT_NAMES, ROLES } from '../../../src/core/types';
import { PROJECT_ROOT } from '../../support/fixtures';

const pkgText = readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8');
const pkg = JSON.parse(pkgText) as PackageJson;
const STALE = 'stale: run `npm run manifest`';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('package.json equals the generated manifest', () => {
  assert.equal(pkgText, packageJsonText(generatePackageJson(pkg)), `package.json ${STALE}`);
});

test('README command and settings tables equal the generated ones', () => {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  assert.equal(readme, generateReadme(readme), `README.md ${STALE}`);
  for (const c of COMMANDS.filter((x) => x.palette !== 'never')) assert.ok(readme.includes(`Rollout Lens: ${c.title}`), c.id);
  for (const s of SETTINGS.filter((x) => !x.deprecated)) assert.ok(readme.includes(`\`${s.key}\``), s.key);
  for (const s of SETTINGS.filter((x) => x.deprecated)) assert.ok(!readme.includes(`\`${s.key}\``), `deprecated ${s.key} is still in the README`);
});

test('settings are built from the code constants: formats, roles, advantage options, flag kinds', () => {
  const props = (pkg.contributes.configuration as { properties: Record<string, { enum?: string[]; description?: string; properties?: object }> }).properties;
  assert.deepEqual(props['rolloutLens.format'].enum, ['auto', ...FORMAT_NAMES]);
  for (const r of ROLES) assert.ok(props['rolloutLens.fieldMapping'].description?.includes(r), `role ${r}`);
  assert.deepEqual(props['rolloutLens.advantage'].enum, [...ADVANTAGE_OPTIONS]);
  assert.deepEqual(Object.keys(props['rolloutLens.flags.enabled'].properties ?? {}), [...FLAG_KINDS]);
});

test('rolloutLens.severity: one object keyed by the diagnostic kinds; the old per-kind keys are deprecated, not gone', () => {
  type Prop = { type?: string; enum?: string[]; default?: unknown; properties?: Record<string, { enum?: string[]; default?: string }>; additionalProperties?: boolean; markdownDescription?: string; markdownDeprecationMessage?: string };
  const props = (pkg.contributes.configuration as { properties: Record<string, Prop> }).properties;
  const severity = props['rolloutLens.severity'];
  assert.equal(severity.type, 'object');
  assert.deepEqual(Object.keys(severity.properties ?? {}), [...DIAGNOSTIC_KINDS]);
  assert.deepEqual(severity.default, DEFAULT_SEVERITY);
  assert.equal(severity.additionalProperties, false);
  for (const k of DIAGNOSTIC_KINDS) {
    assert.deepEqual(severity.properties?.[k]?.enum, [...SEVERITY_LEVELS], k);
    assert.equal(severity.properties?.[k]?.default, DEFAULT_SEVERITY[k], k);
    const old = props[`rolloutLens.severity.${k}`];
    assert.ok(old, `rolloutLens.severity.${k} must stay contributed so existing settings stay valid`);
    assert.match(old.markdownDeprecationMessage ?? '', /rolloutLens\.severity/, k);
    assert.deepEqual(old.enum, [...SEVERITY_LEVELS], k);
  }
  // The two off switches say how they differ.
  assert.match(severity.markdownDescription ?? '', /rolloutLens\.flags\.enabled/);
  assert.match(props['rolloutLens.flags.enabled'].markdownDescription ?? '', /rolloutLens\.severity/);
});

test('every contributed command is registered, every registered public command is contributed', () => {
  const text = sources(join(PROJECT_ROOT, 'src', 'extension')).map((f) => readFileSync(f, 'utf8')).join('\n');
  const registered = new Set([...text.matchAll(/registerCommand\('(rolloutLens\.[A-Za-z]+)'/g)].map((m) => m[1]));
  const contributed = new Set(COMMANDS.map((c) => c.id));
  for (const id of contributed) assert.ok(registered.has(id), `${id} is contributed but never registered`);
  for (const id of registered) assert.ok(contributed.has(id), `${id} is registered but not in manifest/commands.ts`);
});

test('palette: status-bar and quick-fix targets hidden, cursor commands only on a rollout file, no onStartupFinished', () => {
  const palette = (pkg.contributes.menus?.commandPalette ?? []) as { command: string; when: string }[];
  const when = new Map(palette.map((p) => [p.command, p.when]));
  assert.equal(when.get('rolloutLens.largeFileActions'), 'false');
  assert.equal(when.get('rolloutLens.disableFlagKind'), 'false');
  for (const id of ['rolloutLens.scoreSample', 'rolloutLens.nextFlag', 'rolloutLens.openSample', 'rolloutLens.showSampleInfo', 'rolloutLens.openSampleAsText']) {
    assert.equal(when.get(id), IS_ROLLOUT_FILE, id);
  }
  const statusBar = readFileSync(join(PROJECT_ROOT, 'src/extension/editor/status-bar.ts'), 'utf8');
  assert.match(statusBar, /setContext', IS_ROLLOUT_FILE/, 'the extension sets the context key the when-clauses read');
  assert.ok(!(pkg.activationEvents as string[]).includes('onStartupFinished'));
});
