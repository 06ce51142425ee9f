import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import {
  CompiledQuery,
  type Insertable,
  type Kysely,
  type Selectable,
  type Transaction,
} from 'kysely';
import type {
  FileKind,
  FileMetrics,
  FileReport,
  Finding,
  Grade,
  Hotspot,
  ScanReport,
  ScanSummary,
} from '../core/index.js';
import { InputError } from '../core/index.js';
import { chunk, chunkRows } from './batch.js';
import type { Store } from './db.js';
import type {
  Database,
  FileResultsTable,
  FindingsTable,
  HotspotsTable,
  ScansTable,
} from './schema.js';

/** A recorded scan at a glance: which one, when, on what commit, what it scored and found. */
export interface ScanDigest extends Pick<
  ScanRecord,
  'startedAt' | 'commit' | 'files' | 'findings'
> {
  scanId: number;
  /** The scan's score, 0-100. */
  score: number;
  grade: Grade;
}

/** One point of a score trend. */
export type TrendPoint = Pick<ScanDigest, 'scanId' | 'startedAt' | 'commit' | 'score' | 'grade'>;

/** A repository known to the store, with a digest of its history. */
export interface RepositoryRecord {
  id: number;
  root: string;
  name: string;
  createdAt: string;
  scans: number;
  /** `startedAt` of its newest scan; undefined when it has none. */
  lastScanAt: string | undefined;
}

/** The scan-level fields of a recorded scan: a `ScanReport`'s header as the store keeps it. */
export interface ScanRecord
  extends
    Pick<ScanReport['repo'], 'root' | 'commit' | 'branch' | 'dirty'>,
    Pick<ScanReport, 'startedAt' | 'durationMs' | 'since' | 'score'>,
    Pick<ScanSummary, 'files' | 'findings' | 'debtMinutes'> {
  id: number;
  toolVersion: string;
  gatePassed: boolean;
  /** Why hotspots were not computed (a shallow clone's truncated history); undefined when they were. */
  hotspotsUnavailable: string | undefined;
}

/** What the store keeps of a `FileReport`: function metrics and file score components are not kept. */
export interface StoredFileResult extends Pick<
  FileReport,
  'path' | 'hash' | 'lang' | 'metrics' | 'parseError'
> {
  score: number;
  grade: Grade;
  /** What the file is for; `source` for rows recorded before kinds existed. */
  kind: FileKind;
}

/** A recorded scan with its rows, each list in the order of the original report. */
export interface StoredScan {
  scan: ScanRecord;
  files: StoredFileResult[];
  findings: Finding[];
  hotspots: Hotspot[];
}

/**
 * Records a scan, creating its repository on first sight, in one transaction.
 *
 * @returns the new scan's id.
 */
export async function recordScan(store: Store, report: ScanReport): Promise<number> {
  const startedAt = normaliseTimestamp(report.startedAt);
  const files = report.files.map(fileRow);
  const findings = report.findings.map(findingRow);
  const resultHash = hashRows(files, findings);
  return store.db.transaction().execute(async (trx) => {
    const repositoryId = await ensureRepository(trx, report.repo.root);
    // An unchanged rescan shares the rows of the scan that first recorded them.
    const owner = await trx
      .selectFrom('scans')
      .select('id')
      .where('repository_id', '=', repositoryId)
      .where('result_hash', '=', resultHash)
      .where('rows_of', 'is', null)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const scanId = await insertScan({
      trx,
      repositoryId,
      startedAt,
      report,
      rows: {
        result_hash: resultHash,
        rows_of: owner?.id ?? null,
      },
    });
    if (owner === undefined) {
      await insertRows(trx, { table: 'file_results', columns: FILE_COLUMNS }, scanId, files);
      await insertRows(trx, { table: 'findings', columns: FINDING_COLUMNS }, scanId, findings);
    }
    const hotspots = report.hotspots.map((hotspot) => hotspotRow(scanId, hotspot));
    for (const rows of chunkRows(hotspots)) {
      await trx.insertInto('hotspots').values(rows).execute();
    }
    return scanId;
  });
}

/** Scans of the repository at `root`, newest first; empty for an unknown root. */
export async function listScans(store: Store, root: string, limit: number): Promise<ScanDigest[]> {
  const rows = await newestScans(store.db, root, limit)
    .select(['scans.id', 'started_at', 'commit', 'score', 'grade', 'files', 'findings'])
    .execute();
  return rows.map(toScanDigest);
}

/** A `scans` row's digest. */
export function toScanDigest(
  row: Pick<
    Selectable<ScansTable>,
    'id' | 'started_at' | 'commit' | 'score' | 'grade' | 'files' | 'findings'
  >,
): ScanDigest {
  return {
    scanId: row.id,
    startedAt: row.started_at,
    commit: row.commit ?? undefined,
    score: row.score,
    grade: row.grade,
    files: row.files,
    findings: row.findings,
  };
}

