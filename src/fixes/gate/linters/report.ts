import { splitArgs, type ArgSpec } from '../script.js';
import { isRecord, records, text } from '../runners/report.js';
import type { LintMessage, ScriptOptions } from './types.js';

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
export function parseJsonc(source: string): unknown {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '"') {
      const end = /^"(?:[^"\\]|\\.)*"/s.exec(source.slice(i))?.[0] ?? '"';
      out += end;
      i += end.length - 1;
    } else if (c === '/' && source[i + 1] === '/') {
      while (i < source.length && source[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      i = end === -1 ? source.length : end + 1;
    } else out += c;
  }
  try {
    // Trailing commas, which JSONC allows.
    return JSON.parse(out.replace(/,(\s*[}\]])/g, '$1')) as unknown;
  } catch {
    return undefined;
  }
}

export { isRecord, records, text };
