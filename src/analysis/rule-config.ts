import {
  ConfigError,
  SEVERITIES,
  type RuleMeta,
  type RuleSetting,
  type Severity,
} from '../core/index.js';
import { allRules } from './rules/index.js';
import type { ActiveRule, FileRule, RepositoryRule, Rule } from './rules/types.js';

export interface ActiveRules {
  file: ActiveRule<FileRule>[];
  repository: ActiveRule<RepositoryRule>[];
  /** Metadata of every active rule, plus parse-error, for reports. */
  metas: RuleMeta[];
}

export interface RuleSelection {
  /** Rule ids to switch on (including opt-in rules). */
  enable?: readonly string[];
  /** Rule ids to switch off. */
  disable?: readonly string[];
}

/** Edit distance between two ids, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, substitution));
    }
    previous = row;
  }
  return previous[b.length]!;
}

function unknownRule(id: string, where: string): ConfigError {
  const ids = allRules.map((r) => r.meta.id).sort();
  const nearest = ids
    .map((known) => ({ known, d: distance(id, known) }))
    .sort((a, b) => a.d - b.d)[0];
  // Close enough to be a typo: a third of the id, at least one edit.
  if (nearest && nearest.d <= Math.max(1, Math.floor(id.length / 3)))
    return new ConfigError(
      `${where}: unknown rule "${id}"; did you mean "${nearest.known}"? (beast rules lists all ${ids.length})`,
    );
  return new ConfigError(`${where}: unknown rule "${id}"; known rules: ${ids.join(', ')}`);
}

/**
 * Pure: throws a ConfigError naming `where` (a flag, a config key) for the first id that is not
 * a rule, suggesting the nearest one when it looks like a typo.
 */
export function checkRuleIds(ids: readonly string[], where: string): void {
  const known = new Set(allRules.map((r) => r.meta.id));
  for (const id of ids) if (!known.has(id)) throw unknownRule(id, where);
}

/**
 * Rule options named `…Pattern` or `pattern` are regular expressions (the ESLint convention, as
 * in `unused-variable`'s `ignorePattern`); one that does not compile is the config's error, found
 * here before any file is read rather than by the rule inside a worker.
 */
function checkPatterns(id: string, options: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(options)) {
    if (!/(?:^p|P)attern$/.test(key)) continue;
    const where = `rules.${id}.options.${key}`;
    if (typeof value !== 'string')
      throw new ConfigError(`${where}: expected a regular expression as a string`);
    try {
      new RegExp(value);
    } catch (error) {
      throw new ConfigError(
        `${where}: invalid regular expression "${value}": ${(error as Error).message.replace(/^.*\/[a-z]*: /, '')}`,
        { cause: error },
      );
    }
  }
}

/** Pure: applies config settings then flag selection to the registry. */
export function resolveRules(
  settings: Readonly<Record<string, RuleSetting>>,
  selection: RuleSelection = {},
  parseErrorMeta?: RuleMeta,
): ActiveRules {
  const byId = new Map<string, Rule>(allRules.map((r) => [r.meta.id, r]));
  for (const id of Object.keys(settings)) if (!byId.has(id)) throw unknownRule(id, `rules.${id}`);
  checkRuleIds([...(selection.enable ?? []), ...(selection.disable ?? [])], 'rule selection');
  const enable = new Set(selection.enable ?? []);
  const disable = new Set(selection.disable ?? []);
  const out: ActiveRules = {
    file: [],
    repository: [],
    metas: parseErrorMeta ? [parseErrorMeta] : [],
  };
  for (const rule of allRules) {
    const id = rule.meta.id;
    const setting = settings[id];
    let enabled = !rule.meta.optIn;
    let severity: Severity = rule.meta.severity;
    let options: Record<string, unknown> = { ...rule.defaultOptions };
    if (setting === 'off') enabled = false;
    else if (setting === 'on') enabled = true;
    else if (typeof setting === 'string' && (SEVERITIES as readonly string[]).includes(setting)) {
      enabled = true;
      severity = setting as Severity;
    } else if (typeof setting === 'object') {
      enabled = setting.enabled ?? true;
      severity = setting.severity ?? severity;
      options = { ...options, ...setting.options };
      checkPatterns(id, options);
    }
    if (enable.has(id)) enabled = true;
    if (disable.has(id)) enabled = false;
    if (!enabled) continue;
    out.metas.push({ ...rule.meta, severity });
    if (rule.kind === 'file') out.file.push({ rule, severity, options });
    else out.repository.push({ rule, severity, options });
  }
  return out;
}
