import picomatch from 'picomatch';
import type { LintAdjustment, RuleSetting } from '../../core/index.js';
import { resolveRuleOptions } from '../rule-config.js';
import { allRules } from '../rules/index.js';
import {
  biomeAsEslint,
  eslintNameOfOxlint,
  rulesForBiome,
  rulesForEslint,
  thresholdOf,
} from './names.js';
import type { LintConfigLayer, LintLayer, LintSource, TheirSetting } from './types.js';

type Matcher = (file: string) => boolean;

const matchers = new Map<string, Matcher>();

function matcherOf(globs: readonly string[]): Matcher {
  const key = JSON.stringify(globs);
  let matcher = matchers.get(key);
  if (!matcher) {
    matcher = globs.length === 0 ? () => false : picomatch([...globs], { dot: true });
    matchers.set(key, matcher);
  }
  return matcher;
}

function applies(layer: LintLayer, file: string): boolean {
  if (layer.files && !layer.files.every((anyOf) => matcherOf(anyOf)(file))) return false;
  return !(layer.ignores && matcherOf(layer.ignores)(file));
}

/**
 * Pure: a source's rules for one file, later blocks over earlier ones. A block that only changes
 * a rule's severity keeps the options an earlier one gave it, as ESLint does.
 */
export function rulesForFile(
  source: LintSource,
  file: string,
): Readonly<Record<string, TheirSetting>> | undefined {
  if (source.perFile) return source.perFile.get(file);
  const out: Record<string, TheirSetting> = {};
  for (const layer of source.layers ?? []) {
    if (!applies(layer, file)) continue;
    for (const [name, setting] of Object.entries(layer.rules)) {
      const before = out[name];
      out[name] =
        setting.on && setting.options.length === 0 && before
          ? { on: true, options: before.options }
          : setting;
    }
  }
  return out;
}

/** One of their rules that maps to one of ours, as set for a file. */
interface Candidate {
  source: string;
  their: string;
  /** The ESLint rule it is (or stands for), for its threshold. */
  eslint: string;
  setting: TheirSetting;
}

function candidatesOf(
  source: LintSource,
  rules: Readonly<Record<string, TheirSetting>>,
): Map<string, Candidate[]> {
  const out = new Map<string, Candidate[]>();
  for (const [their, setting] of Object.entries(rules)) {
    let ids: string[];
    let eslint = their;
    let options = setting.options;
    if (source.linter === 'biome') {
      ids = rulesForBiome(their);
      const asEslint = biomeAsEslint(their, setting.options[0] as Record<string, unknown>);
      eslint = asEslint.eslint;
      options = asEslint.options;
    } else {
      eslint = source.linter === 'oxlint' ? eslintNameOfOxlint(their) : their;
      ids = rulesForEslint(eslint);
    }
    for (const id of ids) {
      const list = out.get(id) ?? [];
      list.push({ source: source.file, their, eslint, setting: { ...setting, options } });
      out.set(id, list);
    }
  }
  return out;
}

const defaults = new Map<string, number | undefined>();

function defaultThreshold(id: string): number | undefined {
  if (!defaults.has(id)) {
    const rule = allRules.find((r) => r.meta.id === id);
    const threshold = rule?.options ? resolveRuleOptions(rule).threshold : undefined;
    defaults.set(id, typeof threshold === 'number' ? threshold : undefined);
  }
  return defaults.get(id);
}

/** What their settings make of one of our rules: nothing, off, or another threshold. */
interface Decision {
  setting: RuleSetting;
  change: string;
  by: Candidate;
}

/**
 * Pure: our rule follows theirs only where their config says something of it. Off when every
 * equivalent rule that is set (in every config read) is off: `no-unused-vars` off beside
 * `@typescript-eslint/no-unused-vars` on leaves it on. Else the strictest threshold they set.
 */
function decide(id: string, candidates: readonly Candidate[]): Decision | undefined {
  const enabled = candidates.filter((c) => c.setting.on);
  if (enabled.length === 0) return { setting: 'off', change: 'off', by: candidates[0]! };
  const fallback = defaultThreshold(id);
  if (fallback === undefined) return undefined;
  let best: { threshold: number; by: Candidate } | undefined;
  for (const c of enabled) {
    const threshold = thresholdOf(c.eslint, c.setting.options);
    if (threshold !== undefined && (best === undefined || threshold < best.threshold))
      best = { threshold, by: c };
  }
  if (!best || best.threshold === fallback) return undefined;
  return {
    setting: { options: { threshold: best.threshold } },
    change: `threshold ${best.threshold} (default ${fallback})`,
    by: best.by,
  };
}

/** Every scanned file, or the files by exact path. */
const ALL = '**';

/** What the project's lint configuration makes of BEAST MODE's rules, file by file. */
export interface LintResolution {
  /** Rule settings in the shape of config overrides, to apply beneath the user's beast config. */
  layers: LintConfigLayer[];
  adjusted: LintAdjustment[];
}

/** Exact paths as globs: a file named `[id].ts` must not match `i.ts`. */
function escapeGlob(file: string): string {
  return file.replace(/[*?[\]{}()!+@\\]/g, (c) => `\\${c}`);
}

/**
 * Pure: each file's settings from every source, grouped into layers of files that share them, and
 * each adjustment with the files it applies to.
 */
export function resolveLintConfig(
  sources: readonly LintSource[],
  files: readonly string[],
): LintResolution {
  const groups = new Map<string, { rules: Record<string, RuleSetting>; files: string[] }>();
  const adjustments = new Map<string, LintAdjustment>();
  for (const file of files) {
    const candidates = new Map<string, Candidate[]>();
    for (const source of sources) {
      const rules = rulesForFile(source, file);
      if (!rules) continue;
      for (const [id, list] of candidatesOf(source, rules))
        candidates.set(id, [...(candidates.get(id) ?? []), ...list]);
    }
    const rules: Record<string, RuleSetting> = {};
    for (const [id, list] of [...candidates].sort(([a], [b]) => a.localeCompare(b))) {
      const decision = decide(id, list);
      if (!decision) continue;
      rules[id] = decision.setting;
      const { source, their } = decision.by;
      const key = JSON.stringify([id, their, source, decision.change]);
      const entry = adjustments.get(key) ?? {
        rule: id,
        their,
        source,
        change: decision.change,
        files: [],
      };
      entry.files.push(file);
      adjustments.set(key, entry);
    }
    if (Object.keys(rules).length === 0) continue;
    const key = JSON.stringify(rules);
    const group = groups.get(key) ?? { rules, files: [] };
    group.files.push(file);
    groups.set(key, group);
  }
  const whole = (list: string[]): string[] =>
    list.length === files.length ? [ALL] : list.map(escapeGlob);
  return {
    layers: [...groups.values()].map((g) => ({ files: whole(g.files), rules: g.rules })),
    adjusted: [...adjustments.values()]
      .map((a) => ({ ...a, files: a.files.length === files.length ? [ALL] : a.files }))
      .sort((a, b) => a.source.localeCompare(b.source) || a.rule.localeCompare(b.rule)),
  };
}
