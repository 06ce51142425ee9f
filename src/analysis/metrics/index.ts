// Placeholder until the metrics module lands: the real implementation replaces this file.
import type { Comment } from 'oxc-parser';
import type { FileMetrics, FunctionMetrics } from '../../core/index.js';
import type { AstNode, LineIndex } from '../ast.js';

export type LocalFileMetrics = Omit<FileMetrics, 'duplicatedLines' | 'fanIn' | 'fanOut'>;

export interface MetricsInput {
  program: AstNode;
  source: string;
  lines: LineIndex;
  comments: readonly Comment[];
}

export function computeMetrics(input: MetricsInput): { file: LocalFileMetrics; functions: FunctionMetrics[] } {
  return {
    file: {
      physicalLines: input.lines.lineCount,
      codeLines: 0,
      commentLines: 0,
      logicalLines: 0,
      functions: 0,
      cyclomatic: 0,
      cognitive: 0,
      maxCognitive: 0,
      maxCyclomatic: 0,
      maxNesting: 0,
      halsteadVolume: 0,
      halsteadEffort: 0,
      maintainability: 100,
    },
    functions: [],
  };
}
