import { pathToFileURL } from 'node:url';
import type {
  FileKind,
  Finding,
  Location,
  RuleMeta,
  ScanReport,
  Severity,
} from '../../core/index.js';
import { FINGERPRINT_KEY, fingerprintFindings } from '../fingerprint.js';
import { compareByLocation, kindsOf } from './shared.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
/** The base every result's `artifactLocation.uri` is relative to: the scanned folder. */
export const SRCROOT = '%SRCROOT%';
/** Key of our entry in `result.partialFingerprints`: the recipe's name (see fingerprint.ts). */
export { FINGERPRINT_KEY };

export type SarifLevel = 'error' | 'warning' | 'note';

/** The subset of SARIF 2.1.0 that BEAST MODE writes. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: SarifDriver };
  invocations: SarifInvocation[];
  originalUriBaseIds: Record<string, { uri: string }>;
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
  properties: Record<string, unknown>;
}

export interface SarifDriver {
  name: string;
  version: string;
  semanticVersion?: string;
  rules: SarifRule[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: SarifLevel };
  properties: {
    category: string;
    severity: Severity;
    effortMinutes: number;
    fixability: string;
    tags: string[];
  };
}

export interface SarifInvocation {
  executionSuccessful: boolean;
  startTimeUtc?: string;
  endTimeUtc?: string;
  toolExecutionNotifications?: { level: SarifLevel; message: { text: string } }[];
}

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: string };
      region: SarifRegion;
    };
  }[];
  partialFingerprints: Record<string, string>;
  /** Set when the scan was compared with a baseline file. */
  baselineState?: 'new' | 'unchanged';
  properties: {
    category: string;
    severity: Severity;
    effortMinutes: number;
    fixability: string;
    /** Whether the finding is in source, test, bench or fixture code. */
    fileKind: FileKind;
  };
}

const LEVELS: Record<Severity, SarifLevel> = {
  blocker: 'error',
  critical: 'error',
  major: 'warning',
  minor: 'note',
  info: 'note',
};

/** SARIF `level` for a severity: blocker and critical are errors, major a warning, the rest notes. */
export function sarifLevel(severity: Severity): SarifLevel {
  return LEVELS[severity];
}

/** The report as a SARIF 2.1.0 log, pretty-printed; ready for GitHub code scanning upload. */
export function formatSarif(report: ScanReport): string {
  return JSON.stringify(createSarifLog(report), null, 2);
}

/**
 * Builds the SARIF log: one run whose driver lists every rule of the report (plus any rule a
 * finding names that the report does not describe), and one result per finding.
 *
 * Results are ordered by file, line and column. Regions are clamped so lines and columns are at
 * least 1 and the end never precedes the start, as GitHub code scanning requires.
 *
 * `partialFingerprints[FINGERPRINT_KEY]` is the fingerprint of `fingerprintFindings`, the one a
 * baseline file keeps, so an alert keeps its identity when code above it moves. A scan compared
 * with a baseline gives each result its `baselineState` (`new` or `unchanged`).
 */
export function createSarifLog(report: ScanReport): SarifLog {
  const rules = collectRules(report);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const kinds = kindsOf(report);
  const sorted = [...report.findings].sort(compareByLocation);
  const prints = fingerprintFindings(sorted);
  const results = sorted.map((finding, index): SarifResult => {
    return {
      ruleId: finding.ruleId,
      ruleIndex: ruleIndex.get(finding.ruleId)!,
      level: sarifLevel(finding.severity),
      // GitHub rejects empty messages.
      message: { text: nonEmpty(finding.message, finding.ruleId) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: relativeUri(finding.file), uriBaseId: SRCROOT },
            region: sarifRegion(finding.location),
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: prints[index]! },
      ...(finding.baselineState === undefined ? {} : { baselineState: finding.baselineState }),
      properties: {
        category: finding.category,
        severity: finding.severity,
        effortMinutes: finding.effortMinutes,
        fixability: finding.fixability,
        fileKind: kinds.get(finding.file) ?? 'source',
      },
    };
  });

  const { name, version } = report.tool;
  const driver: SarifDriver = {
    name,
    version,
    ...(isSemver(version) ? { semanticVersion: version } : {}),
    rules,
  };

  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: { driver },
        invocations: [invocation(report)],
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.repo.root) } },
        // Columns come from JavaScript string offsets.
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          score: report.score.score,
          grade: report.score.grade,
          components: report.score.components,
          ...(report.testScore === undefined ? {} : { testScore: report.testScore }),
          gate: report.gate,
          summary: report.summary,
          ...(report.since === undefined ? {} : { since: report.since }),
          ...(report.repo.commit === undefined ? {} : { commit: report.repo.commit }),
          ...(report.repo.branch === undefined ? {} : { branch: report.repo.branch }),
        },
      },
    ],
  };
}

