import { emptyCatch } from './empty-catch.js';
import { describeRule } from './testing.js';

describeRule(emptyCatch, {
  valid: [
    'try { a(); } catch (e) { log(e); }',
    'try { a(); } catch {\n  // best effort: the cache is optional\n}',
    'try { a(); } finally {}',
  ],
  invalid: [
    {
      code: 'try { a(); } catch (e) {}',
      errors: [{ line: 1, column: 24, message: 'Empty catch block swallows the error.' }],
    },
    { code: 'try {\n  a();\n} catch {\n}', errors: [{ line: 3 }] },
    // A comment outside the block does not count.
    { code: '// ignore errors\ntry { a(); } catch {}', errors: 1 },
  ],
});
