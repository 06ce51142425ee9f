import { describe, expect, it } from 'vitest';
import { planInputs } from './inputs.js';
import { sampleRegex } from './inputs-regex.js';

describe('planInputs', () => {
  const plan = (code: string, name: string, file = 'm.js') => planInputs(file, code).plans[name];

  it.each([
    ["function f(mode) { if (mode === 'fast') return 1; }", 'f', 0, ["'fast'"]],
    ['function f(n) { return n > 100; }', 'f', 0, ['100', '99', '101']],
    ['const f = (s) => s.length > 3;', 'f', 0, ["'aaa'", "'aaaa'", "'aa'"]],
    ['function f(opts) { if (opts.verbose) return 1; }', 'f', 0, ['{ verbose: true }']],
    ["function f(o) { if (o.kind === 'x') return 1; }", 'f', 0, ["{ kind: 'x' }"]],
    ["function f({ a, b }) { return a === 2 && b === 'z'; }", 'f', 0, ["{ a: 2, b: 'z' }"]],
    [
      "function f(x) { switch (x) { case 'a': return 1; case 'b': return 2; } }",
      'f',
      0,
      ["'a'", "'b'"],
    ],
    ["function f(x) { if (typeof x === 'function') x(); }", 'f', 0, ['(x) => x']],
    ['function f(x) { if (Array.isArray(x)) return 1; }', 'f', 0, ['[1, 2, 3]']],
    ["function f(args) { for (const a of args) if (a === '--') return 1; }", 'f', 0, ["['--']"]],
    ["function f(s) { const t = s.trim(); return t === 'ok'; }", 'f', 0, ["'ok'"]],
    ['function f(s) { return /^(\\d+)ms$/.test(s); }', 'f', 0, ["'0ms'"]],
  ] as const)('%s', (code, name, index, expected) => {
    expect(plan(code, name)?.params[index]).toEqual(expect.arrayContaining([...expected]));
  });

  it('passes a helper’s candidates on to the parameter forwarded to it', () => {
    const code =
      "module.exports = function (val) { return parse(val); };\nfunction parse(str) { if (str === 'x') return 1; }";
    expect(plan(code, 'default')?.params[0]).toContain("'x'");
  });

  it('keys methods by class and constructors by class name', () => {
    const code =
      'export class C { constructor(n) { if (n > 1) this.n = n; } run(m) { return m === 3; } }';
    const { plans } = planInputs('m.js', code);
    expect(plans['C.constructor']?.params[0]).toContain('2');
    expect(plans['C.run']?.params[0]).toContain('3');
    expect(plans['C.run']?.arity).toBe(1);
  });

  it('plans functions named like Object.prototype members without finding those', () => {
    const code =
      'export class V { constructor(x) { this.x = x; } toString(sep) { return sep === "," ? "a" : "b"; } }\nexport function constructor(k) { return k > 4; }';
    const { plans } = planInputs('m.js', code);
    expect(plans['V.toString']?.params[0]).toContain("','");
    expect(plans.constructor).toMatchObject({ arity: 1 });
  });

  it('gathers the file’s literals, not its import specifiers', () => {
    const { literals } = planInputs(
      'm.js',
      "import x from 'dep';\nconst y = require('z');\nexport const k = ['lit', 42];",
    );
    expect(literals).toEqual(["'lit'", '42']);
  });
});

describe('sampleRegex', () => {
  it.each([
    ['^(-?(?:\\d+)?\\.?\\d+) *(ms|s|h|days?)$', 'i'],
    ['^--no-.+', ''],
    ['^[a-z][\\w-]*@\\w+\\.(com|org)$', ''],
    ['\\u0041\\x42[^\\s]{2,3}', ''],
  ])('/%s/%s: every sample matches', (source, flags) => {
    const samples = sampleRegex(source, flags, 8);
    expect(samples.length).toBeGreaterThan(1);
    for (const s of samples) expect(new RegExp(source, flags).test(s)).toBe(true);
  });

  it('gives nothing for a pattern it cannot read', () => {
    expect(sampleRegex('(unclosed')).toEqual([]);
  });
});
