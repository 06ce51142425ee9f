import { skipByContent, skipByPath } from '../../analysis/index.js';
import {
  describeError,
  OutsideRepositoryError,
  ProviderError,
  resolveInside,
  type Finding,
  applyEdits,
  type FileChange,
} from '../../core/index.js';
import { minimalEdit } from '../../fixes/index.js';
import {
  BudgetExceededError,
  isLlmModel,
  rankModels,
  type Choice,
  type LlmFixResult,
  type Task,
  type Model,
  type Proposal,
} from '../../models/index.js';
import { codeHashOf, keyOf, reject, type RunContext } from './context.js';
import type { Candidate } from './gate.js';

/*
 * Proposing: which models to ask for each finding, in which order and why; what an LLM's failure
 * or unusable answer means for the run; repairs of rejected LLM changes.
 */

interface Found {
  model: Model;
  selection: string;
  proposal: Proposal;
  ms: number;
  repair?: number;
}

/** The models to ask for a task, in order, each with why it is there. */
function choicesFor(ctx: RunContext, task: Task): Choice[] {
  const { selection, models } = ctx.deps;
  if (selection) {
    return rankModels(task, models, selection.stats, { random: selection.random ?? Math.random });
  }
  return models
    .filter((m) => m.supports(task))
    .map((model) => ({ model, reason: 'models asked in the order given' }));
}

/** The repo map of a prompt about `file`; a failure to build it is said once, in the run's warnings. */
async function repoMapFor(ctx: RunContext, file: string): Promise<string> {
  if (!ctx.deps.repoMap) return '';
  const { text, failure } = await ctx.deps.repoMap([file]);
  if (failure !== undefined && !ctx.warnings.includes(failure)) ctx.warnings.push(failure);
  return text;
}

/** The change as search/replace blocks over the code it was made on: what a repair prompt shows. */
async function summarise(ctx: RunContext, changes: readonly FileChange[]): Promise<string> {
  const parts: string[] = [];
  for (const change of changes) {
    const base = await ctx.state.base(change.file);
    for (const edit of change.edits) {
      parts.push(
        `${change.file}\n<<<<<<< SEARCH\n${base.slice(edit.start, edit.end)}\n=======\n${edit.text}\n>>>>>>> REPLACE`,
      );
    }
  }
  return parts.join('\n');
}

/** A provider failure moves on to the next model; a spent budget stops the LLM models. */
function providerFailure(ctx: RunContext, model: Model, error: unknown): void {
  if (!(error instanceof ProviderError)) throw error;
  const message = `${model.id}: ${describeError(error)}`;
  if (error instanceof BudgetExceededError) {
    ctx.llmStopped = message;
    ctx.warnings.push(`budget spent, no more LLM calls in this run: ${describeError(error)}`);
  } else if (!ctx.warnings.includes(message)) {
    ctx.warnings.push(message);
  }
}

/** An answer an LLM gave that made no usable change: a rejected proposal, never a crash. */
function rejectAnswer({
  ctx,
  input,
  result,
  ms,
  repair,
}: {
  ctx: RunContext;
  input: { model: Model; finding: Finding; contentHash: string; selection: string };
  result: LlmFixResult;
  ms: number;
  repair: number | undefined;
}): void {
  const rejected = result.rejected;
  if (!rejected) return;
  reject(
    ctx,
    {
      id: ctx.nextId++,
      finding: input.finding,
      model: input.model,
      selection: input.selection,
      title: `Unusable answer for ${input.finding.ruleId}`,
      changes: [],
      contentHash: input.contentHash,
      proposeMs: ms,
      ...(rejected.usage.costUsd !== undefined ? { costUsd: rejected.usage.costUsd } : {}),
      deployment: rejected.model,
      ...(repair !== undefined ? { repair } : {}),
      checks: [],
      scores: [],
    },
    {
      ok: false,
      gate: 'parse',
      reason: `unusable answer from ${rejected.model}: ${rejected.reason}`,
    },
  );
}

/**
 * Whether every file a proposal changes lies inside the repository and behind no symlink; one
 * that does not is dropped with a warning here rather than refused by the write later.
 */
