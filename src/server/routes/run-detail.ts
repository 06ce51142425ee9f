import { createRoute, z } from '@hono/zod-openapi';
import { describeError, type Finding } from '../../core/index.js';
import { codeHashOf } from '../../pipeline/index.js';
import {
  getImproveRun,
  listProposals,
  type ImproveRunDetail,
  type ProposalRecord,
} from '../../store/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { diffOfEdits } from '../edit-diff.js';
import { notFound } from '../errors.js';
import { commitDiff, readFileAtCommit } from '../git-read.js';
import { resolveRepository } from '../paths.js';
import { ERRORS, json, NOT_FOUND } from '../schemas.js';
import type { RunChangeSchema } from '../workbench-schemas.js';
import { RunDetailSchema, RunParams, RunQuery } from '../workbench-schemas.js';

type Proposal = ProposalRecord & { id: number };
type RunChange = z.infer<typeof RunChangeSchema>;

/** The parts of a stored evidence record (a `ChangeOutcome`) the run page reads. */
const Evidence = z.object({
  finding: z
    .object({
      ruleId: z.string(),
      message: z.string(),
      file: z.string(),
      location: z.object({
        line: z.number(),
        column: z.number(),
        endLine: z.number(),
        endColumn: z.number(),
      }),
    })
    .optional(),
  selection: z.string().optional(),
  proposedOn: z.string().optional(),
  changes: z
    .array(
      z.object({
        file: z.string(),
        edits: z.array(z.object({ start: z.number(), end: z.number(), text: z.string() })),
      }),
    )
    .optional(),
  checks: z
    .array(
      z.object({
        name: z.string(),
        ok: z.boolean(),
        detail: z.string().optional(),
        durationMs: z.number(),
      }),
    )
    .optional(),
  scores: z
    .array(z.object({ file: z.string(), before: z.number(), after: z.number().optional() }))
    .optional(),
});
type EvidenceRecord = z.infer<typeof Evidence>;

/** The parts of a stored improvement report the run page reads. */
const Report = z.object({
  kind: z.string().optional(),
  checks: z.array(z.object({ name: z.string(), ran: z.boolean(), detail: z.string() })).optional(),
  ordering: z.string().optional(),
  formatter: z.string().optional(),
  warnings: z.array(z.string()).optional(),
});

const runRoute = createRoute({
  method: 'get',
  path: '/api/repos/{id}/improvements/{runId}',
  summary:
    'An improvement run: each proposed change with its evidence and unified diff (git show of its commit, or its stored edits on the code they were proposed on)',
  request: { params: RunParams, query: RunQuery },
  responses: { 200: json(RunDetailSchema, 'Run'), ...ERRORS, ...NOT_FOUND },
});

/**
 * The commit whose code a change was proposed on: recorded since runs kept it; for older runs,
 * the base when no change before it was committed (the first round's), else unknown.
 */
function proposedOn(
  run: ImproveRunDetail,
  proposals: readonly Proposal[],
  index: number,
  evidence: EvidenceRecord,
): string | undefined {
  if (evidence.proposedOn !== undefined) return evidence.proposedOn;
  const earlier = proposals.slice(0, index).some((p) => p.commit !== undefined);
  return earlier ? undefined : run.baseCommit;
}

type Diff = Pick<RunChange, 'diff' | 'diffSource' | 'diffNote'>;

const noDiff = (diffNote: string): Diff => ({ diff: null, diffSource: null, diffNote });

/** A rejected or withheld change's diff, rebuilt from its stored edits, or why it cannot be. */
async function diffFromEdits(
  root: string,
  commit: string,
  evidence: EvidenceRecord & { hash: string },
): Promise<Diff> {
  const { changes, finding } = evidence;
  if (!changes || changes.length === 0 || !finding) return noDiff('diff not kept');
  const parts: string[] = [];
  for (const change of changes) {
    const read = await readFileAtCommit(root, commit, change.file);
    if (!read.ok) return noDiff(`diff not kept: ${read.message}`);
    // The finding's code must read the same as when the change was proposed, or the edits'
    // offsets would land elsewhere.
    if (change.file === finding.file && codeHashOf(finding as Finding, read.text) !== evidence.hash)
      return noDiff(
        `diff not kept: the code it was proposed on differs at commit ${commit.slice(0, 12)}`,
      );
    try {
      parts.push(diffOfEdits(change.file, read.text, change.edits));
    } catch (error) {
      return noDiff(`diff not kept: ${describeError(error)}`);
    }
  }
  return {
    diff: parts.join(''),
    diffSource: 'edits',
    diffNote: `not committed; its edits shown on commit ${commit.slice(0, 12)}`,
  };
}

