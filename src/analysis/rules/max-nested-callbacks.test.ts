import { maxNestedCallbacks } from './max-nested-callbacks.js';
import { describeRule } from './testing.js';

describeRule(maxNestedCallbacks, {
  valid: [
    'a(() => b(() => c(() => d(() => 1))));',
    // Functions that are not passed as arguments do not count.
    'a(() => { const f = () => b(() => c(() => d(() => 1))); return f; });',
  ],
  invalid: [
    {
      code: 'a(() => b(function () { c(() => d(() => e((x) => x))); }));',
      errors: [{ line: 1, message: 'Callbacks are nested more than 4 levels deep.' }],
    },
    { code: 'new Promise((r) => a(() => b(() => 1)));', options: { threshold: 2 }, errors: 1 },
  ],
});
