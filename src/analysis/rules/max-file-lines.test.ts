import { maxFileLines } from './max-file-lines.js';
import { describeRule } from './testing.js';

const lines = (n: number): string => Array.from({ length: n }, (_, i) => `call(${i});`).join('\n');
const comments = (n: number): string =>
  Array.from({ length: n }, (_, i) => `// note ${i}`).join('\n');

describeRule(maxFileLines, {
  valid: [
    lines(10),
    // Comments and blank lines are not code.
    { code: `${comments(20)}\n\n\n${lines(5)}`, options: { threshold: 5 } },
  ],
  invalid: [
    {
      code: lines(501),
      errors: [{ line: 1, message: 'File has 501 lines of code (threshold 500).' }],
    },
    { code: `${comments(3)}\n${lines(6)}`, options: { threshold: 5 }, errors: 1 },
  ],
});
