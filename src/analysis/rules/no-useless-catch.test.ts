import { noUselessCatch } from './no-useless-catch.js';
import { describeFixes, describeRule } from './testing.js';

describeRule(noUselessCatch, {
  valid: [
    'try { a(); } catch (e) { log(e); throw e; }',
    "try { a(); } catch (e) { throw new Error('wrapped', { cause: e }); }",
    'try { a(); } catch (e) { throw other; }',
    'try { a(); } catch { throw again(); }',
    'try { a(); } finally { b(); }',
  ],
  invalid: [
    {
      code: 'try { a(); } catch (e) { throw e; }',
      errors: [{ column: 1, message: 'Unnecessary try/catch: the catch clause only rethrows.' }],
    },
    {
      code: 'try { a(); } catch (error) { throw error; } finally { b(); }',
      errors: [{ column: 14, message: 'Unnecessary catch clause: it only rethrows.' }],
    },
  ],
});

describeFixes(noUselessCatch, {
  fixed: [
    ['try { a(); } catch (e) { throw e; }', 'a();'],
    [
      'function f() {\n  try {\n    a();\n    b();\n  } catch (e) {\n    throw e;\n  }\n}',
      'function f() {\n  a();\n  b();\n}',
    ],
    [
      'try { a(); } catch (error) { throw error; } finally { b(); }',
      'try { a(); } finally { b(); }',
    ],
    ['f();\ntry {\n} catch (e) {\n  throw e;\n}\ng();', 'f();\ng();'],
    [
      'function f() {\n  try {\n    const x = a();\n    return x;\n  } catch (e) {\n    throw e;\n  }\n}',
      'function f() {\n  const x = a();\n  return x;\n}',
    ],
  ],
  unfixed: [
    // The try's `x` would meet the other `x`.
    'function f() {\n  try {\n    const x = a();\n    g(x);\n  } catch (e) {\n    throw e;\n  }\n  const x = 2;\n  return x;\n}',
    // A statement is required here.
    'if (a) try { b(); } catch (e) { throw e; }',
    // The comment in the catch clause would be lost.
    'try { a(); } catch (e) {\n  // nothing to add\n  throw e;\n}',
  ],
});
