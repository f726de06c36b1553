// From the command and settings tables to what VS Code and readers see: package.json's `activationEvents`,
// `contributes.commands`, `menus.commandPalette` and `configuration`, and the README's two tables between
// `<!-- generated:NAME -->` markers. Pure functions: scripts/gen-manifest.ts writes the files, the unit test
// compares them.
import { ACTIVATION_EVENTS, CATEGORY, COMMANDS, type CommandSpec } from './commands';
import { SETTINGS, type SettingSchema } from './settings';

export type PackageJson = { [key: string]: unknown; contributes: { [key: string]: unknown; menus?: { [key: string]: unknown } } };

function commandEntry(c: CommandSpec): Record<string, string> {
  return { command: c.id, title: c.title, category: CATEGORY, ...(c.icon ? { icon: c.icon } : {}) };
}

function paletteEntries(): { command: string; when: string }[] {
  const out: { command: string; when: string }[] = [];
  for (const c of COMMANDS) {
    if (c.palette === 'always') continue;
    out.push({ command: c.id, when: c.palette === 'never' ? 'false' : c.palette.when });
  }
  return out;
}

/** package.json with its generated parts replaced; every other key keeps its value and place. */
export function generatePackageJson(pkg: PackageJson): PackageJson {
  const configuration = (pkg.contributes.configuration ?? {}) as { [key: string]: unknown };
  const properties: Record<string, SettingSchema> = {};
  for (const s of SETTINGS) properties[s.key] = s.schema;
  return {
    ...pkg,
    activationEvents: [...ACTIVATION_EVENTS],
    contributes: {
      ...pkg.contributes,
      commands: COMMANDS.map(commandEntry),
      configuration: { ...configuration, title: CATEGORY, properties },
      menus: { ...(pkg.contributes.menus ?? {}), commandPalette: paletteEntries() },
    },
  };
}

/** The text package.json is written as: two-space JSON and a final newline. */
export function packageJsonText(pkg: PackageJson): string {
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function commandTable(): string {
  const rows = COMMANDS.filter((c) => c.palette !== 'never').map((c) => `| ${cell(`${CATEGORY}: ${c.title}`)} | ${cell(c.summary)} |`);
  return ['| Command | What it does |', '| --- | --- |', ...rows].join('\n');
}

function defaultText(schema: SettingSchema): string {
  const d = schema.default;
  if (d === undefined) return '';
  if (Array.isArray(d) && d.length > 0) return d.map((x) => `\`${String(x)}\``).join(', ');
  if (typeof d === 'object' && d !== null && Object.keys(d).length > 0 && Object.values(d).every((v) => v === true)) return 'all on';
  // An object of levels (rolloutLens.severity): one "kind level" pair each, readable in a table cell.
  if (typeof d === 'object' && d !== null && Object.keys(d).length > 0 && Object.values(d).every((v) => typeof v === 'string')) {
    return Object.entries(d).map(([k, v]) => `${k} \`${String(v)}\``).join(', ');
  }
  return `\`${JSON.stringify(d)}\``;
}

export function settingsTable(): string {
  const rows = SETTINGS.filter((s) => !s.deprecated).map((s) => `| \`${s.key}\` | ${cell(defaultText(s.schema))} | ${cell(s.summary)} |`);
  return ['| Setting | Default | What it does |', '| --- | --- | --- |', ...rows].join('\n');
}

/** Replaces the text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`; throws when a marker is missing. */
export function replaceGenerated(text: string, name: string, content: string): string {
  const open = `<!-- generated:${name} -->`;
  const close = `<!-- /generated:${name} -->`;
  const a = text.indexOf(open);
  const b = text.indexOf(close);
  if (a < 0 || b < a) throw new Error(`README: missing ${open} … ${close}`);
  return `${text.slice(0, a + open.length)}\n${content}\n${text.slice(b)}`;
}

export function generateReadme(readme: string): string {
  return replaceGenerated(replaceGenerated(readme, 'commands', commandTable()), 'settings', settingsTable());
}
