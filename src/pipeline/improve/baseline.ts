import { type ScanReport } from '../../core/index.js';
import {
  createTypeChecker,
  loadFormatter,
  type Formatter,
  type TypeChecker,
} from '../../fixes/index.js';
import { type LintGate } from './gate.js';
import type { CheckAvailability, ImproveOptions } from './types.js';
import { prepareLint, prepareTests, type PreparedTests } from './validators.js';

const DEFAULT_TEST_TIMEOUT_MS = 5 * 60_000;

export interface Baseline {
  report: ScanReport;
  formatter: Formatter | undefined;
  formatterDetail: string;
  checker: TypeChecker | undefined;
  checks: CheckAvailability[];
  lint: LintGate | undefined;
  tests: PreparedTests | undefined;
}

export async function takeBaseline(
  root: string,
  scanWorktree: () => Promise<ScanReport>,
  options: ImproveOptions,
): Promise<Baseline> {
  const report = await scanWorktree();
  const checks: CheckAvailability[] = [
    { name: 'parse', ran: true, detail: 'every touched file parses (oxc-parser)' },
    { name: 'rescan', ran: true, detail: 'targeted finding gone, no new finding, no score lower' },
    { name: 'idempotence', ran: true, detail: 'the same model changes nothing on the result' },
  ];
  const typecheck = createTypeChecker(root);
  let checker: TypeChecker | undefined;
  if ('checker' in typecheck) {
    checker = typecheck.checker;
    const { source, version } = checker.typescript;
    const projects = checker.projects.length > 0 ? checker.projects.join(', ') : 'default options';
    checks.push({
      name: 'typecheck',
      ran: true,
      detail: `TypeScript ${version} (${source}), ${projects}`,
    });
  } else {
    checks.push({ name: 'typecheck', ran: false, detail: typecheck.reason });
  }
  const lint = await prepareLint(root, report);
  checks.push(lint.availability);
  const tests = await prepareTests(
    root,
    options.testTimeoutMs ?? DEFAULT_TEST_TIMEOUT_MS,
    report.files.map((f) => f.path),
  );
  checks.push(tests.availability);
  const format = await loadFormatter(root);
  return {
    report,
    checker,
    checks,
    lint: lint.gate,
    tests: tests.prepared,
    formatter: 'formatter' in format ? format.formatter : undefined,
    formatterDetail:
      'formatter' in format
        ? `${format.formatter.name}: changed code is formatted as the repository formats it`
        : `not formatted: ${format.reason}`,
  };
}