async function diffOf(
  run: ImproveRunDetail,
  proposals: readonly Proposal[],
  index: number,
  evidence: EvidenceRecord & { hash: string },
): Promise<Diff> {
  const proposal = proposals[index]!;
  if (proposal.commit !== undefined) {
    const shown = await commitDiff(run.root, proposal.commit);
    if (!shown.ok) return noDiff(shown.message);
    return {
      diff: shown.diff,
      diffSource: 'commit',
      diffNote: shown.truncated ? 'the diff is cut: it is larger than the page shows' : null,
    };
  }
  const on = proposedOn(run, proposals, index, evidence);
  if (on === undefined)
    return noDiff('diff not kept: this run did not record which commit the change was proposed on');
  return diffFromEdits(run.root, on, evidence);
}

/** A proposal's own columns, as the page lists them. */
function outcomeOf(p: Proposal) {
  return {
    id: p.id,
    model: p.model,
    task: p.task,
    ruleId: p.ruleId,
    file: p.file,
    line: p.line,
    title: p.title,
    status: p.status,
    gate: p.gate ?? null,
    reason: p.reason ?? null,
    commit: p.commit ?? null,
    costUsd: p.costUsd ?? null,
    durationMs: p.durationMs,
  };
}

/** The evidence a proposal recorded: its finding, selection, checks and scores. */
function evidenceOf(evidence: EvidenceRecord) {
  return {
    message: evidence.finding?.message ?? null,
    selection: evidence.selection ?? null,
    checks: (evidence.checks ?? []).map((check) => ({ ...check, detail: check.detail ?? null })),
    scores: (evidence.scores ?? []).map((s) => ({
      file: s.file,
      before: s.before,
      after: s.after ?? null,
    })),
  };
}

async function changeOf(
  run: ImproveRunDetail,
  proposals: readonly Proposal[],
  index: number,
): Promise<RunChange> {
  const p = proposals[index]!;
  const parsed = Evidence.safeParse(p.evidence);
  const evidence = parsed.success ? parsed.data : {};
  return {
    ...outcomeOf(p),
    ...evidenceOf(evidence),
    ...(await diffOf(run, proposals, index, { ...evidence, hash: p.contentHash })),
  };
}

/** The run's own figures, and from its report the checks it could run and its warnings. */
function summaryOf(run: ImproveRunDetail) {
  const parsed = Report.safeParse(run.report);
  const report = parsed.success ? parsed.data : {};
  return {
    id: run.id,
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    status: run.status,
    kind: report.kind ?? null,
    branch: run.branch ?? null,
    baseCommit: run.baseCommit,
    headCommit: run.headCommit ?? null,
    scoreBefore: run.scoreBefore,
    scoreAfter: run.scoreAfter,
    accepted: run.accepted,
    rejected: run.rejected,
    validations: run.validations,
    checks: report.checks ?? [],
    ordering: report.ordering ?? null,
    formatter: report.formatter ?? null,
    warnings: report.warnings ?? [],
  };
}

export function registerRunDetailRoutes(app: ApiApp, deps: AppDeps): void {
  const { store } = deps;
  app.openapi(runRoute, async (c) => {
    const { id, runId } = c.req.valid('param');
    const { limit, offset } = c.req.valid('query');
    const repo = await resolveRepository(store, id);
    const run = await getImproveRun(store, runId);
    if (!run || run.root !== repo.root)
      throw notFound(`improvement run ${runId} is not a run of repository ${id}`);
    const proposals = await listProposals(store, run.id);
    const changes: RunChange[] = [];
    const end = Math.min(proposals.length, offset + limit);
    // One at a time: each change may start git, and a page must not start dozens at once.
    for (let index = offset; index < end; index++)
      changes.push(await changeOf(run, proposals, index));
    return c.json({ run: summaryOf(run), total: proposals.length, offset, limit, changes }, 200);
  });
}
