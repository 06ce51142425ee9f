import { z } from 'zod';
import { PRESETS, type Fixability, type RuleMeta } from '../core/index.js';
import { otherNames } from './lint-config/names.js';
import { allRules } from './rules/index.js';
import type { Rule } from './rules/types.js';
import { eslintNamesOf } from './suppressions.js';

/** What each fixability label promises; `beast rules --docs` prints it. */
export const FIXABILITY_MEANINGS: Readonly<Record<Fixability, string>> = {
  'safe-fix':
    'The rule has its own fix, which `builtin:codemods` applies: it changes only what the rule flagged, keeps comments, and is offered only where behaviour cannot change, so some findings may have none. `beast improve` keeps it when the gate passes.',
  suggestion:
    "The rule has no fix of its own, but a built-in engine (`builtin:ts-fixes`: TypeScript's code fixes and refactorings) proposes one; it may change more than the flagged code, and `beast improve` keeps it only when the gate passes.",
  none: 'No built-in engine fixes it: only an LLM model, when one is configured, proposes a change, which the gate checks like any other.',
};

/** How comments suppress findings; `beast rules --docs` prints it before the rules. */
const SUPPRESSION_DOCS = [
  "Comments suppress findings as ESLint's directives do: `// beast-disable-next-line rule-id, other-id -- reason` (the next line), `// beast-disable-line rule-id` (its own line), and `/* beast-disable rule-id */` … `/* beast-enable rule-id */` (a range; a `beast-disable` before any code that is never closed covers the whole file). Without rule ids they cover every rule.",
  '`eslint-disable` comments of the same forms suppress a rule when they name its ESLint equivalent (listed under each rule, exactly as written there, plugin prefix included, or the typescript-eslint version of it, such as `@typescript-eslint/no-unused-vars` for `no-unused-vars`), and every rule when they name none, as in ESLint. A comment containing `NOSONAR` suppresses every finding on its line.',
  'Suppressed findings leave the findings, the score and the gate, and are listed in the JSON report (`suppressed`) and in SARIF (`suppressions`). A `beast-disable` comment that suppresses nothing or names an unknown rule is reported by `unused-suppression`; `eslint-disable` comments are not, since they may be there for ESLint itself.',
];

/** One option of a rule, as documentation shows it. */
export interface RuleOptionDoc {
  name: string;
  /** `integer ≥ 0`, `"none" | "after-used"`, `number[]`… */
  type: string;
  default: unknown;
  description: string;
}

/** A rule's metadata and its options, as `beast rules --json` prints them. */
export interface RuleDoc extends RuleMeta {
  kind: Rule['kind'];
  options: RuleOptionDoc[];
}

interface JsonSchema {
  type?: string;
  enum?: unknown[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  description?: string;
  properties?: Record<string, JsonSchema>;
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.type === 'array') return `${typeOf(schema.items ?? {})}[]`;
  const bounds = [
    schema.minimum !== undefined ? `≥ ${schema.minimum}` : '',
    schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER
      ? `≤ ${schema.maximum}`
      : '',
  ].filter(Boolean);
  return [schema.type ?? 'any', ...bounds].join(' ');
}

/** Pure: the options a rule declares, read from its schema. */
export function ruleOptionDocs(rule: Rule): RuleOptionDoc[] {
  if (!rule.options) return [];
  const schema = z.toJSONSchema(rule.options, { io: 'input' }) as JsonSchema;
  return Object.entries(schema.properties ?? {}).map(([name, option]) => ({
    name,
    type: typeOf(option),
    default: option.default,
    description: option.description ?? '',
  }));
}

/** Pure: every rule's metadata and options. */
export function ruleDocs(rules: readonly Rule[] = allRules): RuleDoc[] {
  return rules.map((rule) => ({ ...rule.meta, kind: rule.kind, options: ruleOptionDocs(rule) }));
}

