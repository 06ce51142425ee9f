import { collectFixes, fileRules, type FindingFix } from '../../analysis/index.js';
import type { Finding } from '../../core/index.js';
import {
  isFindingTask,
  type Model,
  type ModelContext,
  type Proposal,
  type Task,
} from '../types.js';
import { followStyle } from './style.js';

/** Id of the model that applies the scanner's own rule fixes. */
export const CODEMODS_MODEL_ID = 'builtin:codemods';

/**
 * Rule ids whose findings `builtin:codemods` can fix, in alphabetical order: the rules with a fix
 * of their own, which only `safe-fix` rules may have (the rules' tests check both ways).
 */
export const CODEMOD_RULES: readonly string[] = fileRules
  .filter((r) => r.meta.fixability === 'safe-fix')
  .map((r) => r.meta.id)
  .sort();

const fixable: ReadonlySet<string> = new Set(CODEMOD_RULES);

const descriptions = new Map(fileRules.map((r) => [r.meta.id, r.meta.description]));

/**
 * The fix of the finding at the task's location: same line and column, or failing that the same
 * line and message (a column can shift when the rule changes how it reports).
 */
function fixFor(fixes: readonly FindingFix[], finding: Finding): FindingFix | undefined {
  const { line, column } = finding.location;
  const onLine = fixes.filter((f) => f.finding.location.line === line);
  return (
    onLine.find(
      (f) => f.finding.location.column === column && f.finding.message === finding.message,
    ) ??
    onLine.find((f) => f.finding.location.column === column) ??
    onLine.find((f) => f.finding.message === finding.message)
  );
}

async function propose(task: Task, context: ModelContext): Promise<Proposal[]> {
  if (!isFindingTask(task)) return [];
  const { finding } = task;
  if (!fixable.has(finding.ruleId)) return [];
  const source = await context.readFile(finding.file);
  const fixes = collectFixes({
    file: finding.file,
    source,
    ruleId: finding.ruleId,
    options: context.ruleOptions?.[finding.ruleId],
    only: (f) => f.location.line === finding.location.line,
  });
  const fix = fixFor(fixes, finding);
  if (!fix || fix.edits.length === 0) return [];
  return [
    {
      model: CODEMODS_MODEL_ID,
      title: fix.title,
      changes: [{ file: finding.file, edits: followStyle(finding.file, source, fix.edits) }],
      rationale: `${fix.finding.message} ${descriptions.get(finding.ruleId) ?? ''} The ${finding.ruleId} rule's own fix: it changes only what the rule flagged, keeps comments, and is not offered when behaviour could change.`,
    },
  ];
}

/**
 * The scanner's rule fixes as a model: deterministic, local, free. It proposes at most one
 * change per finding, and none when the rule has no safe fix for that case.
 */
export function createCodemodsModel(): Model {
  return {
    id: CODEMODS_MODEL_ID,
    builtin: true,
    // A fix and a refactor of a finding get the same engine change: the one it knows for the rule.
    supports: (task) => isFindingTask(task) && fixable.has(task.finding.ruleId),
    propose,
  };
}