/** A region GitHub accepts: 1-based, integral, and never ending before it starts. */
export function sarifRegion(location: Location): SarifRegion {
  const startLine = atLeastOne(location.line);
  const startColumn = atLeastOne(location.column);
  const endLine = Math.max(startLine, atLeastOne(location.endLine));
  let endColumn = atLeastOne(location.endColumn);
  if (endLine === startLine && endColumn < startColumn) endColumn = startColumn;
  return { startLine, startColumn, endLine, endColumn };
}

function collectRules(report: ScanReport): SarifRule[] {
  const rules: SarifRule[] = [];
  const ids = new Set<string>();
  for (const meta of report.rules) {
    if (ids.has(meta.id)) continue;
    ids.add(meta.id);
    rules.push(describeRule(meta));
  }
  // A finding of a rule the report does not list still needs a descriptor for its ruleIndex.
  for (const finding of report.findings) {
    if (ids.has(finding.ruleId)) continue;
    ids.add(finding.ruleId);
    rules.push(describeRule(metaFromFinding(finding)));
  }
  return rules;
}

function describeRule(meta: RuleMeta): SarifRule {
  const facts = [
    `category \`${meta.category}\``,
    `severity \`${meta.severity}\``,
    `about ${meta.effortMinutes} min to fix`,
    `fixability \`${meta.fixability}\``,
  ].join(' · ');
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: nonEmpty(meta.description, meta.id) },
    fullDescription: { text: nonEmpty(meta.docs, nonEmpty(meta.description, meta.id)) },
    help: {
      text: `${meta.description}\n\n${meta.docs}`,
      markdown: `**${meta.description}**\n\n${meta.docs}\n\n${facts}`,
    },
    defaultConfiguration: { level: sarifLevel(meta.severity) },
    properties: {
      category: meta.category,
      severity: meta.severity,
      effortMinutes: meta.effortMinutes,
      fixability: meta.fixability,
      tags: ['maintainability', meta.category].filter((tag, i, all) => all.indexOf(tag) === i),
    },
  };
}

function metaFromFinding(finding: Finding): RuleMeta {
  return {
    id: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    effortMinutes: finding.effortMinutes,
    fixability: finding.fixability,
    description: finding.ruleId,
    docs: finding.ruleId,
  };
}

function invocation(report: ScanReport): SarifInvocation {
  const result: SarifInvocation = { executionSuccessful: true };
  const start = Date.parse(report.startedAt);
  if (Number.isFinite(start)) {
    result.startTimeUtc = new Date(start).toISOString();
    result.endTimeUtc = new Date(start + Math.max(0, report.durationMs)).toISOString();
  }
  if (report.warnings.length > 0) {
    result.toolExecutionNotifications = report.warnings.map((text) => ({
      level: 'warning',
      message: { text },
    }));
  }
  return result;
}

/** A repository-relative path as a relative URI reference: each segment percent-encoded. */
function relativeUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function directoryUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function nonEmpty(text: string, fallback: string): string {
  return text.trim() === '' ? fallback : text;
}

function atLeastOne(n: number): number {
  return Number.isFinite(n) ? Math.max(1, Math.trunc(n)) : 1;
}

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function isSemver(version: string): boolean {
  return /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(version);
}
