import { allRules } from '../rules/index.js';

/**
 * Which other linters' rules flag what a BEAST MODE rule flags, and how their thresholds read as
 * its options: the one table the lint-config readers consult. A rule's main ESLint name is its
 * `meta.eslint`; this adds the other ESLint names (typescript-eslint's extension rules, plugins'
 * copies) and Biome's names. oxlint uses ESLint's names (`eslint/`, `typescript/` prefixes are
 * read as ESLint's own and typescript-eslint's), so it needs none of its own.
 */
interface RuleNames {
  /** ESLint names besides `meta.eslint` that turn the same check on or off. */
  eslint?: readonly string[];
  /** Biome rule names without their group (`noDebugger`, not `suspicious/noDebugger`). */
  biome?: readonly string[];
}

const NAMES: Readonly<Record<string, RuleNames>> = {
  'ban-ts-comment': {},
  'circular-import': { eslint: ['import-x/no-cycle'], biome: ['noImportCycles'] },
  'cognitive-complexity': { biome: ['noExcessiveCognitiveComplexity'] },
  'cyclomatic-complexity': {},
  'duplicate-import': {
    eslint: [
      '@typescript-eslint/no-duplicate-imports',
      'import/no-duplicates',
      'import-x/no-duplicates',
    ],
  },
  'empty-block': { biome: ['noEmptyBlockStatements'] },
  'empty-catch': { biome: ['noEmptyBlockStatements'] },
  'empty-function': {
    eslint: ['@typescript-eslint/no-empty-function'],
    biome: ['noEmptyBlockStatements'],
  },
  eqeqeq: { biome: ['noDoubleEquals'] },
  'for-direction': { biome: ['useValidForDirection'] },
  'max-file-lines': {},
  'max-function-lines': { biome: ['noExcessiveLinesPerFunction'] },
  'max-nested-callbacks': {},
  'max-nesting-depth': {},
  'max-params': { eslint: ['@typescript-eslint/max-params'], biome: ['useMaxParams'] },
  'no-async-promise-executor': { biome: ['noAsyncPromiseExecutor'] },
  'no-compare-neg-zero': { biome: ['noCompareNegZero'] },
  'no-cond-assign': { biome: ['noAssignInExpressions'] },
  'no-console': { biome: ['noConsole', 'noConsoleLog'] },
  'no-constant-condition': { biome: ['noConstantCondition'] },
  'no-debugger': { biome: ['noDebugger'] },
  'no-dupe-class-members': {
    eslint: ['@typescript-eslint/no-dupe-class-members'],
    biome: ['noDuplicateClassMembers'],
  },
  'no-dupe-else-if': { biome: ['noDuplicateElseIf'] },
  'no-dupe-keys': { biome: ['noDuplicateObjectKeys'] },
  'no-duplicate-case': { biome: ['noDuplicateCase'] },
  'no-explicit-any': { biome: ['noExplicitAny'] },
  'no-extra-boolean-cast': { biome: ['noExtraBooleanCast'] },
  'no-fallthrough': { biome: ['noFallthroughSwitchClause'] },
  'no-lonely-if': { biome: ['useCollapsedElseIf'] },
  'no-magic-numbers': {
    eslint: ['@typescript-eslint/no-magic-numbers'],
    biome: ['noMagicNumbers'],
  },
  'no-nested-ternary': { biome: ['noNestedTernary'] },
  'no-non-null-asserted-optional-chain': { biome: ['noNonNullAssertedOptionalChain'] },
  'no-non-null-assertion': { biome: ['noNonNullAssertion'] },
  'no-self-assign': { biome: ['noSelfAssign'] },
  'no-self-compare': { biome: ['noSelfCompare'] },
  'no-sparse-arrays': { biome: ['noSparseArray'] },
  'no-throw-literal': {
    eslint: ['@typescript-eslint/only-throw-error', '@typescript-eslint/no-throw-literal'],
    biome: ['useThrowOnlyError'],
  },
  'no-unsafe-finally': { biome: ['noUnsafeFinally'] },
  // typescript-eslint's ban-types was split into these two (and no-empty-object-type).
  'no-unsafe-function-type': { eslint: ['@typescript-eslint/ban-types'], biome: ['noBannedTypes'] },
  'no-unsafe-negation': { biome: ['noUnsafeNegation'] },
  'no-unsafe-optional-chaining': { biome: ['noUnsafeOptionalChaining'] },
  'no-useless-catch': { biome: ['noUselessCatch'] },
  'no-useless-else-after-return': { biome: ['noUselessElse'] },
  'no-var': { biome: ['noVar'] },
  'no-wrapper-object-types': { eslint: ['@typescript-eslint/ban-types'], biome: ['noBannedTypes'] },
  'object-shorthand': {},
  'prefer-const': { biome: ['useConst'] },
  'prefer-optional-chain': { biome: ['useOptionalChain'] },
  'prefer-promise-reject-errors': { eslint: ['@typescript-eslint/prefer-promise-reject-errors'] },
  'prefer-template': { biome: ['useTemplate'] },
  'todo-comment': {},
  'unreachable-code': { biome: ['noUnreachable'] },
  'unused-import': {
    eslint: ['@typescript-eslint/no-unused-vars', 'unused-imports/no-unused-imports'],
    biome: ['noUnusedImports'],
  },
  'unused-private-class-member': {
    eslint: ['@typescript-eslint/no-unused-private-class-members'],
    biome: ['noUnusedPrivateClassMembers'],
  },
  'unused-variable': {
    eslint: ['@typescript-eslint/no-unused-vars', 'unused-imports/no-unused-vars'],
    biome: ['noUnusedVariables'],
  },
  'use-isnan': { biome: ['useIsNan'] },
  'valid-typeof': { biome: ['useValidTypeof'] },
};

