import type { z } from '@hono/zod-openapi';
import { createRoute } from '@hono/zod-openapi';
import { orderByValue } from '../../analysis/index.js';
import { SEVERITIES, type FileKind, type Finding } from '../../core/index.js';
import {
  getScan,
  latestScan,
  listFileProposals,
  type StoredScan,
  type Store,
} from '../../store/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { ApiError, notFound } from '../errors.js';
import { isCommitOf, readFileAtCommit, type BlobRead } from '../git-read.js';
import { resolveRepository } from '../paths.js';
import { ErrorSchema, ERRORS, IdParams, json, NOT_FOUND } from '../schemas.js';
import type { FindingItemSchema } from '../workbench-schemas.js';
import {
  FileQuery,
  FileViewSchema,
  FindingsPageSchema,
  FindingsQuery,
} from '../workbench-schemas.js';

/** Proposals about a file listed in its code view, newest first. */
const FILE_PROPOSALS = 50;

type FindingItem = z.infer<typeof FindingItemSchema>;
type Filters = z.infer<typeof FindingsQuery>;
type FacetName = 'rule' | 'severity' | 'category' | 'kind' | 'baseline';

function toItem(finding: Finding, kind: FileKind): FindingItem {
  const { location } = finding;
  return {
    ruleId: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    file: finding.file,
    kind,
    line: location.line,
    column: location.column,
    endLine: location.endLine,
    endColumn: location.endColumn,
    message: finding.message,
    effortMinutes: finding.effortMinutes,
    fixability: finding.fixability,
    baselineState: finding.baselineState ?? null,
  };
}

/** Each filter as a facet: the value a finding has for it, and the value asked for. */
function facetsOf(filters: Filters): Record<FacetName, [(f: FindingItem) => string, string?]> {
  return {
    rule: [(f) => f.ruleId, filters.rule],
    severity: [(f) => f.severity, filters.severity],
    category: [(f) => f.category, filters.category],
    kind: [(f) => f.kind, filters.kind],
    baseline: [(f) => f.baselineState ?? 'none', filters.baseline],
  };
}

function matchesPath(item: FindingItem, filters: Filters): boolean {
  if (filters.file !== undefined && !item.file.includes(filters.file)) return false;
  return filters.prefix === undefined || item.file.startsWith(filters.prefix);
}

/**
 * The findings that pass every filter, and for each facet the counts of its values among the
 * findings that pass every other filter: what choosing that value would leave.
 */
export function filterFindings(items: readonly FindingItem[], filters: Filters) {
  const facets = facetsOf(filters);
  const names = Object.keys(facets) as FacetName[];
  const failed = (item: FindingItem): FacetName[] =>
    names.filter((name) => {
      const [value, wanted] = facets[name];
      return wanted !== undefined && value(item) !== wanted;
    });
  const counts = Object.fromEntries(names.map((n) => [n, {} as Record<string, number>])) as Record<
    FacetName,
    Record<string, number>
  >;
  const kept: FindingItem[] = [];
  for (const item of items) {
    if (!matchesPath(item, filters)) continue;
    const misses = failed(item);
    if (misses.length === 0) kept.push(item);
    // A finding that fails one filter only still counts for that filter's facet.
    const countedIn = misses.length === 0 ? names : misses.length === 1 ? misses : [];
    for (const name of countedIn) {
      const key = facets[name][0](item);
      counts[name][key] = (counts[name][key] ?? 0) + 1;
    }
  }
  return { kept, counts };
}