async function isConfined(ctx: RunContext, model: Model, proposal: Proposal): Promise<boolean> {
  for (const change of proposal.changes) {
    try {
      await resolveInside(ctx.root, change.file);
    } catch (error) {
      if (!(error instanceof OutsideRepositoryError)) throw error;
      const message = `${model.id}: a proposal was dropped: ${error.message}`;
      if (!ctx.warnings.includes(message)) ctx.warnings.push(message);
      return false;
    }
  }
  return true;
}

/**
 * Why a file is not the repository's own code to edit (vendored, bundled, minified, generated or
 * otherwise skipped by the scan), judged afresh from its path and content so that a scan told to
 * include such files still never leads to an edit of one; undefined for a file improve may change.
 */
async function notOurs(ctx: RunContext, file: string): Promise<string | undefined> {
  const skipped = ctx.gate.report.skipped.find((s) => s.path === file);
  if (skipped) return `${skipped.reason}: ${skipped.detail}`;
  const byPath = skipByPath(file);
  if (byPath) return `${byPath.reason}: ${byPath.detail}`;
  // A file that does not exist yet is one the proposal creates.
  const text = await ctx.state.base(file).catch(() => undefined);
  const byContent = text === undefined ? undefined : skipByContent(Buffer.from(text));
  return byContent && `${byContent.reason}: ${byContent.detail}`;
}

function warnOnce(ctx: RunContext, message: string): void {
  if (!ctx.warnings.includes(message)) ctx.warnings.push(message);
}

/** Whether a proposal changes only files the repository wrote; one that does not is dropped. */
async function editsOnlyOurs(ctx: RunContext, model: Model, proposal: Proposal): Promise<boolean> {
  for (const change of proposal.changes) {
    const why = await notOurs(ctx, change.file);
    if (why === undefined) continue;
    warnOnce(ctx, `${model.id}: a proposal was dropped: it edits ${change.file} (${why})`);
    return false;
  }
  return true;
}

/**
 * `ask`, keeping only a proposal whose files are all confined to the repository and all code the
 * repository wrote.
 */
async function askConfined(
  ctx: RunContext,
  model: Model,
  task: Task,
  input: { finding: Finding; contentHash: string; selection: string },
): ReturnType<typeof ask> {
  const answer = await ask(ctx, model, task, input);
  if (!answer || !(await isConfined(ctx, model, answer.proposal))) return undefined;
  return (await editsOnlyOurs(ctx, model, answer.proposal)) ? answer : undefined;
}

/** Asks one model; undefined when it has nothing usable (or failed, which is noted). */
async function ask(
  ctx: RunContext,
  model: Model,
  task: Task,
  input: { finding: Finding; contentHash: string; selection: string },
): Promise<{ proposal: Proposal; ms: number } | undefined> {
  const context = {
    root: ctx.root,
    readFile: (file: string) => ctx.state.base(file),
    ruleOptions: ctx.ruleOptions(input.finding.file),
    repoMap: () => repoMapFor(ctx, input.finding.file),
  };
  const started = performance.now();
  try {
    if (!isLlmModel(model)) {
      const proposals = await model.propose(task, context);
      const found = proposals.find((p) => p.changes.some((c) => c.edits.length > 0));
      return found && { proposal: found, ms: performance.now() - started };
    }
    const result = await model.proposeFix(task, context);
    const ms = performance.now() - started;
    for (const warning of result.warnings) {
      if (!ctx.warnings.includes(warning)) ctx.warnings.push(warning);
    }
    const found = result.proposals.find((p) => p.changes.some((c) => c.edits.length > 0));
    if (found) return { proposal: found, ms };
    rejectAnswer({ ctx, input: { model, ...input }, result, ms, repair: task.repair?.attempt });
    return undefined;
  } catch (error) {
    providerFailure(ctx, model, error);
    return undefined;
  }
}

/**
 * The first usable proposal for a finding, formatted, from the models in the order chosen for it;
 * undefined when none has one. A model whose change was rejected on the same code is skipped,
 * unless it is an LLM with repairs left: then it is asked again with the gate's errors.
 */
