import type { Finding, ScanReport } from '../../core/index.js';

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
