import picomatch from 'picomatch';
import type { Config, ConfigOverride, RuleSetting } from './config.js';
import type { Severity } from './types.js';

/**
 * One layer of rule settings. Without `files` it applies to every file; with them, to the
 * repository-relative paths they match and `ignores` does not (as ESLint flat config's blocks).
 */
export interface RuleLayer {
  files?: readonly string[];
  ignores?: readonly string[];
  rules: Readonly<Record<string, RuleSetting | NormalRuleSetting>>;
  /** Where the layer was written, as error messages name it: `rules`, `overrides[2]`. */
  where: string;
}

/**
 * A rule setting in one form: whether it is on, and the severity and options it sets, if any;
 * `default` puts the rule's own severity back over one set beneath.
 */
export interface NormalRuleSetting {
  enabled: boolean;
  severity?: Severity | 'default';
  options?: Record<string, unknown>;
}

/**
 * Every layer of rule settings, lowest first: the base layers (e.g. from the project's lint
 * config), the config's top-level `rules`, then its `overrides` in order. The settings for a file
 * are these layers' settings, each applied over the ones beneath (`settingsForFile`).
 */
export function ruleLayers(
  config: Pick<Config, 'rules' | 'overrides' | 'baseLayers'>,
): RuleLayer[] {
  return [
    ...config.baseLayers.map((layer, i) => layerOf(layer, `baseLayers[${i}]`)),
    { rules: config.rules, where: 'rules' },
    ...config.overrides.map((layer, i) => layerOf(layer, `overrides[${i}]`)),
  ];
}

function layerOf(override: ConfigOverride, where: string): RuleLayer {
  return {
    files: override.files,
    ...(override.ignores ? { ignores: override.ignores } : {}),
    rules: override.rules,
    where,
  };
}

type Matcher = (file: string) => boolean;
const matchers = new Map<string, Matcher>();

/** A compiled matcher for a list of globs, kept: the same few lists are asked about every file. */
function matcherOf(globs: readonly string[]): Matcher {
  const key = globs.join('\0');
  let matcher = matchers.get(key);
  if (!matcher) {
    // `./test/**` means `test/**`, as in ESLint; dot files are files like any other.
    matcher = picomatch(
      globs.map((g) => g.replace(/^\.\//, '')),
      { dot: true },
    );
    matchers.set(key, matcher);
  }
  return matcher;
}

/** Pure: whether a layer applies to a repository-relative path (forward slashes). */
export function layerApplies(layer: Pick<RuleLayer, 'files' | 'ignores'>, file: string): boolean {
  if (layer.files === undefined) return true;
  if (!matcherOf(layer.files)(file)) return false;
  return layer.ignores === undefined || !matcherOf(layer.ignores)(file);
}

/**
 * Pure: a setting as written, in one form. ESLint's levels: "off"/0 switches the rule off;
 * "error"/2 switches it on at its own severity, since an ESLint user's "error" means "this rule
 * applies", not "this is critical"; "warn"/1 switches it on at severity minor, reported but below
 * the usual gate thresholds, as ESLint's warnings do not fail a run. An object without `enabled`
 * switches the rule on.
 */
export function normaliseRuleSetting(setting: RuleSetting | NormalRuleSetting): NormalRuleSetting {
  if (Array.isArray(setting)) {
    const [level, options] = setting;
    return { ...normaliseRuleSetting(level), ...(options !== undefined ? { options } : {}) };
  }
  if (typeof setting === 'object') {
    return {
      enabled: setting.enabled ?? true,
      ...(setting.severity !== undefined ? { severity: setting.severity } : {}),
      ...(setting.options !== undefined ? { options: setting.options } : {}),
    };
  }
  switch (setting) {
    case 'off':
    case 0:
      return { enabled: false };
    case 'on':
      return { enabled: true };
    case 'error':
    case 2:
      return { enabled: true, severity: 'default' };
    case 'warn':
    case 1:
      return { enabled: true, severity: 'minor' };
    default:
      return { enabled: true, severity: setting };
  }
}

/**
 * Pure: the settings of `layers` applied in order. A later layer decides whether a rule is on, and
 * keeps the severity and options beneath unless it sets them (as ESLint keeps a rule's options when
 * a later block changes only its severity).
 */
export function mergeRuleLayers(
  layers: readonly Pick<RuleLayer, 'rules'>[],
): Record<string, NormalRuleSetting>;
/**
 * As above, but a rule only one layer sets keeps the setting as written (`rules` of a config file
 * stay as the user wrote them unless an `extends` chain sets one rule twice).
 */
export function mergeRuleLayers(
  layers: readonly Pick<RuleLayer, 'rules'>[],
  asWritten: Readonly<Record<string, RuleSetting | NormalRuleSetting>>,
): Record<string, RuleSetting | NormalRuleSetting>;
export function mergeRuleLayers(
  layers: readonly Pick<RuleLayer, 'rules'>[],
  asWritten?: Readonly<Record<string, RuleSetting | NormalRuleSetting>>,
): Record<string, RuleSetting | NormalRuleSetting> {
  const merged: Record<string, RuleSetting | NormalRuleSetting> = {};
  const count = new Map<string, number>();
  for (const layer of layers)
    for (const [id, setting] of Object.entries(layer.rules)) {
      const times = (count.get(id) ?? 0) + 1;
      count.set(id, times);
      const beneath = merged[id];
      merged[id] =
        asWritten && times === 1
          ? setting
          : {
              ...(beneath === undefined ? {} : normaliseRuleSetting(beneath)),
              ...normaliseRuleSetting(setting),
            };
    }
  return merged;
}

/**
 * Pure: the indexes in `layers` of those that apply to `file`. Files with the same indexes have the
 * same settings, which is how a scan resolves rules once per combination rather than per file.
 */
export function matchingLayers(layers: readonly RuleLayer[], file: string): number[] {
  const out: number[] = [];
  layers.forEach((layer, i) => {
    if (layerApplies(layer, file)) out.push(i);
  });
  return out;
}

/**
 * Pure: the rule settings in effect for one repository-relative path: every layer of `ruleLayers`
 * that applies to it, lowest first.
 */
export function settingsForFile(
  config: Pick<Config, 'rules' | 'overrides' | 'baseLayers'>,
  file: string,
): Record<string, NormalRuleSetting> {
  return mergeRuleLayers(ruleLayers(config).filter((layer) => layerApplies(layer, file)));
}
