import { describe, expect, it } from 'vitest';
import { maxNestingDepth } from './max-nesting-depth.js';
import { describeRule, runRule } from './testing.js';

describeRule(maxNestingDepth, {
  valid: [
    'if (a) { for (;;) { while (b) { switch (c) { case 1: break; } } } }',
    // else-if chains count as one level.
    'if (a) {} else if (b) {} else if (c) {} else if (d) {} else if (e) { if (f) {} }',
    // A nested function starts again at zero.
    'if (a) { if (b) { if (c) { if (d) { const f = () => { if (e) { if (g) {} } }; } } } }',
    { code: 'if (a) { if (b) { if (c) {} } }', options: { threshold: 3 } },
  ],
  invalid: [
    {
      code: 'if (a) {\n  for (;;) {\n    while (b) {\n      try {\n        if (c) {}\n      } catch {}\n    }\n  }\n}',
      errors: [{ line: 5, column: 9, message: 'Blocks are nested more than 4 levels deep.' }],
    },
    {
      code: 'function f() { if (a) { if (b) { if (c) {} if (d) {} } } }',
      options: { threshold: 2 },
      errors: 2,
    },
    // Deeper levels are not reported again.
    { code: 'if (a) { if (b) { if (c) { if (d) {} } } }', options: { threshold: 2 }, errors: 1 },
  ],
});

describe('max-nesting-depth measure', () => {
  it('measures the deepest level inside the too-deep block, in its function', () => {
    const code =
      'function handle() { if (a) { if (b) { if (c) { if (d) {} } } if (e) {} } }\nif (x) { if (y) { if (z) {} } }';
    expect(
      runRule(maxNestingDepth, code, { options: { threshold: 2 } }).map((f) => f.measure),
    ).toEqual([
      { value: 4, threshold: 2, unit: 'levels', subject: 'handle' },
      { value: 3, threshold: 2, unit: 'levels', subject: '' },
    ]);
  });
});
