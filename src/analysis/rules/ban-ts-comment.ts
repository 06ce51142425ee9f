import { z } from 'zod';
import type { FileRule } from './types.js';

// As TypeScript reads them: `// @ts-x`, `/// @ts-x`, and the last line of a block comment.
const LINE_DIRECTIVE = /^\/?\s*@ts-(ignore|nocheck|expect-error)(?![\w-])(.*)$/s;
const BLOCK_DIRECTIVE = /^[\s/*]*@ts-(ignore|nocheck|expect-error)(?![\w-])(.*)$/s;

const options = z.strictObject({
  minimumDescriptionLength: z
    .number()
    .int()
    .min(0)
    .default(3)
    .describe('Fewest characters the description after `@ts-expect-error` must have.'),
});

export const banTsComment: FileRule<typeof options> = {
  kind: 'file',
  meta: {
    id: 'ban-ts-comment',
    category: 'type-safety',
    severity: 'major',
    effortMinutes: 5,
    fixability: 'none',
    eslint: '@typescript-eslint/ban-ts-comment',
    description:
      '`@ts-ignore` and `@ts-nocheck` should not be used, and `@ts-expect-error` needs a description.',
    docs: '`@ts-ignore` silences every error on the next line, including ones introduced later, and keeps doing so after the error is gone; `@ts-nocheck` turns checking off for the whole file. Fix the type error; if it cannot be fixed, use `// @ts-expect-error: <why>`, which fails once the error disappears and documents the reason.',
  },
  options,
  create(context) {
    const minimum = context.options.minimumDescriptionLength;
    return {
      Program() {
        for (const comment of context.comments) {
          // In block comments only the last line counts, as for TypeScript itself.
          const text =
            comment.type === 'Block'
              ? comment.value.slice(comment.value.lastIndexOf('\n') + 1)
              : comment.value;
          const match = (comment.type === 'Block' ? BLOCK_DIRECTIVE : LINE_DIRECTIVE).exec(text);
          if (!match) continue;
          const directive = match[1]!;
          const description = match[2]!
            .replace(/^\s*:?\s*/, '')
            .replace(/\*\/?\s*$/, '')
            .trim();
          let message: string | undefined;
          if (directive === 'ignore') {
            message = 'Use `@ts-expect-error` with a description instead of `@ts-ignore`.';
          } else if (directive === 'nocheck') {
            message = 'Do not disable type checking for the whole file with `@ts-nocheck`.';
          } else if (description.length < minimum) {
            message = '`@ts-expect-error` needs a description of why the error is expected.';
          }
          if (message) context.report({ start: comment.start, end: comment.end, message });
        }
      },
    };
  },
};
