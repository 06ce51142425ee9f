import { collectFixes, fileRules, type FindingFix } from '../../analysis/index.js';
import type { Finding } from '../../core/index.js';
import type { Model, ModelContext, Proposal, Task } from '../types.js';
import { followStyle } from './style.js';

/** Id of the model that applies the scanner's own rule fixes. */
export const CODEMODS_MODEL_ID = 'builtin:codemods';

/** The first quoted name of a message (`'total' is never reassigned` -> `total`). */
function quoted(finding: Finding): string {
  return /'([^']+)'/.exec(finding.message)?.[1] ?? '';
}

function named(prefix: string): (finding: Finding) => string {
  return (finding) => {
    const name = quoted(finding);
    return name ? `${prefix} '${name}'` : prefix;
  };
}

type Title = (finding: Finding, edits: FindingFix['edits']) => string;

/** A commit subject for each rule whose findings the codemods fix, keyed by rule id. */
const TITLES: Readonly<Record<string, Title>> = {
  'duplicate-import': named('Merge the imports of'),
  eqeqeq: (finding) => `Use '${quoted(finding)}'`,
  'no-debugger': () => "Remove a 'debugger' statement",
  'no-extra-boolean-cast': () => 'Remove a redundant boolean cast',
  'no-lonely-if': () => "Merge a lone 'if' into 'else if'",
  'no-non-null-asserted-optional-chain': () => 'Drop the non-null assertion on an optional chain',
  'no-redundant-boolean': () => 'Use the condition instead of boolean literals',
  'no-useless-catch': () => 'Remove a catch clause that only rethrows',
  'no-useless-else-after-return': () => "Remove an 'else' after a branch that exits",
  'no-var': (_finding, edits) => `Use ${edits[0]?.text ?? 'let'} instead of var`,
  'no-wrapper-object-types': (finding) => finding.message.replace(/\.$/, ''),
  'object-shorthand': named('Use the shorthand for'),
  'prefer-const': named('Use const for'),
  'prefer-early-return': () => 'Return early instead of nesting the function body',
  'prefer-optional-chain': () => 'Use an optional chain',
  'prefer-template': () => 'Use a template literal',
  'unreachable-code': () => 'Remove unreachable code',
  'unused-import': named('Remove the unused import'),
  'unused-variable': named('Remove the unused'),
  'use-isnan': () => 'Use Number.isNaN',
};

/** Rule ids whose findings `builtin:codemods` can fix, in alphabetical order. */
export const CODEMOD_RULES: readonly string[] = Object.keys(TITLES).sort();

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
  const { finding } = task;
  const title = TITLES[finding.ruleId];
  if (!title) return [];
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
      title: title(fix.finding, fix.edits),
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
    supports: (task) => Object.hasOwn(TITLES, task.finding.ruleId),
    propose,
  };
}
