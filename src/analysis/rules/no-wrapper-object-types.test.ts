import { noWrapperObjectTypes } from './no-wrapper-object-types.js';
import { describeFixes, describeRule } from './testing.js';

describeRule(noWrapperObjectTypes, {
  valid: [
    'let a: string; let b: number; let c: boolean; let d: object;',
    'const s = String(1); const n = new Number(1);',
    // A local type of the same name is not the wrapper.
    'interface String { x: 1 } let a: String;',
    'let m: Map<string, number> = new Map();',
    // A generic of the same name is not the wrapper either.
    'let o: Object<T>;',
  ],
  invalid: [
    {
      code: 'let a: String;',
      errors: [{ column: 8, message: "Use 'string' instead of 'String'." }],
    },
    { code: 'function f(a: Number, b: Boolean): Object {}', errors: 3 },
    { code: 'type T = Symbol | BigInt;', errors: 2 },
  ],
});

describeFixes(noWrapperObjectTypes, {
  fixed: [
    ['let a: String;', 'let a: string;'],
    ['function f(a: Number, b: Boolean): void {}', 'function f(a: number, b: boolean): void {}'],
    ['type T = Symbol | BigInt;', 'type T = symbol | bigint;'],
    ['let a: Array<String> = [];', 'let a: Array<string> = [];'],
  ],
  unfixed: [
    // `object` rejects primitives that `Object` accepts.
    'let o: Object;',
  ],
});
