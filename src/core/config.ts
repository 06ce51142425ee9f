import { z } from 'zod';
import { ConfigError } from './errors.js';
import { findConfigSource, loadConfigChain } from './config-files.js';
import { mergeRuleLayers, type NormalRuleSetting } from './rule-layers.js';
import { GRADES, SEVERITIES, type Grade, type Severity } from './types.js';

const severity = z.enum(SEVERITIES);
/** A gate threshold: a grade (fail when worse) or a severity (fail when a finding is at least as severe). */
const gateThreshold = z.enum([...GRADES, ...SEVERITIES, 'none']);

/**
 * A rule's level as ESLint writes it: "off"/0, "warn"/1, "error"/2. See `normaliseRuleSetting` for
 * what each means here.
 */
export const ESLINT_LEVELS = ['off', 'warn', 'error', 0, 1, 2] as const;
// An id puts it in the editor schema's $defs once, rather than three times for every rule.
const level = z
  .union([z.literal('on'), severity, ...ESLINT_LEVELS.map((l) => z.literal(l))])
  .meta({ id: 'RuleLevel' });

/** A rule's setting, its options checked by `options` (the rule's own schema, kept in analysis). */
function ruleSettingWith<Options extends z.ZodType>(options: Options) {
  return z.union([
    level,
    // ESLint's array form: the level, then the options.
    z.tuple([level]),
    z.tuple([level, options]),
    z
      .object({
        severity: severity.optional(),
        enabled: z.boolean().optional(),
        options: options.optional(),
      })
      .strict(),
  ]);
}

const ruleSetting = ruleSettingWith(z.record(z.string(), z.unknown()));
const RULES_DESCRIPTION =
  'Per rule: "off", "on", a severity, { severity, enabled, options }, or as ESLint writes it: "off"/0, "warn"/1 (on, severity minor), "error"/2 (on, the rule\'s own severity), ["error", options]';
const OVERRIDES_DESCRIPTION =
  "Rule settings for some files, as ESLint flat config's files blocks: applied in order after the top-level rules to the files they match (later wins)";

/** One `overrides` entry, its rule settings checked by `rules` (the rules' own schemas in the editor schema). */
function overrideWith<Rules extends z.ZodType>(rules: Rules) {
  return z
    .object({
      files: z
        .array(z.string().min(1))
        .min(1)
        .describe('Globs of repository-relative paths this entry applies to, e.g. "test/**"'),
      ignores: z
        .array(z.string().min(1))
        .optional()
        .describe('Globs of paths left out even when `files` matches them'),
      rules,
    })
    .strict();
}

const configOverride = overrideWith(z.record(z.string(), ruleSetting));

const price = z
  .object({
    inputPerMillion: z.number().min(0),
    outputPerMillion: z.number().min(0),
  })
  .strict();

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name');

/** One `custom:<name>` model as written in config: an endpoint, never a key. */
export const customModelSchema = z
  .object({
    protocol: z.enum(['openai', 'anthropic', 'ollama']).optional(),
    baseUrl: z.url().describe('OpenAI- or Anthropic-compatible base URL, ending in /v1'),
    model: z.string().min(1).describe('The model name the endpoint expects'),
    apiKeyEnv: envName
      .optional()
      .describe('Name of the environment variable that holds the API key'),
    headers: z.record(z.string(), z.string()).optional(),
    price: price.optional().describe('US dollars per million input and output tokens'),
    contextWindow: z.number().int().positive().optional(),
    timeoutMs: z.number().int().positive().optional(),
    maxConcurrency: z.number().int().positive().optional(),
    maxAnswerBytes: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Largest answer accepted, in bytes (default 262144); a larger one is refused'),
    fallbacks: z
      .array(z.string())
      .optional()
      .describe('Other custom model names to try, in order, when this one fails'),
  })
  .strict();

export const customModelsSchema = z.record(z.string().regex(/^[\w.-]+$/), customModelSchema);

const modelId = z
  .string()
  .regex(/^[a-z]+:.+$/, 'expected a model id such as builtin:codemods or custom:local');
