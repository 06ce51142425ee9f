import type { Comment } from 'oxc-parser';
import type { FileMetrics, FunctionMetrics } from '../../core/index.js';
import type { AstNode, LineIndex } from '../ast.js';
import { CognitiveCounter } from './cognitive.js';
import { CyclomaticCounter } from './cyclomatic.js';
import { HalsteadCounter } from './halstead.js';
import { countLines, LogicalLineCounter } from './lines.js';
import { maintainabilityIndex } from './maintainability.js';
import { functionName } from './names.js';
import { NestingCounter } from './nesting.js';
import { FUNCTION, traverse, type NodeVisitor, type TypeInfo } from './traverse.js';

/** File metrics known from the file alone; the rest come from repository-wide passes. */
export type LocalFileMetrics = Omit<FileMetrics, 'duplicatedLines' | 'fanIn' | 'fanOut'>;

export interface MetricsInput {
  program: AstNode;
  source: string;
  lines: LineIndex;
  comments: readonly Comment[];
}

export interface MetricsResult {
  file: LocalFileMetrics;
  /** One entry per function with a body, in source order, nested functions included. */
  functions: FunctionMetrics[];
}

/** Collects function nodes in source order, with their names. */
class FunctionCollector {
  readonly found: { node: AstNode; name: string }[] = [];
  private readonly ancestors: AstNode[] = [];

  constructor(private readonly source: string) {}

  enter(node: AstNode, info: TypeInfo): void {
    if ((info.kind & FUNCTION) !== 0) {
      this.found.push({ node, name: functionName(node, this.ancestors, this.source) });
    }
    this.ancestors.push(node);
  }

  leave(): void {
    this.ancestors.pop();
  }
}

/** Every counter behind one visitor, so each call site sees one class and the walk happens once. */
class MetricsVisitor implements NodeVisitor {
  readonly collector: FunctionCollector;
  readonly cognitive = new CognitiveCounter();
  readonly cyclomatic = new CyclomaticCounter();
  readonly halstead = new HalsteadCounter();
  readonly nesting = new NestingCounter();
  readonly logical = new LogicalLineCounter();

  constructor(source: string) {
    this.collector = new FunctionCollector(source);
  }

  enter(node: AstNode, info: TypeInfo, parent: AstNode | undefined, parentKind: number): void {
    this.collector.enter(node, info);
    this.cognitive.enter(node, info, parent, parentKind);
    this.cyclomatic.enter(node, info, parent, parentKind);
    this.halstead.enter(node, info, parent, parentKind);
    this.nesting.enter(node, info, parent, parentKind);
    this.logical.enter(node, info, parent, parentKind);
  }

  leave(node: AstNode, info: TypeInfo, parent: AstNode | undefined, parentKind: number): void {
    this.collector.leave();
    this.cognitive.leave(node, info, parent, parentKind);
    this.cyclomatic.leave(node, info, parent, parentKind);
    this.halstead.leave(node, info);
    this.nesting.leave(node, info, parent, parentKind);
    this.logical.leave(node, info);
  }
}

/**
 * Computes every per-function and per-file metric in one walk of the AST.
 *
 * Per function, cyclomatic, cognitive, Halstead, logical lines and nesting cover the function's
 * own code (nested functions have their own entries), as ESLint's `complexity` and sonarjs's
 * `cognitive-complexity` count them; physical lines are the span of the node.
 *
 * Per file: `cyclomatic` is the sum over functions plus the decision points outside functions
 * (top-level code, class field initializers, static blocks), with no base 1 for the file, so a
 * file without functions or branches scores 0. `cognitive` is sonarjs's file complexity: code
 * outside functions plus, for each top-level function, its own complexity and its nested
 * functions' (see cognitive.ts). `maxNesting` also covers code outside functions; the Halstead
 * measures and the maintainability index are those of the whole program.
 */
export function computeMetrics(input: MetricsInput): MetricsResult {
  const { program, source, lines, comments } = input;
  const visitor = new MetricsVisitor(source);
  traverse(program, visitor);
  const { collector, cognitive, cyclomatic, halstead, nesting, logical } = visitor;

  const functions: FunctionMetrics[] = collector.found.map(({ node, name }) => {
    const line = lines.lineOf(node.start);
    const endLine = lines.lineOf(Math.max(node.start, node.end - 1));
    const fnHalstead = halstead.byFunction.get(node)!;
    const fnCyclomatic = cyclomatic.byFunction.get(node) ?? 1;
    const logicalLines = logical.byFunction.get(node) ?? 0;
    return {
      name,
      start: node.start,
      end: node.end,
      line,
      endLine,
      physicalLines: endLine - line + 1,
      logicalLines,
      cyclomatic: fnCyclomatic,
      cognitive: cognitive.byFunction.get(node) ?? 0,
      maxNesting: nesting.byFunction.get(node) ?? 0,
      params: countParams(node),
      halstead: fnHalstead,
      maintainability: maintainabilityIndex(fnHalstead.volume, fnCyclomatic, logicalLines),
    };
  });

  const counts = countLines(source, comments);
  const fileHalstead = halstead.file.metrics();
  let fileCyclomatic = cyclomatic.outside;
  let maxCognitive = 0;
  let maxCyclomatic = 0;
  let maxNesting = nesting.outside.max;
  for (const fn of functions) {
    fileCyclomatic += fn.cyclomatic;
    maxCognitive = Math.max(maxCognitive, fn.cognitive);
    maxCyclomatic = Math.max(maxCyclomatic, fn.cyclomatic);
    maxNesting = Math.max(maxNesting, fn.maxNesting);
  }
  return {
    file: {
      physicalLines: counts.physical,
      codeLines: counts.code,
      commentLines: counts.comment,
      logicalLines: logical.file,
      functions: functions.length,
      cyclomatic: fileCyclomatic,
      cognitive: cognitive.fileComplexity,
      maxCognitive,
      maxCyclomatic,
      maxNesting,
      halsteadVolume: fileHalstead.volume,
      halsteadEffort: fileHalstead.effort,
      maintainability: maintainabilityIndex(fileHalstead.volume, fileCyclomatic, logical.file),
    },
    functions,
  };
}

/** Declared parameters; TypeScript's `this` parameter is a type annotation, not a parameter. */
function countParams(fn: AstNode): number {
  const params = fn.params as AstNode[];
  let count = 0;
  for (const param of params) if (!(param.type === 'Identifier' && param.name === 'this')) count++;
  return count;
}
