import { join } from 'node:path';
import { FATAL_RULE, isRecord, keepOptions, records, scriptSetup, text } from './report.js';
import type { LintMessage, LinterPlugin, LinterSetup } from './types.js';

const CONFIG = /^(\.oxlintrc\.jsonc?|oxlint\.json|oxlint\.config\.[cm]?[jt]s)$/;
const REPORT = 'oxlint.json';

/**
 * oxlint's `--format json` report: `{ diagnostics: [...] }` (a bare array before oxlint 0.16),
 * each with `filename`, `code` (`eslint(no-debugger)`, none for a parse error) and `severity`.
 */
function parseOxlintReport(report: unknown): LintMessage[] | undefined {
  const diagnostics = isRecord(report) ? report.diagnostics : report;
  if (!Array.isArray(diagnostics)) return undefined;
  const messages: LintMessage[] = [];
  for (const diagnostic of records(diagnostics)) {
    const severity = text(diagnostic.severity);
    if (severity !== 'error' && severity !== 'warning') continue;
    messages.push({
      file: text(diagnostic.filename),
      rule: text(diagnostic.code) || FATAL_RULE,
      severity,
    });
  }
  return messages;
}

/**
 * oxlint: `.oxlintrc.json`, `oxlint.json`, `oxlint.config.*`, or a script that runs it (oxlint
 * needs no config); run with the script's rule options and `--format json`, on stdout.
 */
export const oxlint: LinterPlugin = {
  name: 'oxlint',
  label: 'oxlint',
  bin: 'oxlint',
  packageName: 'oxlint',
  detect({ files, uses }): LinterSetup | undefined {
    const file = files.find((name) => CONFIG.test(name));
    if (file !== undefined) return { config: file };
    return scriptSetup(uses);
  },
  scriptOptions(args) {
    return keepOptions(
      args,
      {
        values: new Set([
          '-c',
          '--config',
          '--tsconfig',
          '-A',
          '--allow',
          '-W',
          '--warn',
          '-D',
          '--deny',
          '--ignore-path',
          '--ignore-pattern',
          '--max-warnings',
          '-f',
          '--format',
          '--threads',
        ]),
        drop: new Set([
          '-f',
          '--format',
          '--fix',
          '--fix-suggestions',
          '--fix-dangerously',
          '--watch',
          '--print-config',
          '--rules',
          '--init',
          '--lsp',
          '--max-warnings',
          '--deny-warnings',
          '--silent',
        ]),
      },
      ['--deny-warnings'],
    );
  },
  invocation(files, { dir, options }) {
    return {
      args: [...options, '--format', 'json', ...files],
      report: join(dir, REPORT),
      stdoutToReport: true,
    };
  },
  parse: parseOxlintReport,
};
