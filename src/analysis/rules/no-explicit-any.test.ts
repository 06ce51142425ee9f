import { noExplicitAny } from './no-explicit-any.js';
import { describeRule } from './testing.js';

describeRule(noExplicitAny, {
  valid: [
    'let a: unknown;',
    'function f<T>(x: T): T { return x; }',
    'const any = 1; type Any = { any: string };',
    { code: 'let a = 1;', file: 'a.js' },
  ],
  invalid: [
    {
      code: 'let a: any;',
      errors: [
        { line: 1, column: 8, message: 'Unexpected `any`; use `unknown` or a precise type.' },
      ],
    },
    { code: 'function f(...args: any[]): Promise<any> { return g(args as any); }', errors: 3 },
    { code: 'type M = Record<string, any>;\ninterface I { x: any }', errors: 2 },
  ],
});