/** The scores of the newest `limit` scans of the repository at `root`, oldest first. */
export async function scoreTrend(store: Store, root: string, limit: number): Promise<TrendPoint[]> {
  const rows = await newestScans(store.db, root, limit)
    .select(['scans.id', 'started_at', 'commit', 'score', 'grade'])
    .execute();
  return rows.reverse().map((row) => ({
    scanId: row.id,
    startedAt: row.started_at,
    commit: row.commit ?? undefined,
    score: row.score,
    grade: row.grade,
  }));
}

/** The newest scan of the repository at `root` with all its rows, or undefined if it has none. */
export async function latestScan(store: Store, root: string): Promise<StoredScan | undefined> {
  const newest = await newestScans(store.db, root, 1).select('scans.id').executeTakeFirst();
  return newest === undefined ? undefined : getScan(store, newest.id);
}

/** The scan with id `scanId` with all its rows, or undefined if there is none. */
export async function getScan(store: Store, scanId: number): Promise<StoredScan | undefined> {
  const { db } = store;
  const scan = await db
    .selectFrom('scans')
    .innerJoin('repositories', 'repositories.id', 'scans.repository_id')
    .selectAll('scans')
    .select('repositories.root')
    .where('scans.id', '=', scanId)
    .executeTakeFirst();
  if (scan === undefined) return undefined;

  const rowsOf = scan.rows_of ?? scanId;
  const [files, findings, hotspots] = await Promise.all([
    db.selectFrom('file_results').selectAll().where('scan_id', '=', rowsOf).orderBy('id').execute(),
    db.selectFrom('findings').selectAll().where('scan_id', '=', rowsOf).orderBy('id').execute(),
    db.selectFrom('hotspots').selectAll().where('scan_id', '=', scanId).orderBy('id').execute(),
  ]);
  return {
    scan: toScanRecord(scan),
    files: files.map(toFileResult),
    findings: findings.map(toFinding),
    hotspots: hotspots.map(({ file, changes, complexity, risk }) => ({
      file,
      changes,
      complexity,
      risk,
    })),
  };
}

/** Every repository the store has seen, by root path. */
export async function listRepositories(store: Store): Promise<RepositoryRecord[]> {
  const rows = await store.db
    .selectFrom('repositories')
    .leftJoin('scans', 'scans.repository_id', 'repositories.id')
    .select(({ fn }) => [
      'repositories.id',
      'repositories.root',
      'repositories.name',
      'repositories.created_at',
      fn.count<number | string>('scans.id').as('scans'),
      fn.max('scans.started_at').as('last_scan_at'),
    ])
    .groupBy([
      'repositories.id',
      'repositories.root',
      'repositories.name',
      'repositories.created_at',
    ])
    .orderBy('repositories.root')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    root: row.root,
    name: row.name,
    createdAt: row.created_at,
    // PostgreSQL returns count() as a bigint string.
    scans: Number(row.scans),
    lastScanAt: row.last_scan_at ?? undefined,
  }));
}

function newestScans(db: Kysely<Database>, root: string, limit: number) {
  return (
    db
      .selectFrom('scans')
      .innerJoin('repositories', 'repositories.id', 'scans.repository_id')
      .where('repositories.root', '=', root)
      // New-code scans (--since) score only changed files: they are not points on the full trend.
      .where('scans.since', 'is', null)
      .orderBy('scans.started_at', 'desc')
      .orderBy('scans.id', 'desc')
      .limit(limit)
  );
}