const usd = z.number().min(0);

/**
 * The embedding model behind vector search (optional): without it, codebase search ranks by BM25
 * and the reference graph alone. Its calls count against `models.budget` and go to the same ledger.
 */
const embeddingsSchema = z
  .object({
    model: modelId.describe(
      'custom:<name> (an endpoint of models.custom speaking the openai or ollama protocol), openai:<model> (e.g. openai:text-embedding-3-small) or ollama:<model>',
    ),
    dimensions: z
      .number()
      .int()
      .positive()
      .max(16384)
      .optional()
      .describe(
        'Length of every vector; asked of OpenAI-protocol endpoints (text-embedding-3 can shorten) and checked on every answer',
      ),
    batchSize: z
      .number()
      .int()
      .positive()
      .max(2048)
      .optional()
      .describe('Texts sent in one request (default 64)'),
    timeoutMs: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "How long one request may take (default: the custom model's timeoutMs, else 30000)",
      ),
    maxInputChars: z
      .number()
      .int()
      .min(200)
      .optional()
      .describe(
        "Characters of a symbol embedded: signature, doc comment, then the code's first lines (default 2000, within any embedding model's input limit)",
      ),
  })
  .strict();

/** Which models `beast improve` asks, what they may cost and how fast they may be called. */
const modelsSchema = z
  .object({
    use: z
      .array(modelId)
      .optional()
      .describe(
        'Models to choose from, e.g. ["builtin:codemods", "custom:local"] (default: the built-in engines and every custom model)',
      ),
    custom: customModelsSchema
      .optional()
      .describe('Self-hosted or other endpoints, used as custom:<name>'),
    prices: z
      .record(modelId, price)
      .optional()
      .describe('Price per million tokens by model id, over the built-in table'),
    budget: z
      .object({
        perRunUsd: usd.optional().describe('Most one run may spend'),
        perDayUsd: usd.optional().describe('Most all runs of a UTC day may spend'),
        perProviderPerDayUsd: z
          .record(z.string(), usd)
          .optional()
          .describe('Per provider (openai, anthropic, ollama, custom:<name>) and UTC day'),
      })
      .strict()
      .optional(),
    rateLimits: z
      .record(
        z.string(),
        z
          .object({
            requestsPerMinute: z.number().int().positive().optional(),
            maxConcurrency: z.number().int().positive().optional(),
          })
          .strict(),
      )
      .optional()
      .describe('Requests per minute and requests in flight, by provider'),
    embeddings: embeddingsSchema
      .optional()
      .describe(
        'Embedding model for vector search (beast search, ask); prices per million input tokens come from models.prices or the custom model',
      ),
    cooldownSeconds: z
      .number()
      .positive()
      .optional()
      .describe('How long a failing deployment is left out before it is tried again (default 30)'),
    repairAttempts: z
      .number()
      .int()
      .min(0)
      .max(5)
      .optional()
      .describe("How often a rejected LLM change is sent back with the gate's errors (default 2)"),
  })
  .strict();

/** How `beast improve` delivers: who its commits are by, and where `--pr` opens pull requests. */
const deliverySchema = z
  .object({
    author: z
      .string()
      .regex(/^[^<>\n]+ <[^<>\s]+>$/, 'expected "Name <email>"')
      .optional()
      .describe(
        'Author and committer of beast improve\'s commits, "Name <email>" (default BEAST MODE)',
      ),
    github: z
      .object({
        tokenEnv: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
          .optional()
          .describe('Environment variable holding the token for --pr (default GITHUB_TOKEN)'),
        apiUrl: z
          .url()
          .optional()
          .describe(
            "GitHub REST API base URL for --pr (default https://api.github.com; GitHub Enterprise: https://HOST/api/v3); it must be the push remote's host",
          ),
        timeoutSeconds: z
          .number()
          .positive()
          .optional()
          .describe('How long one GitHub API request may take (default 30)'),
      })
      .strict()
      .optional(),
  })
  .strict();

