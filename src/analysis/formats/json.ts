import type { ScanReport } from '../../core/index.js';

/**
 * The whole report as pretty JSON (two-space indent). The output is deterministic: keys keep the
 * order of `ScanReport`, and fields that are `undefined` (no commit, not in new-code mode) are left
 * out, so `JSON.parse(formatJson(r))` equals `r`.
 */
export function formatJson(report: ScanReport): string {
  return JSON.stringify(report, null, 2);
}
