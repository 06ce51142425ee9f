import { noAsyncPromiseExecutor } from './no-async-promise-executor.js';
import { describeRule } from './testing.js';

describeRule(noAsyncPromiseExecutor, {
  valid: [
    'new Promise((resolve) => setTimeout(resolve, 1));',
    'new Promise(function (resolve, reject) { reject(new Error()); });',
    'new Other(async () => {});',
    'new Promise(executor);',
  ],
  invalid: [
    {
      code: 'new Promise(async (resolve) => { resolve(await f()); });',
      errors: [{ column: 13, message: 'Promise executor functions should not be async.' }],
    },
    { code: 'new Promise(async function (resolve, reject) {});', errors: 1 },
  ],
});