async function proposeFor(
  ctx: RunContext,
  finding: Finding,
  contentHash: string,
): Promise<Found | undefined> {
  const tried: string[] = [];
  for (const choice of choicesFor(ctx, ctx.kind.task(finding))) {
    const { model } = choice;
    if (!model.builtin && ctx.llmStopped !== undefined) continue;
    const key = keyOf(model, finding, contentHash);
    const repair = ctx.repairs.get(key);
    if (ctx.rejected.has(key) && !repair) continue;
    ctx.repairs.delete(key);
    const task = ctx.kind.task(finding, repair);
    const earlier = tried.length > 0 ? `; ${tried.join(', ')} had no usable proposal` : '';
    const repairing = repair
      ? `; repair ${repair.attempt} after ${repair.errors.split(':')[0]}`
      : '';
    const selection = `${choice.reason}${earlier}${repairing}`;
    const answer = await askConfined(ctx, model, task, { finding, contentHash, selection });
    tried.push(model.id);
    if (!answer) continue;
    const proposal = {
      ...answer.proposal,
      changes: await formatChanges(ctx, answer.proposal.changes),
    };
    return {
      model,
      selection,
      proposal,
      ms: answer.ms,
      ...(repair ? { repair: repair.attempt } : {}),
    };
  }
  return undefined;
}

/**
 * Asks the models, in order, for a change to each finding; the first model with a proposal not
 * rejected before on the same code wins. Changes that overlap one already chosen wait for the next
 * round, when they are proposed again on the new code.
 */
export async function propose(
  ctx: RunContext,
  findings: readonly Finding[],
  limit: number,
): Promise<Candidate[]> {
  const chosen: Candidate[] = [];
  for (const finding of findings) {
    if (chosen.length >= limit) break;
    const text = await ctx.state.base(finding.file).catch(() => undefined);
    if (text === undefined) continue;
    const why = await notOurs(ctx, finding.file);
    if (why !== undefined) {
      warnOnce(ctx, `left ${finding.file} alone (${why}): code the repository did not write`);
      continue;
    }
    const contentHash = codeHashOf(finding, text);
    const found = await proposeFor(ctx, finding, contentHash);
    if (!found || chosen.some((c) => changesTouch(c, found.proposal.changes))) continue;
    const { usage } = found.proposal;
    chosen.push({
      id: ctx.nextId++,
      finding,
      model: found.model,
      selection: found.selection,
      title: found.proposal.title,
      changes: found.proposal.changes,
      contentHash,
      proposeMs: found.ms,
      ...(usage?.costUsd !== undefined ? { costUsd: usage.costUsd } : {}),
      ...(found.model.builtin
        ? {}
        : {
            deployment: found.proposal.model,
            summary: await summarise(ctx, found.proposal.changes),
          }),
      ...(found.repair !== undefined ? { repair: found.repair } : {}),
      checks: [],
      scores: [],
    });
  }
  return chosen;
}

/** Formats changed files as the repository does, when it has a formatter; see `Formatter`. */
async function formatChanges(ctx: RunContext, changes: FileChange[]): Promise<FileChange[]> {
  if (!ctx.formatter) return changes;
  const formatted: FileChange[] = [];
  for (const change of changes) {
    const base = await ctx.state.base(change.file);
    const proposed = applyEdits(base, change.edits);
    const edit = minimalEdit(base, await ctx.formatter.format(change.file, base, proposed));
    formatted.push({ file: change.file, edits: edit ? [edit] : [] });
  }
  return formatted;
}

function changesTouch(candidate: Candidate, changes: Candidate['changes']): boolean {
  const files = new Set(candidate.changes.map((c) => c.file));
  // Two changes in one file are validated together only if their edits are far apart.
  return changes.some(
    (c) =>
      files.has(c.file) &&
      candidate.changes.some(
        (d) =>
          d.file === c.file &&
          d.edits.some((e) => c.edits.some((f) => e.start <= f.end + 1 && f.start <= e.end + 1)),
      ),
  );
}