function ordered(scan: StoredScan, order: Filters['order']): Finding[] {
  if (order === 'value')
    return orderByValue(
      { findings: scan.findings, hotspots: scan.hotspots, files: scan.files },
      undefined,
      { includeTests: true },
    );
  const severity = (f: Finding): number => SEVERITIES.indexOf(f.severity);
  return [...scan.findings].sort(
    (a, b) =>
      (order === 'severity' ? severity(a) - severity(b) : 0) ||
      a.file.localeCompare(b.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column,
  );
}

/** The scan a request names (its own, or the newest full scan of the repository), or 404. */
export async function scanOf(store: Store, root: string, scanId?: number): Promise<StoredScan> {
  if (scanId === undefined) {
    const scan = await latestScan(store, root);
    if (!scan) throw new ApiError(409, 'not-scanned', `${root} has no scan yet`);
    return scan;
  }
  const scan = await getScan(store, scanId);
  if (!scan || scan.scan.root !== root)
    throw notFound(`scan ${scanId} is not a scan of this repository`);
  return scan;
}

function scanRef(scan: StoredScan) {
  return {
    id: scan.scan.id,
    at: scan.scan.startedAt,
    commit: scan.scan.commit ?? null,
    dirty: scan.scan.dirty,
  };
}

const findingsRoute = createRoute({
  method: 'get',
  path: '/api/repos/{id}/findings',
  summary: "A scan's findings, filtered, in pages, with counts per filter value",
  request: { params: IdParams, query: FindingsQuery },
  responses: {
    200: json(FindingsPageSchema, 'Findings'),
    409: json(ErrorSchema, 'Not scanned yet'),
    ...ERRORS,
    ...NOT_FOUND,
  },
});

const fileRoute = createRoute({
  method: 'get',
  path: '/api/repos/{id}/file',
  summary:
    "One file of a scan: its text at the scan's commit (read from git, never the working tree), its findings and the proposals about it",
  request: { params: IdParams, query: FileQuery },
  responses: {
    200: json(FileViewSchema, 'File'),
    409: json(ErrorSchema, 'Not scanned yet'),
    ...ERRORS,
    ...NOT_FOUND,
  },
});

/** A file read from git as the code view sends it: its text, or why not. */
function asContent(read: BlobRead) {
  return read.ok
    ? { content: read.text, unavailable: null }
    : { content: null, unavailable: { reason: read.reason, message: read.message } };
}

/** What the code view shows of a file: its text, or why not. */
async function contentOf(scan: StoredScan, path: string, hash: string) {
  const { commit, dirty, root } = scan.scan;
  if (commit === undefined)
    return {
      content: null,
      unavailable: {
        reason: 'no-commit',
        message:
          'the scan recorded no commit (not a git repository, or no commits yet), so the file as scanned is not available',
      },
    };
  // A clean scan read exactly its commit; a dirty one only for files whose content matches it.
  return asContent(await readFileAtCommit(root, commit, path, dirty ? hash : undefined));
}

export function registerFindingRoutes(app: ApiApp, deps: AppDeps): void {
  const { store } = deps;

  app.openapi(findingsRoute, async (c) => {
    const repo = await resolveRepository(store, c.req.valid('param').id);
    const filters = c.req.valid('query');
    const scan = await scanOf(store, repo.root, filters.scan);
    const kinds = new Map(scan.files.map((f) => [f.path, f.kind]));
    const items = ordered(scan, filters.order).map((f) => toItem(f, kinds.get(f.file) ?? 'source'));
    const { kept, counts } = filterFindings(items, filters);
    const recorded = items.some((i) => i.baselineState !== null);
    return c.json(
      {
        scan: scanRef(scan),
        total: kept.length,
        offset: filters.offset,
        limit: filters.limit,
        order: filters.order,
        findings: kept.slice(filters.offset, filters.offset + filters.limit),
        facets: {
          rule: counts.rule,
          severity: counts.severity,
          category: counts.category,
          kind: counts.kind,
          baseline: recorded ? counts.baseline : null,
        },
      },
      200,
    );
  });

  app.openapi(fileRoute, async (c) => {
    const repo = await resolveRepository(store, c.req.valid('param').id);
    const { path, scan: scanId, commit } = c.req.valid('query');
    const scan = await scanOf(store, repo.root, scanId);
    const file = scan.files.find((f) => f.path === path);
    if (!file) throw notFound(`${path} is not a file of scan ${scan.scan.id}`);
    if (commit !== undefined && !(await isCommitOf(repo.root, commit)))
      throw notFound(`${commit.slice(0, 12)} is not a commit of this repository`);
    // At another commit the scan's line numbers may not hold, so its findings are left out.
    const other = commit !== undefined && commit !== scan.scan.commit;
    const findings = scan.findings
      .filter((f) => !other && f.file === path)
      .sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column)
      .map((f) => toItem(f, file.kind));
    const proposals = await listFileProposals(store, repo.root, path, FILE_PROPOSALS);
    return c.json(
      {
        scan: scanRef(scan),
        file: {
          path: file.path,
          kind: file.kind,
          lang: file.lang,
          score: file.score,
          grade: file.grade,
        },
        commit: other ? commit : (scan.scan.commit ?? null),
        ...(other
          ? asContent(await readFileAtCommit(repo.root, commit, path))
          : await contentOf(scan, path, file.hash)),
        findings,
        proposals: proposals.map((p) => ({ ...p, gate: p.gate ?? null, reason: p.reason ?? null })),
      },
      200,
    );
  });
}
