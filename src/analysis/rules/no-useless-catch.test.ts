import { noUselessCatch } from './no-useless-catch.js';
import { describeRule } from './testing.js';

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
