import {
  ConfigError,
  normaliseRuleSetting,
  settingsForFile,
  type Config,
  type NormalRuleSetting,
  type RuleLayer,
  type RuleMeta,
  type RuleSchema,
  type RuleSetting,
  type Severity,
} from '../core/index.js';
import { z } from 'zod';
import { allRules } from './rules/index.js';
import type {
  ActiveRule,
  FileRule,
  RepositoryRule,
  Rule,
  RuleOptions,
  RuleOptionsSchema,
} from './rules/types.js';

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

const NO_OPTIONS: RuleOptionsSchema = z.strictObject({});

/** The names of a rule's options, for error messages and documentation. */
function optionNames(rule: Rule): string[] {
  return Object.keys(rule.options?.shape ?? {});
}

function unknownOptions(rule: Rule, keys: readonly string[], where: string): string {
  const names = optionNames(rule);
  const known = names.length > 0 ? `options: ${names.join(', ')}` : 'it takes no options';
  const quoted = keys.map((k) => `"${k}"`).join(', ');
  return `${where}: unknown option${keys.length > 1 ? 's' : ''} ${quoted}; ${known}`;
}

/** What an option should have been, in words. */
function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'a whole number' : issue.expected;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `at least ${String(issue.minimum)}`;
    case 'too_big':
      return `at most ${String(issue.maximum)}`;
    default:
      return '';
  }
}

/** One line saying what is wrong with a rule's options, naming the rule and the option. */
function optionProblem(
  rule: Rule,
  issue: z.core.$ZodIssue,
  options: Readonly<Record<string, unknown>>,
  prefix: string,
): string {
  if (issue.code === 'unrecognized_keys') return unknownOptions(rule, issue.keys, prefix);
  const where = `${prefix}.options.${issue.path.join('.')}`;
  const expected = expectation(issue);
  if (!expected) return `${where}: ${issue.message}`;
  let value: unknown = options;
  for (const key of issue.path) value = (value as Record<PropertyKey, unknown>)?.[key];
  return `${where}: expected ${expected}, got ${JSON.stringify(value) ?? String(value)}`;
}

/**
 * Pure: a rule's options from config (absent for none), validated by the rule's own schema, with
 * every default filled in. Throws a one-line ConfigError naming the rule and the option, under
 * `where` (the config key of the rule's setting, `rules.<id>` by default).
 */
export function resolveRuleOptions(
  rule: Rule,
  options: Readonly<Record<string, unknown>> = {},
  where = `rules.${rule.meta.id}`,
): RuleOptions {
  const parsed = (rule.options ?? NO_OPTIONS).safeParse(options);
  if (parsed.success) return parsed.data;
  throw new ConfigError(optionProblem(rule, parsed.error.issues[0]!, options, where));
}

/**
 * Pure: checks every layer's settings on their own, so that a mistake is reported at the key it
 * was written under (`overrides[1].rules.max-params.options.threshold`): unknown rules, with a
 * "did you mean", and options the rule does not take.
 */
export function checkRuleLayers(layers: readonly RuleLayer[]): void {
  const byId = new Map(allRules.map((r) => [r.meta.id, r]));
  for (const layer of layers) {
    const prefix = layer.where === 'rules' ? 'rules' : `${layer.where}.rules`;
    for (const [id, setting] of Object.entries(layer.rules)) {
      const rule = byId.get(id);
      if (!rule) throw unknownRule(id, `${prefix}.${id}`);
      resolveRuleOptions(rule, normaliseRuleSetting(setting).options, `${prefix}.${id}`);
    }
  }
}

/** Every rule's description and options schema by id, for the editor JSON schema. */
export function ruleSchemas(): Record<string, RuleSchema> {
  return Object.fromEntries(
    allRules.map((rule) => [
      rule.meta.id,
      { description: rule.meta.description, options: rule.options ?? NO_OPTIONS },
    ]),
  );
}

/**
 * A rule's state under its config setting. Its options are checked even when it is switched off,
 * so a mistake does not wait for the day the rule is switched on.
 */
function applySetting(
  rule: Rule,
  setting: RuleSetting | NormalRuleSetting | undefined,
): { enabled: boolean; severity: Severity; options: RuleOptions } {
  if (setting === undefined)
    return {
      enabled: !rule.meta.optIn,
      severity: rule.meta.severity,
      options: resolveRuleOptions(rule),
    };
  const normal = normaliseRuleSetting(setting);
  return {
    enabled: normal.enabled,
    severity:
      normal.severity === undefined || normal.severity === 'default'
        ? rule.meta.severity
        : normal.severity,
    options: resolveRuleOptions(rule, normal.options),
  };
}

/** Flags win over config: `--disable` over everything, then `--enable`. */
function isSelected(id: string, enabled: boolean, selection: Required<RuleSelection>): boolean {
  if (selection.disable.includes(id)) return false;
  return enabled || selection.enable.includes(id);
}

/** Pure: applies config settings then flag selection to the registry. */
export function resolveRules(
  settings: Readonly<Record<string, RuleSetting | NormalRuleSetting>>,
  selection: RuleSelection = {},
  parseErrorMeta?: RuleMeta,
): ActiveRules {
  for (const id of Object.keys(settings)) checkRuleIds([id], `rules.${id}`);
  const { enable = [], disable = [] } = selection;
  checkRuleIds([...enable, ...disable], 'rule selection');
  const out: ActiveRules = { file: [], repository: [], metas: [] };
  if (parseErrorMeta) out.metas.push(parseErrorMeta);
  for (const rule of allRules) {
    const id = rule.meta.id;
    const { enabled, severity, options } = applySetting(rule, settings[id]);
    if (!isSelected(id, enabled, { enable, disable })) continue;
    out.metas.push({ ...rule.meta, severity });
    if (rule.kind === 'file') out.file.push({ rule, severity, options });
    else out.repository.push({ rule, severity, options });
  }
  return out;
}

/**
 * The options of every active rule, by rule id, as a scan with these settings applies them: what
 * a rule's fix must be computed with, so that it fixes the finding the scan reported.
 */
export function activeRuleOptions(
  settings: Readonly<Record<string, RuleSetting | NormalRuleSetting>>,
): Record<string, Readonly<Record<string, unknown>>> {
  const active = resolveRules(settings);
  return Object.fromEntries(
    [...active.file, ...active.repository].map((a) => [a.rule.meta.id, a.options]),
  );
}

/** Rule options by rule id, for one repository-relative file. */
export type RuleOptionsOf = (file: string) => Record<string, Readonly<Record<string, unknown>>>;

/**
 * The options each file's rules run with under this config, its `overrides` included: what a fix
 * for a finding in that file must be computed with. Resolved once per distinct set of settings.
 */
export function ruleOptionsByFile(
  config: Pick<Config, 'rules' | 'overrides' | 'baseLayers'>,
): RuleOptionsOf {
  const resolved = new Map<string, Record<string, Readonly<Record<string, unknown>>>>();
  return (file) => {
    const settings = settingsForFile(config, file);
    const key = JSON.stringify(settings);
    let options = resolved.get(key);
    if (!options) {
      options = activeRuleOptions(settings);
      resolved.set(key, options);
    }
    return options;
  };
}
