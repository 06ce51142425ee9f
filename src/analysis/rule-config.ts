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

function unknownRule(id: string, where: string): ConfigError {
  const ids = allRules.map((r) => r.meta.id).sort();
  return new ConfigError(`${where}: unknown rule "${id}"; known rules: ${ids.join(', ')}`);
}

/** Pure: applies config settings then flag selection to the registry. */
export function resolveRules(
  settings: Readonly<Record<string, RuleSetting>>,
  selection: RuleSelection = {},
  parseErrorMeta?: RuleMeta,
): ActiveRules {
  const byId = new Map<string, Rule>(allRules.map((r) => [r.meta.id, r]));
  for (const id of Object.keys(settings)) if (!byId.has(id)) throw unknownRule(id, `rules.${id}`);
  for (const id of [...(selection.enable ?? []), ...(selection.disable ?? [])]) {
    if (!byId.has(id)) throw unknownRule(id, 'rule selection');
  }
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
