import { FILE_TITLE, ReportBuilder, readJsonReport, records, strings, text } from './report.js';
import type { ParsedReport, TestOutcome } from './types.js';

/** Jest's assertion statuses (which Vitest's json reporter copies) mapped to outcomes. */
const OUTCOMES: Record<string, TestOutcome> = {
  passed: 'pass',
  failed: 'fail',
  pending: 'skip',
  skipped: 'skip',
  todo: 'skip',
  disabled: 'skip',
  focused: 'pass',
};

function addFileResult(builder: ReportBuilder, result: Record<string, unknown>): void {
  const file = text(result.name);
  builder.addFile(file);
  let failedTests = 0;
  for (const assertion of records(result.assertionResults)) {
    const outcome = OUTCOMES[text(assertion.status)] ?? 'skip';
    if (outcome === 'fail') failedTests++;
    const titles = [...strings(assertion.ancestorTitles), text(assertion.title)];
    builder.add(file, titles, outcome, strings(assertion.failureMessages).join('\n'));
  }
  // A file that failed without a failing test did not load, or a file-level hook failed.
  if (text(result.status) === 'failed' && failedTests === 0) {
    builder.add(file, [FILE_TITLE], 'fail', text(result.message));
  }
}

/**
 * Reads a report in Jest's `--json` format, which Vitest's json reporter also writes: per file
 * (`testResults[].name`) the assertions with their ancestor titles and status.
 */
export async function parseJestJson(path: string, cwd: string): Promise<ParsedReport | undefined> {
  const report = await readJsonReport(path);
  if (report === undefined || !Array.isArray((report as { testResults?: unknown }).testResults)) {
    return undefined;
  }
  const builder = await ReportBuilder.create(cwd);
  for (const result of records((report as { testResults: unknown }).testResults)) {
    addFileResult(builder, result);
  }
  return builder.build();
}
