import type { LintLayer, TheirSetting } from './types.js';

/** What a static reader makes of a config: its blocks, and what it could not take into account. */
export interface ReadLayers {
  layers: LintLayer[];
  notes: string[];
  /** `extends` entries, which only the linter itself can resolve (ESLint's presets are code). */
  extends: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const OFF = new Set<unknown>([0, 'off', '0']);
const ON = new Set<unknown>([1, 2, 'warn', 'error', '1', '2']);

/** Pure: an ESLint rule value (`"off"`, `2`, `["error", { max: 3 }]`); undefined when invalid. */
export function parseEslintSetting(value: unknown): TheirSetting | undefined {
  const [severity, ...options] = Array.isArray(value) ? value : [value];
  if (OFF.has(severity)) return { on: false, options };
  if (ON.has(severity)) return { on: true, options };
  return undefined;
}

function eslintRules(value: unknown): Record<string, TheirSetting> {
  const out: Record<string, TheirSetting> = {};
  if (!isRecord(value)) return out;
  for (const [name, raw] of Object.entries(value)) {
    const setting = parseEslintSetting(raw);
    if (setting) out[name] = setting;
  }
  return out;
}

/**
 * A glob of an eslintrc `overrides` block as a repository-relative one: a pattern without a slash
 * matches a file's name in any folder (ESLint's `matchBase`).
 */
function eslintrcGlob(pattern: string): string {
  const bare = pattern.replace(/^\.\//, '');
  return bare.includes('/') ? bare.replace(/^\//, '') : `**/${bare}`;
}

function overrideLayers(
  overrides: unknown,
  within: string[][],
  out: LintLayer[],
  notes: string[],
): void {
  if (!Array.isArray(overrides)) return;
  for (const block of overrides) {
    if (!isRecord(block)) continue;
    const files = strings(block.files).map(eslintrcGlob);
    if (files.length === 0) continue;
    const ignores = strings(block.excludedFiles).map(eslintrcGlob);
    const scope = [...within, files];
    if (block.extends !== undefined)
      notes.push(`extends in overrides for ${files.join(', ')} not followed`);
    out.push({
      files: scope,
      ...(ignores.length > 0 ? { ignores } : {}),
      rules: eslintRules(block.rules),
    });
    overrideLayers(block.overrides, scope, out, notes);
  }
}

/**
 * Pure: an eslintrc (`.eslintrc.json`, `.yml`, `package.json#eslintConfig`) or xo config (its
 * `rules` and `overrides` have ESLint's shape) as blocks: its own rules, then each override.
 */
export function readEslintrc(config: unknown): ReadLayers {
  if (!isRecord(config)) return { layers: [], notes: ['not an object'], extends: [] };
  const notes: string[] = [];
  const layers: LintLayer[] = [{ rules: eslintRules(config.rules) }];
  overrideLayers(config.overrides, [], layers, notes);
  const presets = strings(config.extends);
  return { layers, notes, extends: presets };
}

const BIOME_OFF = 'off';

function biomeSetting(value: unknown): TheirSetting | undefined {
  const level = isRecord(value) ? value.level : value;
  if (typeof level !== 'string') return undefined;
  const options = isRecord(value) && isRecord(value.options) ? [value.options] : [];
  return { on: level !== BIOME_OFF, options };
}

/**
 * Biome's `linter.rules`: groups of rules by name. `recommended` and `all` choose which rules are
 * on by default; they turn no rule off in particular, so they are not read.
 */
function biomeRules(linter: unknown, notes: string[]): Record<string, TheirSetting> {
  const out: Record<string, TheirSetting> = {};
  const groups = isRecord(linter) && isRecord(linter.rules) ? linter.rules : {};
  for (const [group, rules] of Object.entries(groups)) {
    if (group === 'recommended' || group === 'all') continue;
    if (typeof rules === 'string') {
      notes.push(`group ${group} set to "${rules}" as a whole: not applied rule by rule`);
      continue;
    }
    if (!isRecord(rules)) continue;
    for (const [name, value] of Object.entries(rules)) {
      if (name === 'recommended' || name === 'all') continue;
      const setting = biomeSetting(value);
      if (setting) out[`${group}/${name}`] = setting;
    }
  }
  return out;
}

/** A Biome 2 `includes` glob is relative to the config; a Biome 1 `include` one matches anywhere. */
function biomeGlob(pattern: string, legacy: boolean): string {
  const bare = pattern.replace(/^\.\//, '');
  return legacy ? eslintrcGlob(bare) : bare;
}

/** Pure: a `biome.json(c)` as blocks: `linter.rules`, then each of `overrides`. */
export function readBiome(config: unknown): ReadLayers {
  if (!isRecord(config)) return { layers: [], notes: ['not an object'], extends: [] };
  const notes: string[] = [];
  const layers: LintLayer[] = [{ rules: biomeRules(config.linter, notes) }];
  for (const block of Array.isArray(config.overrides) ? config.overrides : []) {
    if (!isRecord(block)) continue;
    const legacy = block.includes === undefined;
    const patterns = strings(legacy ? block.include : block.includes);
    const files = patterns.filter((p) => !p.startsWith('!')).map((p) => biomeGlob(p, legacy));
    const ignores = [
      ...patterns.filter((p) => p.startsWith('!')).map((p) => biomeGlob(p.slice(1), legacy)),
      ...strings(block.ignore).map((p) => biomeGlob(p, true)),
    ];
    const rules = biomeRules(block.linter, notes);
    if (files.length === 0 || Object.keys(rules).length === 0) continue;
    layers.push({ files: [files], ...(ignores.length > 0 ? { ignores } : {}), rules });
  }
  return { layers, notes, extends: strings(config.extends) };
}

/** Pure: an `.oxlintrc.json` as blocks: `rules`, then each of `overrides` (`files` globs). */
export function readOxlint(config: unknown): ReadLayers {
  if (!isRecord(config)) return { layers: [], notes: ['not an object'], extends: [] };
  const notes: string[] = [];
  const layers: LintLayer[] = [{ rules: eslintRules(config.rules) }];
  for (const block of Array.isArray(config.overrides) ? config.overrides : []) {
    if (!isRecord(block)) continue;
    const files = strings(block.files).map(eslintrcGlob);
    if (files.length > 0) layers.push({ files: [files], rules: eslintRules(block.rules) });
  }
  if (isRecord(config.categories))
    notes.push('categories choose which rules are on by default: not read as turning rules off');
  return { layers, notes, extends: strings(config.extends) };
}
