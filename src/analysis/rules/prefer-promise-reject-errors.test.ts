import { preferPromiseRejectErrors } from './prefer-promise-reject-errors.js';
import { describeRule } from './testing.js';

describeRule(preferPromiseRejectErrors, {
  valid: [
    "Promise.reject(new Error('x'));",
    'Promise.reject(error);',
    "new Promise((resolve, reject) => reject(new Error('x')));",
    'new Promise((resolve, reject) => reject(err));',
    // Not inside an executor: an unrelated function named `reject`.
    "reject('x');",
    "new Promise((resolve, fail) => { other('x'); });",
  ],
  invalid: [
    {
      code: "Promise.reject('failed');",
      errors: [{ column: 1, message: 'Reject promises with an Error object.' }],
    },
    { code: 'Promise.reject();', errors: 1 },
    { code: "new Promise((resolve, reject) => { if (a) reject('no'); });", errors: 1 },
    { code: 'new Promise(function (ok, fail) { setTimeout(() => fail(`late`), 1); });', errors: 1 },
    { code: 'new Promise((resolve, reject) => reject(undefined));', errors: 1 },
  ],
});
