import { describeFixes, describeRule } from './testing.js';
import { unusedImport } from './unused-import.js';

describeRule(unusedImport, {
  valid: [
    "import a from 'a'; a();",
    "import { b as c } from 'b'; c();",
    "import * as ns from 'ns'; ns.x;",
    "import 'side-effect';",
    // Types, typeof, qualified names, heritage clauses.
    "import type { T } from 't'; let x: T;",
    "import { U } from 'u'; type V = typeof U;",
    "import { N } from 'n'; let x: N.Inner;",
    "import { Base, I } from 'b'; class A extends Base implements I {}",
    "import { E } from 'e'; interface X extends E {}",
    // Re-exports and default exports.
    "import { r } from 'r'; export { r };",
    "import d from 'd'; export default d;",
    "import x = require('x'); x();",
    // JSX: component names, member tags, and the classic React runtime.
    { code: "import { Button } from 'ui'; export const App = () => <Button />;", file: 'app.tsx' },
    { code: "import * as UI from 'ui'; export const App = () => <UI.Button />;", file: 'app.tsx' },
    { code: "import React from 'react'; export const App = () => <div />;", file: 'app.jsx' },
    // JSDoc references and JSX pragmas.
    "import { Thing } from 't';\n/** Returns a {@link Thing}. */\nexport function f() {}",
    "import type { Opts } from 'o';\n/** @param {Opts} o */\nexport function f(o) { return o; }",
    {
      code: "/** @jsx h */\nimport { h } from 'preact';\nexport const A = () => <div />;",
      file: 'a.jsx',
    },
    // Decorators.
    "import { Injectable } from 'di'; @Injectable() export class S {}",
    // Used inside a nested scope, or before its import.
    "f(); import { f } from 'f';",
    "import { a } from 'a'; function g() { return () => a; } g();",
    // Inside an ambient module declaration, imports describe another module.
    "declare module 'm' { import { X } from 'x'; }",
    // Computed keys and decorators read names.
    "import { key } from 'k'; export const o = { [key]: 1 };",
  ],
  invalid: [
    {
      code: "import a from 'a';",
      errors: [{ line: 1, column: 8, message: "'a' is imported but never used." }],
    },
    {
      code: "import { a, b } from 'm';\na();",
      errors: [{ line: 1, column: 13, message: "'b' is imported but never used." }],
    },
    { code: "import * as ns from 'ns';", errors: 1 },
    { code: "import type { T } from 't';\nimport { type U, V } from 'u';\nlet v: V;", errors: 2 },
    { code: "import x = require('x');", errors: 1 },
    // Shadowed: the inner declaration is used, not the import.
    { code: "import { a } from 'a';\nfunction f(a) { return a; }\nf(1);", errors: [{ line: 1 }] },
    {
      code: "import { T } from 't';\ntype G<T> = T[];\nexport type X = G<string>;",
      errors: [{ line: 1 }],
    },
    // A property named like the import is not a use of it.
    { code: "import { x } from 'x';\nexport const o = { x: 1 };\no.x;", errors: 1 },
    // Lower-case JSX tags are intrinsic elements, not references.
    { code: "import { div } from 'd';\nexport const A = () => <div />;", file: 'a.tsx', errors: 1 },
    { code: "import { a } from 'a';\nlabel: for (;;) { break label; }", errors: 1 },
  ],
});

describeFixes(unusedImport, {
  fixed: [
    ["import a from 'a';\nb();\n", 'b();\n'],
    ["import { a, b } from 'm';\na();", "import { a } from 'm';\na();"],
    ["import { a, b } from 'm';\nb();", "import { b } from 'm';\nb();"],
    ["import { a, b, c } from 'm';\na(c);", "import { a, c } from 'm';\na(c);"],
    ["import {\n  a,\n  b,\n  c,\n} from 'm';\na(b);", "import {\n  a,\n  b,\n} from 'm';\na(b);"],
    ["import d, { a } from 'm';\nd();", "import d from 'm';\nd();"],
    ["import d, { a } from 'm';\na();", "import { a } from 'm';\na();"],
    ["import d, * as ns from 'm';\nns.x();", "import * as ns from 'm';\nns.x();"],
    ["import d, * as ns from 'm';\nd();", "import d from 'm';\nd();"],
    ["import * as ns from 'ns';\n", ''],
    [
      "import type { T } from 't';\nimport { type U, V } from 'u';\nlet v: V;",
      "import { V } from 'u';\nlet v: V;",
    ],
    ["import x = require('x');\nf();", 'f();'],
    // Every specifier unused: one by one, then the declaration.
    ["import { a, b } from 'm';\nf();", 'f();'],
    ["import './setup';\nimport { a } from 'm';\nf();", "import './setup';\nf();"],
  ],
  unfixed: [
    // A comment inside what would be removed.
    "import { a, /* keep */ b } from 'm';\na();",
    "import {\n  a, // the a\n  b,\n} from 'm';\nb();",
  ],
});
