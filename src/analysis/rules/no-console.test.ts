import { noConsole } from './no-console.js';
import { describeRule } from './testing.js';

describeRule(noConsole, {
  valid: ['logger.info("x");', 'const console2 = 1;', 'myConsole.log(1);'],
  invalid: [
    {
      code: 'console.log("x");',
      errors: [{ column: 1, message: 'Unexpected console.log() call.' }],
    },
    { code: 'if (a) console.error(e); console.warn(w);', errors: 2 },
  ],
});
