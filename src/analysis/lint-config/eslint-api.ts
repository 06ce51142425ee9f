import type { TheirSetting } from './types.js';
import { parseEslintSetting } from './readers.js';

/**
 * Runs a Node script for the repository (its own ESLint), isolated as the gate runs linters: its
 * own process group, a stripped environment, a sandbox, a time limit. Given by the caller, since
 * analysis starts no processes of the repository's itself.
 */
export type NodeScriptRunner = (request: {
  /** The repository root: the script's working folder, read-only. */
  root: string;
  /** The script, run as `node -e`. */
  script: string;
  /** Written to its standard input. */
  input: string;
}) => Promise<NodeScriptResult>;

export type NodeScriptResult =
  | { ok: true; stdout: string }
  /** One line: a time-out, an exit code with the last line of its errors, no sandbox… */
  | { ok: false; reason: string };

/**
 * The script: loads the repository's own `eslint` (never ours), asks it each file's config with
 * `calculateConfigForFile`, and prints the severity and options of the named rules only, each
 * distinct config once. CommonJS, so that it runs whatever the repository's package type.
 */
export const ESLINT_CONFIG_SCRIPT = String.raw`
const { createRequire } = require('node:module');
const path = require('node:path');
const fail = (message, code) => {
  process.stderr.write(String(message).split('\n')[0] + '\n');
  process.exit(code);
};
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => main(JSON.parse(input)).catch((error) => fail(error && error.message ? error.message : error, 3)));
async function main({ root, flat, files, names }) {
  const load = createRequire(path.join(root, 'package.json'));
  let eslint;
  try {
    load.resolve('eslint');
  } catch {
    fail('node_modules/eslint not found', 4);
  }
  eslint = load('eslint');
  let version = 'unknown';
  try {
    version = load('eslint/package.json').version;
  } catch {}
  let Engine;
  if (typeof eslint.loadESLint === 'function') Engine = await eslint.loadESLint({ useFlatConfig: flat });
  else if (flat) Engine = load('eslint/use-at-your-own-risk').FlatESLint;
  else Engine = eslint.ESLint || eslint.CLIEngine;
  if (!Engine || !Engine.prototype || typeof Engine.prototype.calculateConfigForFile !== 'function')
    fail('ESLint ' + version + ' cannot compute a config for a file', 5);
  const engine = new Engine({ cwd: root });
  const wanted = new Set(names);
  const configs = [];
  const seen = new Map();
  const byFile = {};
  let failed = 0;
  let firstError;
  for (const file of files) {
    let config;
    try {
      config = await engine.calculateConfigForFile(path.join(root, file));
    } catch (error) {
      failed++;
      firstError = firstError || String(error && error.message ? error.message : error).split('\n')[0];
      continue;
    }
    if (!config || !config.rules) continue;
    const rules = {};
    for (const name of Object.keys(config.rules).sort()) if (wanted.has(name)) rules[name] = config.rules[name];
    const key = JSON.stringify(rules);
    if (!seen.has(key)) {
      seen.set(key, configs.length);
      configs.push(rules);
    }
    byFile[file] = seen.get(key);
  }
  process.stdout.write(JSON.stringify({ version, configs, byFile, failed, firstError }));
}
`;

/** What the script answered, as each file's rules. */
export interface EslintAnswer {
  version: string;
  perFile: Map<string, Record<string, TheirSetting>>;
  /** Files whose config ESLint could not compute: nothing is applied to them. */
  failed: number;
  firstError: string | undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Pure: the script's output; throws an Error when it is not what the script prints. */
export function parseEslintAnswer(stdout: string): EslintAnswer {
  const data = JSON.parse(stdout) as unknown;
  if (!isRecord(data) || !Array.isArray(data.configs) || !isRecord(data.byFile))
    throw new Error('unexpected answer from the ESLint script');
  const configs = data.configs.map((raw) => {
    const rules: Record<string, TheirSetting> = {};
    for (const [name, value] of Object.entries(isRecord(raw) ? raw : {})) {
      const setting = parseEslintSetting(value);
      if (setting) rules[name] = setting;
    }
    return rules;
  });
  const perFile = new Map<string, Record<string, TheirSetting>>();
  for (const [file, index] of Object.entries(data.byFile)) {
    const rules = typeof index === 'number' ? configs[index] : undefined;
    if (rules) perFile.set(file, rules);
  }
  return {
    version: typeof data.version === 'string' ? data.version : 'unknown',
    perFile,
    failed: typeof data.failed === 'number' ? data.failed : 0,
    firstError: typeof data.firstError === 'string' ? data.firstError : undefined,
  };
}
