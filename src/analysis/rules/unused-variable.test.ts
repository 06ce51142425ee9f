import { describeFixes, describeRule } from './testing.js';
import { unusedVariable } from './unused-variable.js';

describeRule(unusedVariable, {
  valid: [
    'export const a = 1;',
    'const a = 1; export { a };',
    'const a = 1; export default a;',
    'export function f() {} export class C {} export type T = 1; export interface I {} export enum E {}',
    'const a = 1; console.log(a); export {};',
    // Hoisting: used before its declaration.
    'export function g() { return f(); } function f() { return 1; }',
    'export function g() { return v; } var v = 1;',
    // Closures and nested scopes.
    'export function f() { let count = 0; return () => count++; }',
    'export function f() { const x = 1; return function () { return x; }; }',
    // Shadowing: the outer variable is used where it is visible.
    'const x = 1; export function f() { { const x = 2; g(x); } return x; }',
    // Destructuring.
    'const { a, b: [c] } = obj; export const d = a + c;',
    // Rest siblings exist to leave the rest.
    'const { omitted, ...rest } = obj; export { rest };',
    // Ignored names.
    'const _unused = 1; for (const _ of items) {} export {};',
    // Parameters are not checked by default.
    'export function f(a, b) { return 1; }',
    // Catch parameter used.
    'export function f() { try {} catch (error) { report(error); } }',
    {
      code: 'export function f() { try { g(); } catch (error) {} }',
      options: { caughtErrors: false },
    },
    // Types used in types, typeof, declaration merging.
    'type A = string; export type B = A[];',
    'const schema = make(); export type T = typeof schema;',
    'interface Merged { a: 1 } class Merged {} export { Merged };',
    'const fn = () => 1; export type R = ReturnType<typeof fn>;',
    // Compound assignment and update read the variable.
    'let n = 0; n += 1; export {};',
    'let i = 0; i++; export {};',
    // Declarations that exist for something else.
    'declare const g: number; export {};',
    '@Component({}) class Widget {} export {};',
    { code: 'declare global { var beast: number; } export {};' },
    { code: 'const a = 1;', file: 'globals.d.ts' },
    // Scripts: top-level names may be used by other scripts.
    { code: 'var shared = 1; function helper() {}', file: 'legacy.js' },
    // `eval` and `with` may read anything.
    'export function f() { const hidden = 1; return eval("hidden"); }',
    // Used in JSX.
    { code: 'const Item = () => null; export const List = () => <Item />;', file: 'list.tsx' },
    // Namespaces export their members to each other.
    'namespace NS { export const a = 1; } export { NS };',
    // `using` declarations run their disposer.
    'export function f() { using handle = open(); }',
  ],
  invalid: [
    {
      code: 'const a = 1;\nexport {};',
      errors: [{ line: 1, column: 7, message: "'a' is declared but never used." }],
    },
    {
      code: 'let a;\na = 2;\nexport {};',
      errors: [{ message: "'a' is assigned a value but never used." }],
    },
    {
      code: 'function f() {}\nexport {};',
      errors: [{ message: "'f' is defined but never used." }],
    },
    { code: 'class C {}\ntype T = 1;\ninterface I {}\nenum E { A }\nexport {};', errors: 4 },
    // Locals in a function, even in script files.
    {
      code: 'function f() { const x = 1; }\nf();',
      file: 'script.js',
      errors: [{ message: "'x' is declared but never used." }],
    },
    // CommonJS files keep their top level to themselves.
    {
      code: "const fs = require('fs');\nconst unused = 1;\nmodule.exports = fs;",
      file: 'x.js',
      errors: 1,
    },
    { code: 'const unused = 1;', file: 'x.mjs', errors: 1 },
    // Shadowed: only the inner one is used, so the outer one is unused.
    { code: 'const x = 1;\nexport function f() { const x = 2; return x; }', errors: [{ line: 1 }] },
    // Destructured bindings are checked one by one.
    { code: 'const { a, b } = obj;\nexport const c = a;', errors: [{ line: 1, column: 12 }] },
    { code: 'const [first, second] = pair;\nexport const c = second;', errors: [{ column: 8 }] },
    // A variable only written is unused.
    { code: 'export function f() { let last; for (const x of xs) last = x; }', errors: 1 },
    {
      code: 'export function f() { try { g(); } catch (error) {} }',
      errors: [{ message: "'error' is declared but never used." }],
    },
    // Block scope: the inner declaration is not visible outside its block.
    { code: 'export function f() { if (a) { const y = 1; } return y; }', errors: 1 },
    // A label or property key with the same name is not a use.
    { code: 'export function f() { const k = 1; return { k: 2 }.k; }', errors: 1 },
    // Parameters, when asked: only those after the last used one.
    {
      code: 'export function f(a, b, c) { return b; }',
      options: { params: 'after-used' },
      errors: [{ column: 25, message: "'c' is declared but never used." }],
    },
    { code: 'export const g = ({ x, y }) => x;', options: { params: 'after-used' }, errors: 1 },
    // A different ignore pattern.
    { code: 'const _a = 1;\nexport {};', options: { ignorePattern: '^ignored' }, errors: 1 },
  ],
});

describeFixes(unusedVariable, {
  fixed: [
    ['const a = 1;\nexport {};', 'export {};'],
    ['export function f() {\n  const a = 1;\n  g();\n}', 'export function f() {\n  g();\n}'],
    ['let a;\nexport {};', 'export {};'],
    ["const a = 'x', b = 2;\nexport { b };", 'const b = 2;\nexport { b };'],
    ['const b = 2, a = `x`;\nexport { b };', 'const b = 2;\nexport { b };'],
    [
      'const handler = () => {};\nconst table = { a: 1, b: [true, null], f() {} };\nexport {};',
      'export {};',
    ],
    ['const t = typeof window;\nexport {};', 'export {};'],
    ['const n = -1 as number;\nexport {};', 'export {};'],
    ['function f() {}\nexport {};', 'export {};'],
    ['class C {\n  x = g();\n  m() {}\n}\nexport {};', 'export {};'],
    ['type T = 1;\ninterface I {}\nexport {};', 'export {};'],
    [
      'const x = 1;\nexport function f() { const x = 2; return x; }',
      'export function f() { const x = 2; return x; }',
    ],
    ['const unused = 1;', '', { file: 'x.mjs' }],
  ],
  unfixed: [
    // The initialiser may have effects.
    'const a = g();\nexport {};',
    'const a = { ...b };\nexport {};',
    'const a = `${b}`;\nexport {};',
    'const a = undeclaredGlobal;\nexport {};',
    // Assigned elsewhere: the assignment would be left without a declaration.
    'let a;\na = 2;\nexport {};',
    // Destructuring: the other names still need the pattern.
    'const { a, b } = obj;\nexport const c = b;',
    // Classes that run code when defined, enums, catch parameters and parameters.
    'class C extends Base {}\nexport {};',
    'class C {\n  static x = g();\n}\nexport {};',
    'class C {\n  static {\n    g();\n  }\n}\nexport {};',
    'enum E { A }\nexport {};',
    'export function f() { try { g(); } catch (error) {} }',
    { code: 'export function f(a, b, c) { return b; }', options: { params: 'after-used' } },
    // A comment documents the declaration.
    '/** The answer. */\nconst answer = 42;\nexport {};',
    // A statement is required here.
    'export function f() { for (let i = 0; ; ) {} }',
  ],
});
