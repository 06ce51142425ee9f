import { thresholdOptions } from './options.js';
import type { FileRule } from './types.js';

const options = thresholdOptions(500, 'Most lines of code a file may have.');

export const maxFileLines: FileRule<typeof options> = {
  kind: 'file',
  meta: {
    id: 'max-file-lines',
    category: 'size',
    severity: 'major',
    effortMinutes: 60,
    fixability: 'none',
    eslint: 'max-lines',
    description: 'Files should not hold too many lines of code.',
    docs: 'A very long file is usually a module with several responsibilities; it is hard to navigate, attracts merge conflicts and couples unrelated changes. Split it by responsibility into smaller modules. Only lines holding code count: blank lines and comments do not.',
  },
  options,
  create(context) {
    const { threshold } = context.options;
    return {
      Program() {
        const lines = context.fileMetrics.codeLines;
        if (lines > threshold) {
          context.report({
            start: 0,
            end: 0,
            message: `File has ${lines} lines of code (threshold ${threshold}).`,
            measure: { value: lines, threshold, unit: 'lines of code', subject: '' },
          });
        }
      },
    };
  },
};