/** The id of the repository at `root`, registering it on first sight. */
export async function ensureRepository(trx: Transaction<Database>, root: string): Promise<number> {
  await trx
    .insertInto('repositories')
    .values({ root, name: basename(root) || root, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('root').doNothing())
    .execute();
  const { id } = await trx
    .selectFrom('repositories')
    .select('id')
    .where('root', '=', root)
    .executeTakeFirstOrThrow();
  return id;
}

async function insertScan({
  trx,
  repositoryId,
  startedAt,
  report,
  rows,
}: {
  trx: Transaction<Database>;
  repositoryId: number;
  startedAt: string;
  report: ScanReport;
  rows: Pick<ScansTable, 'result_hash' | 'rows_of'>;
}): Promise<number> {
  const row: Insertable<ScansTable> = {
    ...rows,
    repository_id: repositoryId,
    commit: report.repo.commit ?? null,
    branch: report.repo.branch ?? null,
    dirty: report.repo.dirty ? 1 : 0,
    started_at: startedAt,
    duration_ms: report.durationMs,
    since: report.since ?? null,
    score: report.score.score,
    grade: report.score.grade,
    components: JSON.stringify(report.score.components),
    files: report.summary.files,
    findings: report.summary.findings,
    debt_minutes: report.summary.debtMinutes,
    tool_version: report.tool.version,
    gate_passed: report.gate.passed ? 1 : 0,
    hotspots_unavailable: report.hotspotsUnavailable ?? null,
  };
  const { id } = await trx
    .insertInto('scans')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Identifies a scan's file and finding rows, exactly as they would be stored. */
function hashRows(files: readonly unknown[][], findings: readonly unknown[][]): string {
  return createHash('sha256')
    .update(JSON.stringify([files, findings]))
    .digest('hex');
}

/** Stored as UTC ISO-8601 so that text order is time order, on any database. */
function normaliseTimestamp(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new InputError(`scan report has an invalid startedAt: ${value}`);
  return new Date(time).toISOString();
}

const FILE_COLUMNS = [
  'scan_id',
  'path',
  'hash',
  'lang',
  'metrics',
  'score',
  'grade',
  'parse_error',
  'kind',
] as const satisfies readonly (keyof FileResultsTable)[];

/** A file's columns after the scan id. */
function fileRow(file: FileReport): unknown[] {
  return [
    file.path,
    file.hash,
    file.lang,
    JSON.stringify(file.metrics),
    file.score.score,
    file.score.grade,
    file.parseError ?? null,
    file.kind ?? 'source',
  ];
}

const FINDING_COLUMNS = [
  'scan_id',
  'rule_id',
  'category',
  'severity',
  'file',
  'line',
  'column',
  'end_line',
  'end_column',
  'message',
  'effort_minutes',
  'fixability',
  'baseline_state',
] as const satisfies readonly (keyof FindingsTable)[];

/** A finding's columns after the scan id. */
function findingRow(finding: Finding): unknown[] {
  const { location } = finding;
  return [
    finding.ruleId,
    finding.category,
    finding.severity,
    finding.file,
    location.line,
    location.column,
    location.endLine,
    location.endColumn,
    finding.message,
    finding.effortMinutes,
    finding.fixability,
    finding.baselineState ?? null,
  ];
}

/**
 * Inserts many rows with multi-row statements written out directly (the scan id first): for the
 * thousands of findings a scan records, building each row through the query builder cost more
 * than SQLite's own insert. Table and columns are constants of this module, never input.
 */
async function insertRows(
  trx: Transaction<Database>,
  { table, columns }: { table: 'file_results' | 'findings'; columns: readonly string[] },
  scanId: number,
  rows: readonly unknown[][],
): Promise<void> {
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (const part of chunk(rows, columns.length)) {
    const parameters: unknown[] = [];
    for (const row of part) parameters.push(scanId, ...row);
    const sql = head + Array.from({ length: part.length }, () => tuple).join(', ');
    await trx.executeQuery(CompiledQuery.raw(sql, parameters));
  }
}

function hotspotRow(scanId: number, hotspot: Hotspot): Insertable<HotspotsTable> {
  const { file, changes, complexity, risk } = hotspot;
  return { scan_id: scanId, file, changes, complexity, risk };
}

function toScanRecord(row: Selectable<ScansTable> & { root: string }): ScanRecord {
  return {
    id: row.id,
    root: row.root,
    commit: row.commit ?? undefined,
    branch: row.branch ?? undefined,
    dirty: row.dirty !== 0,
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    since: row.since ?? undefined,
    score: {
      score: row.score,
      grade: row.grade,
      components: JSON.parse(row.components) as Record<string, number>,
    },
    files: row.files,
    findings: row.findings,
    debtMinutes: row.debt_minutes,
    toolVersion: row.tool_version,
    gatePassed: row.gate_passed !== 0,
    hotspotsUnavailable: row.hotspots_unavailable ?? undefined,
  };
}

function toFileResult(row: Selectable<FileResultsTable>): StoredFileResult {
  const result: StoredFileResult = {
    path: row.path,
    hash: row.hash,
    lang: row.lang,
    metrics: JSON.parse(row.metrics) as FileMetrics,
    score: row.score,
    grade: row.grade,
    kind: row.kind,
  };
  if (row.parse_error !== null) result.parseError = row.parse_error;
  return result;
}

function toFinding(row: Selectable<FindingsTable>): Finding {
  return {
    ruleId: row.rule_id,
    category: row.category,
    severity: row.severity,
    message: row.message,
    file: row.file,
    location: {
      line: row.line,
      column: row.column,
      endLine: row.end_line,
      endColumn: row.end_column,
    },
    effortMinutes: row.effort_minutes,
    fixability: row.fixability,
    ...(row.baseline_state === null ? {} : { baselineState: row.baseline_state }),
  };
}
