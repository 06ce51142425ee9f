import { SEVERITIES, type FileReport, type Finding, type ScanReport } from '../../core/index.js';

export interface OrderOptions {
  /** Also work on findings in test, bench and fixture files; by default only source files'. */
  includeTests?: boolean;
}

/** The files of a report that are test code (test, bench, fixture), by the kind the scan gave. */
export function testCodeFiles(report: {
  files?: readonly Pick<FileReport, 'path' | 'kind'>[];
}): Set<string> {
  const files = report.files ?? [];
  return new Set(files.filter((f) => (f.kind ?? 'source') !== 'source').map((f) => f.path));
}

/**
 * Findings in the order work should be done: files with the highest predicted defect risk first
 * when `defectRisk` is given (0-1 per file; files it lacks come after those it ranks), else files
 * that are hotspots first (change frequency times complexity); then hotspot risk, severity and
 * position, so runs are deterministic. Findings in test code are left out unless `includeTests`:
 * the default gate is about the product, and tests are what vouches for a change to it.
 */
export function orderByValue(
  report: Pick<ScanReport, 'findings' | 'hotspots'> & {
    files?: readonly Pick<FileReport, 'path' | 'kind'>[];
  },
  defectRisk?: ReadonlyMap<string, number>,
  options: OrderOptions = {},
): Finding[] {
  const hotspot = new Map(report.hotspots.map((h) => [h.file, h.risk]));
  const predicted = (f: Finding): number => defectRisk?.get(f.file) ?? -1;
  const severity = (f: Finding): number => SEVERITIES.indexOf(f.severity);
  const tests = options.includeTests ? new Set<string>() : testCodeFiles(report);
  return report.findings
    .filter((f) => !tests.has(f.file))
    .sort(
      (a, b) =>
        predicted(b) - predicted(a) ||
        (hotspot.get(b.file) ?? 0) - (hotspot.get(a.file) ?? 0) ||
        severity(a) - severity(b) ||
        a.file.localeCompare(b.file) ||
        a.location.line - b.location.line ||
        a.location.column - b.location.column,
    );
}

/** `(rule, file)` pairs and their finding counts: positions shift with edits, counts do not. */
export function countFindings(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findings) {
    const key = `${f.ruleId}\0${f.file}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export interface FindingDelta {
  /** Targeted findings still present, as `rule file` pairs. */
  notFixed: string[];
  /** Findings that were not there before, as `rule file` pairs. */
  added: string[];
}

/**
 * Compares findings before and after a set of changes that each target one finding. A pair
 * `(rule, file)` must lose at least as many findings as were targeted there and may never gain one.
 */
export function compareFindings(
  before: readonly Finding[],
  after: readonly Finding[],
  targeted: readonly Finding[],
): FindingDelta {
  const was = countFindings(before);
  const is = countFindings(after);
  const aimed = countFindings(targeted);
  const notFixed: string[] = [];
  const added: string[] = [];
  for (const [key, count] of is) {
    const expected = (was.get(key) ?? 0) - (aimed.get(key) ?? 0);
    if (count <= expected) continue;
    const label = key.replace('\0', ' ');
    if (aimed.has(key) && count <= (was.get(key) ?? 0)) notFixed.push(label);
    else added.push(label);
  }
  return { notFixed, added };
}

/** A file and every scanned file it reaches through imports. */
export function importClosure(report: ScanReport, roots: Iterable<string>): Set<string> {
  const edges = new Map(report.files.map((f) => [f.path, f.imports]));
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const next of edges.get(file) ?? []) stack.push(next);
  }
  return seen;
}