/** The schema of `beast.config.json` as written. Every key is optional. */
export const configFileSchema = z
  .object({
    $schema: z.string().optional(),
    extends: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .describe(
        'Presets (beast:recommended, beast:strict) and files (relative to this one, inside the repository) to start from, in order; this file overrides them',
      ),
    include: z
      .array(z.string())
      .optional()
      .describe('Globs of files to analyse (default: all sources)'),
    exclude: z
      .array(z.string())
      .optional()
      .describe('Globs of files to skip, on top of the built-ins'),
    maxFileSizeKb: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Files larger than this are skipped as too large (default 1024)'),
    includeVendored: z
      .boolean()
      .optional()
      .describe(
        'Scan vendored, bundled and minified files too (default false); improve never edits them',
      ),
    workers: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Parser worker threads; 0 parses on the main thread (default: one per core)'),
    rules: z.record(z.string(), ruleSetting).optional().describe(RULES_DESCRIPTION),
    respectLintConfig: z
      .boolean()
      .optional()
      .describe(
        "Follow the project's ESLint, Biome, oxlint or xo config where it turns a mapped rule off or changes its threshold (default true); an ESLint config that is code is run by the repository's ESLint in the sandbox",
      ),
    overrides: z.array(configOverride).optional().describe(OVERRIDES_DESCRIPTION),
    gate: z
      .object({
        failOn: gateThreshold.optional(),
        minScore: z.number().min(0).max(100).optional(),
      })
      .strict()
      .optional()
      .describe('Quality gate for full scans'),
    newCodeGate: z
      .object({
        failOn: gateThreshold.optional(),
        minScore: z.number().min(0).max(100).optional(),
      })
      .strict()
      .optional()
      .describe('Quality gate for --since scans (new code only)'),
    duplication: z
      .object({ minTokens: z.number().int().min(10).optional() })
      .strict()
      .optional(),
    models: modelsSchema.optional().describe('Models for beast improve: LLM endpoints, budgets'),
    delivery: deliverySchema
      .optional()
      .describe('How beast improve delivers: commit author, pull requests (--push, --pr)'),
  })
  .strict();

export type CustomModelConfig = z.infer<typeof customModelSchema>;
export type CustomModelsConfig = z.infer<typeof customModelsSchema>;
export type ModelsConfig = z.infer<typeof modelsSchema>;

/** The `delivery` section resolved: every value present but the author, BEAST MODE's when absent. */
export interface DeliveryConfig {
  author: string | undefined;
  github: { tokenEnv: string; apiUrl: string; timeoutSeconds: number };
}

export type ConfigFile = z.infer<typeof configFileSchema>;
export type GateThreshold = Grade | Severity | 'none';
export type RuleSetting = z.infer<typeof ruleSetting>;
/**
 * Rule settings for the files `files` matches and `ignores` does not (globs relative to the
 * repository root, as ESLint flat config's `files` blocks), applied over the settings beneath.
 */
export type ConfigOverride = z.infer<typeof configOverride>;

export interface Gate {
  failOn: GateThreshold;
  minScore: number;
}

/** Fully resolved configuration: every value present. */
export interface Config {
  include: string[];
  exclude: string[];
  maxFileSizeKb: number;
  includeVendored: boolean;
  workers: number | undefined;
  /** Per rule; where two config files of an `extends` chain both set a rule, merged as layers are. */
  rules: Record<string, RuleSetting | NormalRuleSetting>;
  /** Whether the project's own lint configuration adjusts the rules beneath `rules`. */
  respectLintConfig: boolean;
  /** The file's `overrides`, in order: each applies over the top-level rules to the files it matches. */
  overrides: ConfigOverride[];
  /**
   * Rule layers beneath the config file's own, lowest first (e.g. derived from the project's lint
   * config). Never written in the file; `ruleLayers` puts them under `rules` and `overrides`.
   */
  baseLayers: ConfigOverride[];
  gate: Gate;
  newCodeGate: Gate;
  duplicationMinTokens: number;
  models: ModelsConfig;
  delivery: DeliveryConfig;
}

