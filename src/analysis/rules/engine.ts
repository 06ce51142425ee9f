import type { FileMetrics, Finding, FunctionMetrics } from '../../core/index.js';
import { visitorKeys } from 'oxc-parser';
import { pushChildren, type AstNode, type LineIndex } from '../ast.js';
import type { Comment } from 'oxc-parser';
import type { ActiveRule, FileRule, Lang, RuleContext, RuleFix, RuleVisitor } from './types.js';

export interface FileRuleInput {
  file: string;
  source: string;
  lang: Lang;
  program: AstNode;
  lines: LineIndex;
  comments: readonly Comment[];
  fileMetrics: FileMetrics;
  functions: readonly FunctionMetrics[];
  /**
   * When given, the fix of each finding that has one is recorded here, uncalled. Scans leave it out,
   * so a rule's fix costs nothing unless fixes are being collected.
   */
  fixes?: Map<Finding, RuleFix>;
  /** Sees every node of the rules' walk first, so other per-node work needs no walk of its own. */
  onNode?: (node: AstNode, parent: AstNode | undefined) => unknown;
}

/** Runs every active file rule over one AST in a single traversal. */
export function runFileRules(
  rules: readonly ActiveRule<FileRule>[],
  input: FileRuleInput,
): Finding[] {
  const findings: Finding[] = [];
  const fixes = input.fixes;
  // Keyed by a number built from both offsets: no string per lookup on this hot path.
  const byOffsets = new Map<number, FunctionMetrics>();
  for (const fn of input.functions) byOffsets.set(fn.start * 2 ** 32 + fn.end, fn);
  const handlers = new Map<string, Handler[]>();
  // Exit handlers keyed by the bare node type, so the walk never builds a `Type:exit` string.
  const exitHandlers = new Map<string, Handler[]>();

  for (const active of rules) {
    const { rule, severity, options } = active;
    const context: RuleContext = {
      file: input.file,
      source: input.source,
      lang: input.lang,
      program: input.program,
      lines: input.lines,
      comments: input.comments,
      options,
      fileMetrics: input.fileMetrics,
      functions: input.functions,
      metricsFor: (node) => byOffsets.get(node.start * 2 ** 32 + node.end),
      report({ node, start, end, message, fix, measure }) {
        const from = start ?? node?.start ?? 0;
        const to = end ?? node?.end ?? from;
        const finding: Finding = {
          ruleId: rule.meta.id,
          category: rule.meta.category,
          severity,
          message: message ?? rule.meta.description,
          file: input.file,
          location: input.lines.location(from, to),
          effortMinutes: rule.meta.effortMinutes,
          fixability: rule.meta.fixability,
          ...(measure ? { measure } : {}),
        };
        findings.push(finding);
        if (fixes !== undefined && fix !== undefined) fixes.set(finding, fix);
      },
    };
    const visitor: RuleVisitor = rule.create(context);
    for (const [key, handler] of Object.entries(visitor)) {
      if (!handler) continue;
      const exit = key.endsWith(':exit');
      const map = exit ? exitHandlers : handlers;
      const type = exit ? key.slice(0, -':exit'.length) : key;
      const list = map.get(type) ?? [];
      list.push(handler);
      map.set(type, list);
    }
  }

  walkRules(input.program, handlers, exitHandlers, input.onNode);
  return findings;
}

type Handler = (node: AstNode, parent: AstNode | undefined) => void;

/** What the rules' walk needs of one node type, looked up once per node. */
interface TypeEntry {
  keys: readonly string[] | undefined;
  enter: Handler[] | undefined;
  exit: Handler[] | undefined;
}

/**
 * `walk` from ast.ts, specialised for the rules: one lookup per node gives its children's keys and
 * its handlers, and only nodes with exit handlers are revisited. It visits every node of every file.
 */
function walkRules(
  program: AstNode,
  handlers: ReadonlyMap<string, Handler[]>,
  exitHandlers: ReadonlyMap<string, Handler[]>,
  onNode: FileRuleInput['onNode'],
): void {
  const entries = new Map<string, TypeEntry>();
  // Triples of (node, parent, undefined to enter | the node's entry to exit).
  const stack: unknown[] = [program, undefined, undefined];
  while (stack.length > 0) {
    const exit = stack.pop() as TypeEntry | undefined;
    const parent = stack.pop() as AstNode | undefined;
    const node = stack.pop() as AstNode;
    if (exit !== undefined) {
      for (const handler of exit.exit!) handler(node, parent);
      continue;
    }
    if (onNode !== undefined) onNode(node, parent);
    const type = node.type;
    let entry = entries.get(type);
    if (entry === undefined) {
      entry = { keys: visitorKeys[type], enter: handlers.get(type), exit: exitHandlers.get(type) };
      entries.set(type, entry);
    }
    if (entry.enter !== undefined) for (const handler of entry.enter) handler(node, parent);
    if (entry.exit !== undefined) stack.push(node, parent, entry);
    if (entry.keys !== undefined) pushChildren(stack, node, entry.keys, undefined);
  }
}
