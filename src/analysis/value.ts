import type { FileReport, Finding, ScanReport, Severity } from '../core/index.js';

/**
 * What fixing one finding of a severity is worth, before its file's weight: each step up doubles
 * it, so that a finding in the riskiest file (weight 1, doubling) counts as much as one a step more
 * severe in a file nobody touches.
 */
export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = {
  blocker: 16,
  critical: 8,
  major: 4,
  minor: 2,
  info: 1,
};

export interface OrderOptions {
  /** Also rank findings in test, bench and fixture files; by default only source files'. */
  includeTests?: boolean;
}

/** The files of a report that are test code (test, bench, fixture), by the kind the scan gave. */
export function testCodeFiles(report: {
  files?: readonly Pick<FileReport, 'path' | 'kind'>[];
}): Set<string> {
  const files = report.files ?? [];
  return new Set(files.filter((f) => (f.kind ?? 'source') !== 'source').map((f) => f.path));
}

type ValueInput = Pick<ScanReport, 'findings' | 'hotspots'> & {
  files?: readonly Pick<FileReport, 'path' | 'kind'>[];
};

/**
 * Each file's weight from 0 to 1: its predicted defect risk when `defectRisk` is given (a file the
 * model lacks weighs 0), else its hotspot risk (change frequency x complexity) relative to the
 * report's hottest file.
 */
function fileWeights(
  report: Pick<ScanReport, 'hotspots'>,
  defectRisk: ReadonlyMap<string, number> | undefined,
): (file: string) => number {
  if (defectRisk) return (file) => Math.min(1, Math.max(0, defectRisk.get(file) ?? 0));
  const hottest = Math.max(0, ...report.hotspots.map((h) => h.risk));
  const risk = new Map(report.hotspots.map((h) => [h.file, h.risk]));
  return (file) => (hottest > 0 ? (risk.get(file) ?? 0) / hottest : 0);
}

/**
 * Findings by value, most valuable first: severity weight x (1 + the file's weight), where the
 * file's weight is its predicted defect risk when `defectRisk` is given, else its hotspot risk
 * relative to the hottest file. Ties go to the riskier file, then the more severe finding, then
 * position, so every ordering is deterministic. Findings in test code are left out unless
 * `includeTests`: the product comes first, and tests are what vouches for a change to it.
 *
 * This is the one order of "top findings" everywhere (scan output, `beast status`, the API) and
 * of the work `beast improve` does.
 */
export function orderByValue(
  report: ValueInput,
  defectRisk?: ReadonlyMap<string, number>,
  options: OrderOptions = {},
): Finding[] {
  const weight = fileWeights(report, defectRisk);
  const tests = options.includeTests ? new Set<string>() : testCodeFiles(report);
  const valued = report.findings
    .filter((f) => !tests.has(f.file))
    .map((f) => ({ f, w: weight(f.file), v: SEVERITY_WEIGHT[f.severity] * (1 + weight(f.file)) }));
  valued.sort(
    (a, b) =>
      b.v - a.v ||
      b.w - a.w ||
      SEVERITY_WEIGHT[b.f.severity] - SEVERITY_WEIGHT[a.f.severity] ||
      compareText(a.f.file, b.f.file) ||
      a.f.location.line - b.f.location.line ||
      a.f.location.column - b.f.location.column ||
      compareText(a.f.ruleId, b.f.ruleId),
  );
  return valued.map((x) => x.f);
}

/**
 * Every finding by value, source files' first and then test code's, for lists that show both
 * (the scan's top findings).
 */
export function sourceFirstByValue(report: ValueInput): Finding[] {
  const tests = testCodeFiles(report);
  const all = orderByValue(report, undefined, { includeTests: true });
  return [...all.filter((f) => !tests.has(f.file)), ...all.filter((f) => tests.has(f.file))];
}

/** Code-point order, not locale order, so every machine sorts the same way. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
