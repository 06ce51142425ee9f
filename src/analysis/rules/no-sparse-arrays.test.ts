import { noSparseArrays } from './no-sparse-arrays.js';
import { describeRule } from './testing.js';

describeRule(noSparseArrays, {
  valid: ['const a = [1, 2];', 'const a = [1, 2,];', 'const [, b] = arr;', 'const a = [];'],
  invalid: [
    {
      code: 'const a = [1, , 2];',
      errors: [{ column: 11, message: 'Unexpected hole in an array literal.' }],
    },
    { code: 'const a = [, 1];', errors: 1 },
    { code: 'const a = [1, ,];', errors: 1 },
  ],
});