/** Options of a rule as ESLint writes them: what follows the severity in `[severity, ...options]`. */
export type EslintOptions = readonly unknown[];

/** Reads a threshold out of a rule's ESLint options; undefined when they do not set one. */
type ThresholdReader = (options: EslintOptions) => number | undefined;

function whole(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** `[n]` or `[{ max: n }]` (and the older `maximum`), as ESLint's size rules take them. */
const maxOption: ThresholdReader = ([first]) => {
  if (typeof first === 'number') return whole(first);
  if (typeof first !== 'object' || first === null) return undefined;
  const { max, maximum } = first as { max?: unknown; maximum?: unknown };
  return whole(max) ?? whole(maximum);
};

/** A threshold option and what ESLint (or the plugin) uses when the rule is on without one. */
interface Threshold {
  read: ThresholdReader;
  fallback: number;
}

/** Threshold options by ESLint rule name; the BEAST MODE rule's option is always `threshold`. */
const THRESHOLDS: Readonly<Record<string, Threshold>> = {
  complexity: { read: maxOption, fallback: 20 },
  'max-params': { read: maxOption, fallback: 3 },
  '@typescript-eslint/max-params': { read: maxOption, fallback: 3 },
  'max-depth': { read: maxOption, fallback: 4 },
  'max-lines': { read: maxOption, fallback: 300 },
  'max-lines-per-function': { read: maxOption, fallback: 50 },
  'max-nested-callbacks': { read: maxOption, fallback: 10 },
  'sonarjs/cognitive-complexity': { read: ([first]) => whole(first), fallback: 15 },
};

/** Biome options as the equivalent ESLint options, by Biome name. */
const BIOME_OPTIONS: Readonly<Record<string, (options: Record<string, unknown>) => EslintOptions>> =
  {
    noExcessiveCognitiveComplexity: (o) => [o.maxAllowedComplexity ?? 15],
    useMaxParams: (o) => [{ max: o.max ?? 4 }],
    noExcessiveLinesPerFunction: (o) => [{ max: o.maxLines ?? 50 }],
  };

/** The ESLint name each Biome rule stands for here, for the thresholds (Biome's docs name them). */
const BIOME_AS_ESLINT: Readonly<Record<string, string>> = {
  noExcessiveCognitiveComplexity: 'sonarjs/cognitive-complexity',
  useMaxParams: 'max-params',
  noExcessiveLinesPerFunction: 'max-lines-per-function',
};

/** What one other linter's rule name stands for. */
export interface NameTarget {
  /** BEAST MODE rule ids it turns on or off. */
  rules: string[];
  /** The ESLint name whose options it takes (itself for ESLint and oxlint). */
  eslint: string;
}

function buildIndex(): { eslint: Map<string, string[]>; biome: Map<string, string[]> } {
  const eslint = new Map<string, string[]>();
  const biome = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, name: string, id: string): void => {
    const ids = map.get(name) ?? [];
    if (!ids.includes(id)) ids.push(id);
    map.set(name, ids);
  };
  for (const rule of allRules) {
    const { id, eslint: main } = rule.meta;
    const extra = NAMES[id];
    for (const name of [...(main ? [main] : []), ...(extra?.eslint ?? [])]) add(eslint, name, id);
    for (const name of extra?.biome ?? []) add(biome, name, id);
  }
  return { eslint, biome };
}

