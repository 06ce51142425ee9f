import { banTsComment } from './ban-ts-comment.js';
import { describeRule } from './testing.js';

describeRule(banTsComment, {
  valid: [
    '// @ts-expect-error: the library types are wrong (issue #12)\nf(1);',
    '// @ts-expect-error the overload is missing upstream\nf(1);',
    '// @ts-check',
    '// a comment mentioning @ts-ignore in passing',
    // Commented-out code is not a directive.
    '//   // @ts-ignore\n//   f(1);',
    '/* @ts-expect-error: checked at runtime */\nf(1);',
    { code: '// @ts-expect-error: x\nf();', options: { minimumDescriptionLength: 1 } },
  ],
  invalid: [
    {
      code: 'f();\n// @ts-ignore\nf(1);',
      errors: [
        {
          line: 2,
          column: 1,
          message: 'Use `@ts-expect-error` with a description instead of `@ts-ignore`.',
        },
      ],
    },
    {
      code: '// @ts-nocheck\nf();',
      errors: [{ message: 'Do not disable type checking for the whole file with `@ts-nocheck`.' }],
    },
    {
      code: '// @ts-expect-error\nf(1);',
      errors: [{ message: '`@ts-expect-error` needs a description of why the error is expected.' }],
    },
    { code: '// @ts-expect-error: \nf(1);', errors: 1 },
    { code: '/// @ts-ignore because\nf(1);', errors: 1 },
    { code: '/* @ts-ignore */\nf(1);', errors: 1 },
    { code: '// @ts-expect-error: ok\nf();', options: { minimumDescriptionLength: 5 }, errors: 1 },
  ],
});