export const DEFAULT_CONFIG: Config = {
  include: [],
  exclude: [],
  maxFileSizeKb: 1024,
  includeVendored: false,
  workers: undefined,
  rules: {},
  respectLintConfig: true,
  overrides: [],
  baseLayers: [],
  gate: { failOn: 'none', minScore: 0 },
  newCodeGate: { failOn: 'none', minScore: 0 },
  duplicationMinTokens: 70,
  models: {},
  delivery: {
    author: undefined,
    github: { tokenEnv: 'GITHUB_TOKEN', apiUrl: 'https://api.github.com', timeoutSeconds: 30 },
  },
};

export interface ConfigResult {
  config: Config;
  warnings: string[];
  errors: string[];
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${key}: ${issue.message}`;
}

/** Pure: validates a parsed config file and merges it over `base`. */
export function parseConfig(raw: unknown, base: Config = DEFAULT_CONFIG): ConfigResult {
  const parsed = configFileSchema.safeParse(raw);
  if (!parsed.success) {
    return { config: base, warnings: [], errors: parsed.error.issues.map(formatIssue) };
  }
  const file = parsed.data;
  const warnings: string[] = [];
  return {
    config: {
      include: file.include ?? base.include,
      exclude: [...base.exclude, ...(file.exclude ?? [])],
      maxFileSizeKb: file.maxFileSizeKb ?? base.maxFileSizeKb,
      includeVendored: file.includeVendored ?? base.includeVendored,
      workers: file.workers ?? base.workers,
      rules: mergeRuleLayers([{ rules: base.rules }, { rules: file.rules ?? {} }], base.rules),
      respectLintConfig: file.respectLintConfig ?? base.respectLintConfig,
      overrides: [...base.overrides, ...(file.overrides ?? [])],
      baseLayers: base.baseLayers,
      gate: { ...base.gate, ...file.gate },
      newCodeGate: { ...base.newCodeGate, ...file.newCodeGate },
      duplicationMinTokens: file.duplication?.minTokens ?? base.duplicationMinTokens,
      models: mergeModels(base.models, file.models),
      delivery: mergeDelivery(base.delivery, file.delivery),
    },
    warnings,
    errors: [],
  };
}

function mergeDelivery(base: Config['delivery'], over: ConfigFile['delivery']): Config['delivery'] {
  return {
    author: over?.author ?? base.author,
    github: { ...base.github, ...over?.github },
  };
}

function mergeModels(base: ModelsConfig, over: ModelsConfig | undefined): ModelsConfig {
  if (!over) return base;
  return {
    ...base,
    ...over,
    custom: { ...base.custom, ...over.custom },
    prices: { ...base.prices, ...over.prices },
    budget: { ...base.budget, ...over.budget },
    rateLimits: { ...base.rateLimits, ...over.rateLimits },
  };
}

/** Pure: the settings the environment gives, as a partial config file, and what is wrong with them. */
export function parseEnvironment(env: Record<string, string | undefined>): {
  file: ConfigFile;
  errors: string[];
} {
  const file: ConfigFile = {};
  const errors: string[] = [];
  if (env.BEAST_WORKERS !== undefined) {
    const n = Number(env.BEAST_WORKERS);
    if (env.BEAST_WORKERS.trim() === '' || !Number.isInteger(n) || n < 0) {
      errors.push(`BEAST_WORKERS: expected a whole number, got "${env.BEAST_WORKERS}"`);
    } else {
      file.workers = n;
    }
  }
  if (env.BEAST_FAIL_ON !== undefined) {
    const failOn = gateThreshold.safeParse(env.BEAST_FAIL_ON);
    if (failOn.success) file.gate = { failOn: failOn.data };
    else
      errors.push(
        `BEAST_FAIL_ON: expected one of ${gateThreshold.options.join(', ')}, got "${env.BEAST_FAIL_ON}"`,
      );
  }
  return { file, errors };
}

/**
 * How the repository's own commands (tests, linters) are isolated from this process. Set by
 * whoever runs BEAST MODE, through the environment only: beast.config.json belongs to the
 * repository, which must not be able to switch its own sandbox off.
 */
export interface SandboxSettings {
  /**
   * `auto` (default): bubblewrap where it works, else no sandbox and a warning in the report;
   * `bwrap`: bubblewrap or the commands do not run; `off`: no sandbox. From `BEAST_SANDBOX`.
   */
  mode: 'auto' | 'bwrap' | 'off';
  /** Whether the commands may use the network (default no). `BEAST_SANDBOX_NETWORK=1`. */
  network: boolean;
}

const SANDBOX_MODES = ['auto', 'bwrap', 'off'] as const;

/** Pure: the sandbox settings the environment gives, and what is wrong with them. */
export function parseSandboxEnvironment(env: Record<string, string | undefined>): {
  sandbox: SandboxSettings;
  errors: string[];
} {
  const errors: string[] = [];
  const mode = env.BEAST_SANDBOX ?? 'auto';
  const network = env.BEAST_SANDBOX_NETWORK ?? '0';
  if (!(SANDBOX_MODES as readonly string[]).includes(mode))
    errors.push(`BEAST_SANDBOX: expected one of ${SANDBOX_MODES.join(', ')}, got "${mode}"`);
  if (network !== '0' && network !== '1')
    errors.push(`BEAST_SANDBOX_NETWORK: expected 0 or 1, got "${network}"`);
  return {
    sandbox: {
      mode: errors.length === 0 ? (mode as SandboxSettings['mode']) : 'auto',
      network: network === '1',
    },
    errors,
  };
}

/**
 * Resolves the configuration once, with precedence defaults < file (after what it extends) <
 * environment < flags. The file is `beast.config.json`, `beast.config.jsonc` or package.json's
 * `beast` key.
 * `flags` is a partial config file built from the command line.
 */
export async function resolveConfig(
  root: string,
  env: Record<string, string | undefined>,
  flags: ConfigFile = {},
): Promise<ConfigResult> {
  const source = await findConfigSource(root);
  let fromFile: ConfigResult = { config: DEFAULT_CONFIG, warnings: [], errors: [] };
  for (const layer of source ? await loadConfigChain(root, source) : []) {
    const result = parseConfig(layer.raw, fromFile.config);
    if (result.errors.length > 0) throw new ConfigError(`${layer.label}: ${result.errors[0]}`);
    fromFile = { ...result, warnings: [...fromFile.warnings, ...result.warnings] };
  }
  const fromEnv = parseEnvironment(env);
  if (fromEnv.errors.length > 0) throw new ConfigError(`environment ${fromEnv.errors[0]}`);
  const withEnv = parseConfig(fromEnv.file, fromFile.config);
  const withFlags = parseConfig(flags, withEnv.config);
  if (withFlags.errors.length > 0) throw new ConfigError(`option ${withFlags.errors[0]}`);
  return { config: withFlags.config, warnings: [...fromFile.warnings], errors: [] };
}

/** A rule as the editor schema shows it: what it flags, and the schema of its options. */
export interface RuleSchema {
  description: string;
  options: z.ZodType;
}

/**
 * JSON schema for editors, generated from the same zod source. Given the rules by id (they declare
 * their options in analysis), `rules` names each rule and checks its options.
 */
export function configJsonSchema(
  rules?: Readonly<Record<string, RuleSchema>>,
): Record<string, unknown> {
  const schema = rules
    ? configFileSchema.extend({
        rules: z
          .strictObject(
            Object.fromEntries(
              Object.entries(rules).map(([id, rule]) => [
                id,
                ruleSettingWith(rule.options).optional().describe(rule.description),
              ]),
            ),
          )
          .optional()
          .describe(RULES_DESCRIPTION),
      })
    : configFileSchema;
  const json = z.toJSONSchema(schema, { io: 'input' }) as JsonSchemaObject;
  // An override's rules are the top-level rules' schema: point there rather than repeat it.
  const override = json.properties?.overrides?.items as JsonSchemaObject | undefined;
  if (override?.properties) override.properties.rules = { $ref: '#/properties/rules' };
  return json;
}

interface JsonSchemaObject {
  [key: string]: unknown;
  properties?: Record<string, JsonSchemaObject>;
}
