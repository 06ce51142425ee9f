import { parseJsonc } from '../../../core/index.js';
import { splitArgs, type ArgSpec } from '../script.js';
import { isRecord, records, text } from '../runners/report.js';
import type { LinterSetup, LintMessage, ScriptOptions, ScriptUse } from './types.js';

/** Rule id of an error that stopped a linter from linting a file (a parse error). */
export const FATAL_RULE = 'fatal';

/** Whether `--max-warnings 0` (or `=0`) is among the options. */
function maxWarningsZero(args: readonly string[]): boolean {
  return args.some(
    (arg, i) => arg === '--max-warnings=0' || (arg === '--max-warnings' && args[i + 1] === '0'),
  );
}

/**
 * The options a script gives a linter, minus those in `spec.drop` (reporters, fixing, caches);
 * warnings fail the lint with `--max-warnings 0` or one of `denyWarnings`.
 */
export function keepOptions(
  args: readonly string[],
  spec: ArgSpec,
  denyWarnings: readonly string[] = [],
): ScriptOptions {
  return {
    options: splitArgs(args, spec).options,
    warningsAreErrors: maxWarningsZero(args) || args.some((arg) => denyWarnings.includes(arg)),
  };
}

/**
 * ESLint's `--format json` report, which xo's json reporter also writes: per file, messages of
 * severity 2 (error) or 1 (warning); a fatal one is a parse error.
 */
export function parseEslintReport(report: unknown): LintMessage[] | undefined {
  if (!Array.isArray(report)) return undefined;
  const messages: LintMessage[] = [];
  for (const result of records(report)) {
    for (const message of records(result.messages)) {
      if (message.severity !== 2 && message.severity !== 1) continue;
      messages.push({
        file: text(result.filePath),
        rule: message.fatal === true ? FATAL_RULE : text(message.ruleId) || FATAL_RULE,
        severity: message.severity === 2 ? 'error' : 'warning',
      });
    }
  }
  return messages;
}

/**
 * Parses JSON that may carry comments and trailing commas (`.jsonc`, Biome's config); undefined
 * when it is not JSON.
 */
export function parseJsoncOrUndefined(source: string): unknown {
  try {
    return parseJsonc(source);
  } catch {
    return undefined;
  }
}

/** The setup of a linter that only a script runs: its config is that script. */
export function scriptSetup(uses: readonly ScriptUse[]): LinterSetup | undefined {
  const use = uses[0];
  return use === undefined ? undefined : { config: `scripts.${use.script}` };
}

export { isRecord, records, text };
