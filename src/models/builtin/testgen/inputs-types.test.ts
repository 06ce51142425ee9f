import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../../../fixes/gate/testing.js';
import { typedParams } from './inputs-types.js';

let fixture: Fixture;

beforeAll(async () => {
  fixture = await createFixture(
    {
      'shape.ts': [
        "export enum Color { Red = 'red', Blue = 'blue' }",
        "interface Options { verbose: boolean; unit?: 'cm' | 'in' }",
        'export function area(w: number, tags: string[], o?: Options, when?: Date): void {}',
        'export function paint(c: Color, cb: (n: number) => boolean): void {}',
        'export class Box { constructor(size: 1 | 2) {} open(force: boolean): void {} }',
      ].join('\n'),
      'lib.js': 'module.exports = function (input, options) { return input; };\n',
      'lib.d.ts':
        'declare function lib(input: string, options?: { loose: boolean }): string;\nexport = lib;\n',
    },
    { nodeModules: false },
  );
});

afterAll(async () => {
  await fixture.remove();
});

describe('typedParams', () => {
  it('writes candidates of TypeScript parameter types', () => {
    const typed = typedParams(`${fixture.root}/shape.ts`);
    expect(typed.area?.[0]).toEqual(expect.arrayContaining(['0', '1', '-1']));
    expect(typed.area?.[1]).toEqual(expect.arrayContaining(['[]', "['a']"]));
    expect(typed.area?.[2]).toEqual(
      expect.arrayContaining(['{ verbose: true }', "{ verbose: true, unit: 'cm' }", 'undefined']),
    );
    expect(typed.area?.[3]).toContain('new Date(0)');
    expect(typed.paint?.[0]).toEqual(["'red'", "'blue'"]);
    expect(typed.paint?.[1]).toContain('(n) => (true)');
    expect(typed['Box.constructor']?.[0]).toEqual(['1', '2']);
    expect(typed['Box.open']?.[0]).toEqual(['true', 'false']);
  });

  it('reads the declaration file beside a JavaScript module', () => {
    const typed = typedParams(`${fixture.root}/lib.js`);
    expect(typed.default?.[0]).toContain("'hello world'");
    expect(typed.default?.[1]).toEqual(expect.arrayContaining(['{ loose: true }', 'undefined']));
  });
});