let index: ReturnType<typeof buildIndex> | undefined;

function names(): ReturnType<typeof buildIndex> {
  index ??= buildIndex();
  return index;
}

/** Pure: the BEAST MODE rules an ESLint rule name stands for (none for most ESLint rules). */
export function rulesForEslint(name: string): string[] {
  return names().eslint.get(name) ?? [];
}

/**
 * Pure: an oxlint rule name as ESLint spells it. oxlint accepts `no-debugger`,
 * `eslint/no-debugger`, `typescript/no-explicit-any` and `@typescript-eslint/no-explicit-any`.
 */
export function eslintNameOfOxlint(name: string): string {
  if (name.startsWith('eslint/')) return name.slice('eslint/'.length);
  if (name.startsWith('typescript/'))
    return `@typescript-eslint/${name.slice('typescript/'.length)}`;
  return name;
}

/** Pure: the BEAST MODE rules a Biome rule stands for, by its name with or without its group. */
export function rulesForBiome(name: string): string[] {
  return names().biome.get(name.slice(name.lastIndexOf('/') + 1)) ?? [];
}

/** Pure: a Biome rule's options as the equivalent ESLint rule's, and that rule's name. */
export function biomeAsEslint(
  name: string,
  options: Record<string, unknown> | undefined,
): { eslint: string; options: EslintOptions } {
  const bare = name.slice(name.lastIndexOf('/') + 1);
  const eslint = BIOME_AS_ESLINT[bare] ?? bare;
  const convert = BIOME_OPTIONS[bare];
  return { eslint, options: convert && options ? convert(options) : [] };
}

/**
 * Pure: the threshold an enabled rule gives the BEAST MODE rule it maps to: its own option, else
 * what ESLint uses when the rule is on without one. Undefined for rules without a threshold.
 */
export function thresholdOf(eslintName: string, options: EslintOptions): number | undefined {
  const threshold = THRESHOLDS[eslintName];
  if (!threshold) return undefined;
  return threshold.read(options) ?? threshold.fallback;
}

/** Every name another linter uses for a rule: for `beast rules --docs`. */
export function otherNames(ruleId: string): { eslint: string[]; biome: string[] } {
  const rule = allRules.find((r) => r.meta.id === ruleId);
  const extra = NAMES[ruleId];
  return {
    eslint: [...(rule?.meta.eslint ? [rule.meta.eslint] : []), ...(extra?.eslint ?? [])],
    biome: [...(extra?.biome ?? [])],
  };
}

/** The ids the table names, for its test. */
export const NAMED_RULES: readonly string[] = Object.keys(NAMES);

/** Every ESLint rule name that maps to a BEAST MODE rule: what the ESLint script reports. */
export function mappedEslintNames(): string[] {
  return [...names().eslint.keys()].sort();
}
