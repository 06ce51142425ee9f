import type { LintConfigReport } from '../../core/index.js';

const LINTERS: readonly [RegExp, string][] = [
  [/eslint/, 'ESLint'],
  [/biome/, 'Biome'],
  [/oxlint/, 'oxlint'],
  [/#xo$/, 'xo'],
];

function linterOf(file: string): string {
  return LINTERS.find(([pattern]) => pattern.test(file))?.[1] ?? 'Lint';
}

/**
 * Pure: what the project's lint config did, for the table and Markdown reports: one line of how
 * many rules each config file adjusted, and one line per config file that was not read.
 */
export function lintConfigLines(report: LintConfigReport | undefined): string[] {
  if (!report) return [];
  const lines: string[] = [];
  const bySource = new Map<string, Set<string>>();
  for (const a of report.adjusted) {
    const rules = bySource.get(a.source) ?? new Set<string>();
    rules.add(a.rule);
    bySource.set(a.source, rules);
  }
  const counts = report.sources.map((source, i) => {
    const n = bySource.get(source)?.size ?? 0;
    const what = i === 0 ? `${n} rule${n === 1 ? '' : 's'} adjusted` : String(n);
    return `${what} from ${source}`;
  });
  if (counts.length > 0) lines.push(`${counts.join(', ')} (respectLintConfig)`);
  for (const n of report.notRead)
    lines.push(`${linterOf(n.file)} config ${n.file} not read: ${n.reason}`);
  return lines;
}
