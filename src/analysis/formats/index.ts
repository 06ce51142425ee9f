import { InputError } from '../../core/index.js';
import type { ScanReport } from '../../core/index.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatTable } from './table.js';

export { formatJson } from './json.js';
export { formatMarkdown, type MarkdownOptions } from './markdown.js';
export {
  createSarifLog,
  formatSarif,
  sarifLevel,
  sarifRegion,
  FINGERPRINT_KEY,
  SARIF_SCHEMA_URI,
  SARIF_VERSION,
  SRCROOT,
  type SarifLevel,
  type SarifLog,
  type SarifRegion,
  type SarifResult,
  type SarifRule,
  type SarifRun,
} from './sarif.js';
export { formatTable, type TableOptions } from './table.js';

/** Every output format `beast scan --format` accepts. */
export const FORMATS = ['table', 'json', 'sarif', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export interface FormatOptions {
  /** ANSI colors in the table format; ignored by the others. Off unless asked for. */
  color?: boolean;
  /** How many findings the table and markdown formats list; 20 by default. */
  top?: number;
}

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/**
 * Renders a report in one of `FORMATS`. Pure: returns the text without a trailing newline and
 * leaves writing it to the caller. An unknown format is an `InputError` that lists the valid ones.
 */
export function formatReport(
  report: ScanReport,
  format: Format,
  options: FormatOptions = {},
): string {
  switch (format) {
    case 'table':
      return formatTable(report, { color: options.color ?? false, top: options.top });
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report);
    case 'markdown':
      return formatMarkdown(report, { top: options.top });
    default:
      throw new InputError(
        `Unknown format "${String(format)}"; expected one of: ${FORMATS.join(', ')}`,
      );
  }
}
