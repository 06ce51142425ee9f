import {
  TOOL_VERSION,
  matchingLayers,
  mergeRuleLayers,
  ruleLayers,
  type Config,
  type Finding,
  type RuleLayer,
  type RuleMeta,
} from '../core/index.js';
import { ANALYZER_VERSION, type RuleSettings } from './analyze-file.js';
import {
  checkRuleLayers,
  resolveRules,
  type ActiveRules,
  type RuleSelection,
} from './rule-config.js';
import type { ActiveRule, RepositoryRule } from './rules/types.js';
import { sha256 } from './sources.js';

/** The rules in effect for every file that the same layers apply to. */
export interface RuleProfile {
  active: ActiveRules;
  /** What a worker needs to run the file rules. */
  settings: RuleSettings;
  /** Cache key of a file analysed under these settings. */
  key: string;
}

/**
 * The rules of a scan, file by file: the config's layers (top-level `rules`, then `overrides`)
 * resolved once per distinct combination of layers that apply to a file.
 */
export interface RuleProfiles {
  /** The profile of files no `files`-scoped layer applies to. */
  readonly base: RuleProfile;
  forFile(file: string): RuleProfile;
  /**
   * The repository rules to run over `files`: each rule active for at least one of them, with the
   * base profile's options when it is active there, else with the first profile's that has it.
   */
  repositoryRules(files: readonly string[]): ActiveRule<RepositoryRule>[];
  /**
   * A repository rule's finding under its file's settings: its severity there, or undefined when
   * the rule is off for that file (a clone reported against a test file the rule is off for).
   */
  settle(finding: Finding): Finding | undefined;
  /** Metadata of every rule active for some file so far: the base profile's, then the others'. */
  metas(): RuleMeta[];
  /** What, besides each file's path, decides its profile: part of the repository cache key. */
  readonly fingerprint: unknown;
}

/**
 * Pure (but for caching): the scan's rules. Every layer is checked first, so that a mistake is
 * reported at the key it was written under even when no file matches it.
 */
export function createRuleProfiles(
  config: Pick<Config, 'rules' | 'overrides' | 'baseLayers' | 'duplicationMinTokens'>,
  selection: RuleSelection = {},
  parseErrorMeta?: RuleMeta,
): RuleProfiles {
  const layers = ruleLayers(config);
  checkRuleLayers(layers);
  const byCombination = new Map<string, RuleProfile>();
  const profileOf = (indexes: readonly number[]): RuleProfile => {
    const combination = indexes.join(',');
    let profile = byCombination.get(combination);
    if (!profile) {
      const chosen = indexes.map((i) => layers[i]!);
      profile = createProfile(chosen, selection, config.duplicationMinTokens, parseErrorMeta);
      byCombination.set(combination, profile);
    }
    return profile;
  };
  const unconditional = layers.flatMap((layer, i) => (layer.files === undefined ? [i] : []));
  const base = profileOf(unconditional);
  const scoped = layers.some((layer) => layer.files !== undefined);
  const forFile = (file: string): RuleProfile =>
    scoped ? profileOf(matchingLayers(layers, file)) : base;
  return {
    base,
    forFile,
    repositoryRules: (files) => {
      const rules = new Map(base.active.repository.map((a) => [a.rule.meta.id, a]));
      for (const file of files)
        for (const a of forFile(file).active.repository)
          if (!rules.has(a.rule.meta.id)) rules.set(a.rule.meta.id, a);
      return [...rules.values()];
    },
    settle: (finding) => {
      if (!scoped) return finding;
      const active = forFile(finding.file).active.repository.find(
        (a) => a.rule.meta.id === finding.ruleId,
      );
      if (!active) return undefined;
      return active.severity === finding.severity
        ? finding
        : { ...finding, severity: active.severity };
    },
    metas: () => {
      const metas = new Map(base.active.metas.map((m) => [m.id, m]));
      for (const profile of byCombination.values())
        for (const meta of profile.active.metas) if (!metas.has(meta.id)) metas.set(meta.id, meta);
      return [...metas.values()];
    },
    fingerprint: scoped ? { layers, selection } : undefined,
  };
}

function createProfile(
  layers: readonly RuleLayer[],
  selection: RuleSelection,
  minTokens: number,
  parseErrorMeta: RuleMeta | undefined,
): RuleProfile {
  const active = resolveRules(mergeRuleLayers(layers), selection, parseErrorMeta);
  const settings: RuleSettings = {
    rules: active.file.map((a) => ({
      id: a.rule.meta.id,
      severity: a.severity,
      options: { ...a.options },
    })),
    minTokens,
  };
  const key = sha256(JSON.stringify({ v: ANALYZER_VERSION, tool: TOOL_VERSION, settings }));
  return { active, settings, key };
}
