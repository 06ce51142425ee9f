import { readdir } from 'node:fs/promises';
import { parseJsonc, readTextInside, type LintConfigReport } from '../../core/index.js';
import { ESLINT_CONFIG_SCRIPT, parseEslintAnswer, type NodeScriptRunner } from './eslint-api.js';
import { mappedEslintNames } from './names.js';
import { readBiome, readEslintrc, readOxlint, type ReadLayers } from './readers.js';
import { resolveLintConfig } from './resolve.js';
import { parse as parseYaml } from 'yaml';
import type { LintConfigLayer, LintNotRead, LintSource, LinterKind } from './types.js';

/** In ESLint's order of precedence. */
const ESLINT_FLAT = [
  'eslint.config.js',
  'eslint.config.mjs',
  'eslint.config.cjs',
  'eslint.config.ts',
  'eslint.config.mts',
  'eslint.config.cts',
];
const ESLINT_LEGACY = [
  '.eslintrc.js',
  '.eslintrc.cjs',
  '.eslintrc.yaml',
  '.eslintrc.yml',
  '.eslintrc.json',
  '.eslintrc',
];
const BIOME = ['biome.json', 'biome.jsonc'];
const OXLINT = ['.oxlintrc.json', '.oxlintrc.jsonc', 'oxlint.json'];
const OXLINT_CODE = /^oxlint\.config\.[cm]?[jt]s$/;

export interface ReadLintConfigOptions {
  /** Runs the repository's ESLint for configs that are code; without it they are not read. */
  runScript?: NodeScriptRunner;
}

/** The project's lint configuration as layers of BEAST MODE rule settings, and the report of it. */
export interface LintConfig {
  layers: LintConfigLayer[];
  report: LintConfigReport;
}

