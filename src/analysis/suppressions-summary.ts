import type { ScanReport } from '../core/index.js';
import { plural } from './formats/shared.js';

/**
 * Pure: one line on what comments suppressed, for the table and markdown reports, as
 * "3 findings suppressed inline (1 unused directive)"; undefined when there is nothing to say.
 */
export function describeSuppressions(
  report: Pick<ScanReport, 'findings' | 'suppressed'>,
): string | undefined {
  const suppressed = report.suppressed?.length ?? 0;
  // The rule's id, not an import of it: formats do not load the rules.
  const unused = report.findings.filter((f) => f.ruleId === 'unused-suppression').length;
  if (suppressed === 0 && unused === 0) return undefined;
  return `${plural(suppressed, 'finding')} suppressed inline (${plural(unused, 'unused directive')})`;
}
