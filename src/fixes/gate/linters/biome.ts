import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FATAL_RULE,
  isRecord,
  keepOptions,
  parseJsoncOrUndefined,
  records,
  text,
} from './report.js';
import type { LintMessage, LinterPlugin, LinterSetup } from './types.js';

const CONFIG = /^biome\.jsonc?$/;
const REPORT = 'biome.json';
/** Biome's commands that run its linter. */
const LINTING = new Set(['lint', 'check', 'ci']);

/** Where a diagnostic is: `location.path` is a string since Biome 2, `{ file }` before. */
function pathOf(location: unknown): string {
  if (!isRecord(location)) return '';
  const path = location.path;
  return isRecord(path) ? text(path.file) : text(path);
}

/** Biome's categories are rule groups (`lint/suspicious/noDebugger`); `parse` is a syntax error. */
function ruleOf(category: string): string {
  return category === 'parse' || category === '' ? FATAL_RULE : category.replace(/^lint\//, '');
}

const SEVERITIES: Record<string, LintMessage['severity']> = {
  fatal: 'error',
  error: 'error',
  warning: 'warning',
};

/** Whether Biome left diagnostics out (`summary.diagnosticsNotPrinted`): the counts would be wrong. */
function truncated(report: Record<string, unknown>): boolean {
  const summary = isRecord(report.summary) ? report.summary : {};
  return typeof summary.diagnosticsNotPrinted === 'number' && summary.diagnosticsNotPrinted > 0;
}

/**
 * Biome's `--reporter=json` report (experimental, so read defensively): `diagnostics`, each with
 * `category` (`lint/suspicious/noDebugger`, `parse`), `severity` and `location`. Undefined when
 * it is not one, or when Biome left diagnostics out.
 */
function parseBiomeReport(report: unknown): LintMessage[] | undefined {
  if (!isRecord(report) || !Array.isArray(report.diagnostics) || truncated(report))
    return undefined;
  return records(report.diagnostics).flatMap((diagnostic): LintMessage[] => {
    const severity = SEVERITIES[text(diagnostic.severity)];
    if (severity === undefined) return [];
    const file = pathOf(diagnostic.location);
    return [{ file, rule: ruleOf(text(diagnostic.category)), severity }];
  });
}

/**
 * Biome's linter: `biome.json` or `biome.jsonc` at the root (or a script running `biome lint`,
 * `check` or `ci`), unless it sets `linter.enabled` to
 * false; run as `biome lint --reporter=json` with no cap on the diagnostics, on stdout.
 */
export const biome: LinterPlugin = {
  name: 'biome',
  label: 'Biome',
  bin: 'biome',
  packageName: '@biomejs/biome',
  detect({ files, uses }): LinterSetup | undefined {
    const file = files.find((name) => CONFIG.test(name));
    if (file !== undefined) return { config: file };
    // Without a config, Biome lints with its recommended rules where a script runs its linter.
    const use = uses.find((u) => LINTING.has(u.command.args.find((a) => !a.startsWith('-')) ?? ''));
    return use === undefined ? undefined : { config: `scripts.${use.script}` };
  },
  async disabled({ root }, { config }) {
    const source = await readFile(join(root, config), 'utf8').catch(() => '');
    const json = parseJsoncOrUndefined(source);
    const linter = isRecord(json) && isRecord(json.linter) ? json.linter : {};
    return linter.enabled === false ? `${config} turns Biome's linter off` : undefined;
  },
  scriptOptions(args) {
    const kept = keepOptions(args, { values: new Set(['--config-path']), drop: new Set() }, [
      '--error-on-warnings',
    ]);
    // Only the config's location carries over: `biome check --write` and the like are not lint.
    const configPath = kept.options.filter((o, i, all) =>
      o.startsWith('--config-path') ? true : all[i - 1] === '--config-path',
    );
    return { options: configPath, warningsAreErrors: kept.warningsAreErrors };
  },
  invocation(files, { dir, options, warningsAreErrors, version }) {
    // Biome 1 takes a number only; 2 also `none`.
    const max = Number.parseInt(version, 10) >= 2 ? 'none' : '1000';
    return {
      args: [
        'lint',
        ...options,
        '--reporter=json',
        `--max-diagnostics=${max}`,
        ...(warningsAreErrors ? [] : ['--diagnostic-level=error']),
        '--no-errors-on-unmatched',
        '--files-ignore-unknown=true',
        ...files,
      ],
      report: join(dir, REPORT),
      stdoutToReport: true,
    };
  },
  parse: parseBiomeReport,
};