async function readText(root: string, file: string): Promise<string | undefined> {
  try {
    return await readTextInside(root, file, { followInside: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

/** Aliases that expand into many nodes are how a YAML file exhausts memory ("billion laughs"). */
const YAML_OPTIONS = { maxAliasCount: 100 } as const;

/** Pure: a config file's text as data, by its name: YAML or JSON with comments. */
export function parseConfigText(file: string, text: string): unknown {
  if (/\.ya?ml$/.test(file)) return parseYaml(text, YAML_OPTIONS);
  // `.eslintrc` without an extension may be JSON or YAML; ESLint tries YAML, a superset.
  if (file === '.eslintrc' && !text.trimStart().startsWith('{'))
    return parseYaml(text, YAML_OPTIONS);
  return parseJsonc(text);
}

/** Accumulates what was read and what was not. */
class Collector {
  sources: LintSource[] = [];
  notRead: LintNotRead[] = [];

  static(linter: LinterKind, file: string, read: ReadLayers): void {
    const notes = [...read.notes];
    if (read.extends.length > 0) notes.push(`extends not followed: ${read.extends.join(', ')}`);
    this.sources.push({ linter, file, layers: read.layers, notes });
  }
}

/** The repository's ESLint, asked each file's config; a LintNotRead when that fails. */
async function askEslint(
  root: string,
  file: string,
  files: readonly string[],
  runScript: NodeScriptRunner | undefined,
): Promise<LintSource | LintNotRead> {
  if (!runScript) return { file, reason: 'reading it needs the repository’s ESLint, not run here' };
  const flat = ESLINT_FLAT.includes(file);
  const input = JSON.stringify({ root, flat, files, names: mappedEslintNames() });
  const result = await runScript({ root, script: ESLINT_CONFIG_SCRIPT, input });
  if (!result.ok) return { file, reason: result.reason };
  try {
    const answer = parseEslintAnswer(result.stdout);
    if (answer.failed > 0 && answer.failed === files.length)
      return { file, reason: answer.firstError ?? 'ESLint computed no config' };
    const notes = [`read by ESLint ${answer.version}`];
    if (answer.failed > 0)
      notes.push(`ESLint could not compute ${answer.failed} file(s)' config: ${answer.firstError}`);
    return { linter: 'eslint', file, perFile: answer.perFile, notes };
  } catch (error) {
    return { file, reason: firstLine(error) };
  }
}

async function readEslint(
  root: string,
  present: ReadonlySet<string>,
  files: readonly string[],
  options: ReadLintConfigOptions,
  out: Collector,
): Promise<void> {
  const flat = ESLINT_FLAT.find((f) => present.has(f));
  const legacy = ESLINT_LEGACY.find((f) => present.has(f));
  const file = flat ?? legacy;
  if (file === undefined) return;
  if (flat !== undefined || /\.c?js$/.test(file)) {
    const asked = await askEslint(root, file, files, options.runScript);
    if ('reason' in asked) out.notRead.push(asked);
    else out.sources.push(asked);
    return;
  }
  let read: ReadLayers;
  try {
    read = readEslintrc(parseConfigText(file, (await readText(root, file)) ?? ''));
  } catch (error) {
    out.notRead.push({
      file,
      reason: `not valid ${/ya?ml/.test(file) ? 'YAML' : 'JSON'}: ${firstLine(error)}`,
    });
    return;
  }
  await useStaticOrAsked(root, file, read, files, options, out);
}

/**
 * An eslintrc's presets (`extends`) are code that only ESLint resolves: when it has some and the
 * repository's ESLint can be asked, its answer is used; else the file's own rules, said so.
 */
async function useStaticOrAsked(
  root: string,
  file: string,
  read: ReadLayers,
  files: readonly string[],
  options: ReadLintConfigOptions,
  out: Collector,
): Promise<void> {
  if (read.extends.length > 0 && options.runScript) {
    const asked = await askEslint(root, file, files, options.runScript);
    if (!('reason' in asked)) {
      out.sources.push(asked);
      return;
    }
    read.notes.push(`ESLint not asked (${asked.reason})`);
  }
  out.static('eslint', file, read);
}

function packageKey(pkg: unknown, key: string): unknown {
  return typeof pkg === 'object' && pkg !== null
    ? (pkg as Record<string, unknown>)[key]
    : undefined;
}

async function readPackageJson(
  root: string,
  present: ReadonlySet<string>,
  hasEslintFile: boolean,
  files: readonly string[],
  options: ReadLintConfigOptions,
  out: Collector,
): Promise<void> {
  if (!present.has('package.json')) return;
  let pkg: unknown;
  try {
    pkg = JSON.parse((await readText(root, 'package.json')) ?? '{}');
  } catch {
    return; // a broken package.json is not a lint config; other parts of the scan say so
  }
  const eslintConfig = packageKey(pkg, 'eslintConfig');
  if (eslintConfig !== undefined && !hasEslintFile)
    await useStaticOrAsked(
      root,
      'package.json#eslintConfig',
      readEslintrc(eslintConfig),
      files,
      options,
      out,
    );
  const xo = packageKey(pkg, 'xo');
  if (xo !== undefined) out.static('xo', 'package.json#xo', readEslintrc(xo));
}

async function readJsonConfig(
  root: string,
  linter: LinterKind,
  file: string,
  reader: (config: unknown) => ReadLayers,
  out: Collector,
): Promise<void> {
  try {
    out.static(linter, file, reader(parseJsonc((await readText(root, file)) ?? '')));
  } catch (error) {
    out.notRead.push({ file, reason: `not valid JSON: ${firstLine(error)}` });
  }
}

/**
 * Reads the repository's ESLint (flat or legacy), Biome, oxlint and xo configuration at its root,
 * and resolves what it makes of BEAST MODE's rules for each of `files`. JSON and YAML configs are
 * read as data; a config that is code (`eslint.config.js`, `.eslintrc.js`, an eslintrc with
 * presets) is asked of the repository's own ESLint through `runScript`, which runs it. What cannot
 * be read is listed in `notRead`, and nothing of it is applied.
 */
export async function readLintConfig(
  root: string,
  files: readonly string[],
  options: ReadLintConfigOptions = {},
): Promise<LintConfig> {
  const rootFiles = await readdir(root).catch(() => [] as string[]);
  const present = new Set(rootFiles);
  const out = new Collector();
  await readEslint(root, present, files, options, out);
  const hasEslintFile = [...ESLINT_FLAT, ...ESLINT_LEGACY].some((f) => present.has(f));
  await readPackageJson(root, present, hasEslintFile, files, options, out);
  const biome = BIOME.find((f) => present.has(f));
  if (biome) await readJsonConfig(root, 'biome', biome, readBiome, out);
  const oxlint = OXLINT.find((f) => present.has(f));
  if (oxlint) await readJsonConfig(root, 'oxlint', oxlint, readOxlint, out);
  const oxlintCode = rootFiles.find((f) => OXLINT_CODE.test(f));
  if (oxlintCode && !oxlint)
    out.notRead.push({
      file: oxlintCode,
      reason: 'it is code, and only oxlint can run it (a scan does not)',
    });
  const { layers, adjusted } = resolveLintConfig(out.sources, files);
  return {
    layers,
    report: {
      sources: out.sources.map((s) => s.file),
      adjusted,
      notRead: out.notRead,
      ...(out.sources.some((s) => s.notes.length > 0)
        ? { notes: out.sources.flatMap((s) => s.notes.map((n) => `${s.file}: ${n}`)) }
        : {}),
    },
  };
}