function optionsTable(options: readonly RuleOptionDoc[]): string[] {
  if (options.length === 0) return ['No options.'];
  return [
    '| Option | Type | Default | Description |',
    '| --- | --- | --- | --- |',
    ...options.map(
      (o) =>
        `| \`${o.name}\` | ${o.type.replace(/\|/g, '\\|')} | \`${JSON.stringify(o.default)}\` | ${o.description} |`,
    ),
  ];
}

/** What `extends` can name, from the presets' own definitions. */
function presetDocs(): string[] {
  return Object.entries(PRESETS).flatMap(([name, preset]) =>
    Object.keys(preset).length === 0
      ? [`- \`${name}\`: the defaults, named.`, '']
      : [`- \`${name}\`:`, '', '```json', JSON.stringify(preset, null, 2), '```', ''],
  );
}

/** The comments that suppress a rule's findings, as `beast rules --docs` documents them. */
function suppressedBy(doc: RuleDoc): string {
  const { id } = doc;
  // Its findings are made after every comment has been applied.
  if (id === 'unused-suppression') return 'no comment; turn the rule off instead';
  const [eslint, ...versions] = eslintNamesOf(doc);
  const ours = `\`// beast-disable-next-line ${id}\` (and \`-line\`, \`/* beast-disable ${id} */\`)`;
  const also = versions.map((name) => ` or \`${name}\``).join('');
  const theirs = eslint
    ? `, \`// eslint-disable-next-line ${eslint}\`${also} (and \`-line\`, \`/* eslint-disable ${eslint} */\`)`
    : '';
  return `${ours}${theirs}, NOSONAR`;
}

/** The other linters' names a rule follows under `respectLintConfig`, beyond `meta.eslint`. */
function lintConfigNames(id: string): string[] {
  const { eslint, biome } = otherNames(id);
  const code = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');
  const parts = [
    ...(eslint.length > 1 ? [`ESLint ${code(eslint.slice(1))}`] : []),
    ...(biome.length > 0 ? [`Biome ${code(biome)}`] : []),
  ];
  return parts.length > 0 ? [`- Also follows (respectLintConfig): ${parts.join('; ')}`] : [];
}

function ruleSection(doc: RuleDoc): string[] {
  const facts = [
    `- Category: ${doc.category}; severity: ${doc.severity}; about ${doc.effortMinutes} min to fix by hand`,
    `- Fixability: \`${doc.fixability}\``,
    `- ${doc.optIn ? 'Off by default (opt-in)' : 'On by default'}`,
    `- ESLint equivalent: ${doc.eslint ? `\`${doc.eslint}\`` : 'none'}`,
    `- Suppressed by: ${suppressedBy(doc)}`,
    ...lintConfigNames(doc.id),
  ];
  if (doc.kind === 'repository') facts.push('- Looks at the whole repository at once');
  return [
    `## ${doc.id}`,
    '',
    doc.description,
    '',
    doc.docs,
    '',
    ...facts,
    '',
    ...optionsTable(doc.options),
    '',
  ];
}

/** Pure: Markdown documentation of every rule, with its options, defaults and fixability. */
export function rulesMarkdown(rules: readonly Rule[] = allRules): string {
  const docs = ruleDocs(rules);
  return [
    '# BEAST MODE rules',
    '',
    'Set a rule in the config (`beast.config.json`, `beast.config.jsonc` or `package.json#beast`) as `"off"`, `"on"`, a severity, ESLint\'s levels (`"off"`, `"warn"`, `"error"`, `0`-`2`, `["error", { options }]`), or `{ "severity", "enabled", "options" }`, under `rules` or under an `overrides` entry for the files its globs match; an unknown or ill-typed option is an error.',
    '',
    '## Presets',
    '',
    ...presetDocs(),
    '## Suppressing findings',
    '',
    ...SUPPRESSION_DOCS.flatMap((paragraph) => [paragraph, '']),
    '## Fixability',
    '',
    ...Object.entries(FIXABILITY_MEANINGS).map(([label, meaning]) => `- \`${label}\`: ${meaning}`),
    '',
    ...docs.flatMap(ruleSection),
  ].join('\n');
}
