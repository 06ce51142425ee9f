import type { FileMetrics, Finding, FunctionMetrics } from '../../core/index.js';
import { walk, type AstNode, type LineIndex } from '../ast.js';
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
  const handlers = new Map<string, ((node: AstNode, parent: AstNode | undefined) => void)[]>();
  // Exit handlers keyed by the bare node type, so the walk never builds a `Type:exit` string.
  const exitHandlers = new Map<string, ((node: AstNode, parent: AstNode | undefined) => void)[]>();

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
      report({ node, start, end, message, fix }) {
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

  const { onNode } = input;
  walk(input.program, {
    enter(node, parent) {
      if (onNode !== undefined) onNode(node, parent);
      const list = handlers.get(node.type);
      if (list) for (const handler of list) handler(node, parent);
    },
    leave:
      exitHandlers.size === 0
        ? undefined
        : (node, parent) => {
            const list = exitHandlers.get(node.type);
            if (list) for (const handler of list) handler(node, parent);
          },
  });
  return findings;
}
