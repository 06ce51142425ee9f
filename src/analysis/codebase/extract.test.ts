import { describe, expect, it } from 'vitest';
import { extractFile, type ExtractedFile } from './extract.js';

function extract(file: string, lines: string[]): ExtractedFile {
  const result = extractFile(file, lines.join('\n'));
  if ('error' in result) throw new Error(result.error);
  return result;
}

const brief = (r: ExtractedFile) =>
  r.symbols.map(
    (s) =>
      `${s.kind} ${s.qualifiedName} ${s.exported ? 'exported' : 'local'} ${s.startLine}-${s.endLine}`,
  );

describe('extractFile', () => {
  it('merges overloads into one symbol from the first signature to the implementation', () => {
    const r = extract('a.ts', [
      '/** Pads text. */',
      'export function pad(s: string): string;',
      'export function pad(s: string, n: number): string;',
      'export function pad(s: string, n = 2): string {',
      "  return s.padStart(n, ' ');",
      '}',
    ]);
    expect(brief(r)).toEqual(['function pad exported 2-6']);
    expect(r.symbols[0]).toMatchObject({
      doc: 'Pads text.',
      signature: 'export function pad(s: string): string;',
      references: ['s', 'n', 'padStart'],
    });
  });

  it('reads class members, decorators, getters and private names', () => {
    const r = extract('b.ts', [
      '@Component({})',
      'export class Store<T> extends Base {',
      '  // The items.',
      '  #items: T[] = [];',
      '  constructor(private readonly name: string) { super(); }',
      '  /** How many. */',
      '  get size(): number { return this.#items.length; }',
      '  @log() static create() { return new Store(); }',
      '  private hidden() {}',
      '  #secret() {}',
      '  handler = (e: Event) => this.hidden();',
      '}',
    ]);
    expect(brief(r)).toEqual([
      'class Store exported 1-12',
      'method Store.constructor exported 5-5',
      'method Store.size exported 7-7',
      'method Store.create exported 8-8',
      'method Store.hidden local 9-9',
      'method Store.#secret local 10-10',
      'method Store.handler exported 11-11',
    ]);
    expect(r.symbols[0]!.signature).toBe('@Component({}) export class Store<T> extends Base');
    expect(r.symbols[2]).toMatchObject({ doc: 'How many.', signature: 'get size(): number' });
    expect(r.symbols[6]!.references).toContain('hidden');
  });

  it('reads default exports, export lists, re-exports, require and dynamic import', () => {
    const r = extract('c.ts', [
      "import def, { a as b, type T } from './a.js';",
      "import * as ns from './ns.js';",
      "export { x as y } from './x.js';",
      "export * from './all.js';",
      "const { p, q: r } = require('./p');",
      'export default function main() { return import("./lazy.js"); }',
      'function helper() {}',
      'export { helper as publicHelper };',
      'exports.other = helper;',
    ]);
    expect(r.imports).toEqual([
      {
        specifier: './a.js',
        names: [
          { imported: 'default', local: 'def' },
          { imported: 'a', local: 'b' },
          { imported: 'T', local: 'T' },
        ],
        typeOnly: false,
      },
      { specifier: './ns.js', names: [{ imported: '*', local: 'ns' }], typeOnly: false },
      { specifier: './x.js', names: [{ imported: 'x', local: 'y' }], typeOnly: false },
      { specifier: './all.js', names: [{ imported: '*', local: '*' }], typeOnly: false },
      {
        specifier: './p',
        names: [
          { imported: 'p', local: 'p' },
          { imported: 'q', local: 'r' },
        ],
        typeOnly: false,
      },
      { specifier: './lazy.js', names: [], typeOnly: false },
    ]);
    expect(r.exports.sort()).toEqual(['default', 'other', 'publicHelper', 'y']);
    expect(r.exportAliases).toEqual([
      { exported: 'default', local: 'main' },
      { exported: 'publicHelper', local: 'helper' },
      { exported: 'other', local: 'helper' },
    ]);
    expect(brief(r)).toEqual(['function main exported 6-6', 'function helper exported 7-7']);
  });

  it('reads arrow functions, JSX, types, enums, exported values and object methods', () => {
    const r = extract('d.tsx', [
      '// Renders the title.',
      '// Second line.',
      'export const Title = ({ text }: Props) => <h1 className="t"><Icon />{text}</h1>;',
      'interface Props { text: string }',
      "export type Mode = 'a' | 'b';",
      'export enum Color { Red }',
      'export const LIMIT = 10;',
      'const hidden = 1;',
      'export const api = { get() { return LIMIT; }, put: async () => hidden };',
    ]);
    expect(brief(r)).toEqual([
      'function Title exported 3-3',
      'interface Props local 4-4',
      'type Mode exported 5-5',
      'enum Color exported 6-6',
      'variable LIMIT exported 7-7',
      'variable api exported 9-9',
      'method api.get exported 9-9',
      'method api.put exported 9-9',
    ]);
    expect(r.symbols[0]).toMatchObject({
      doc: 'Renders the title.\nSecond line.',
      signature: 'export const Title = ({ text }: Props) =>',
    });
    expect(r.symbols[0]!.references).toEqual(expect.arrayContaining(['Props', 'Icon', 'text']));
  });

  it('gives the line of a syntax error instead of symbols', () => {
    expect(extractFile('e.ts', 'const ok = 1;\nexport function ( {\n')).toEqual({
      error: expect.stringMatching(/^syntax error: line 2: /),
    });
  });

  it('cuts long signatures to one line of at most 240 characters', () => {
    const params = Array.from({ length: 40 }, (_, i) => `p${i}: number`).join(',\n  ');
    const r = extract('f.ts', [`export function wide(\n  ${params}\n) {}`]);
    expect(r.symbols[0]!.signature).toHaveLength(240);
    expect(r.symbols[0]!.signature).not.toMatch(/\n/);
  });

  it("indexes the functions of a module-like closure by name, but not an ordinary function's helpers", () => {
    const r = extract('lib.js', [
      ';(function() {',
      '  var runInContext = (function runInContext(context) {',
      '    /** Splits an array into chunks. */',
      '    function chunk(array, size) { return slice(array, size); }',
      '    function slice(array, n) { return array.slice(n); }',
      '    function head(array) { return array[0]; }',
      '    const last = (array) => array[array.length - 1];',
      '    var tail = function(array) { return slice(array, 1); }, size = 3;',
      '    function lodash() {}',
      '    lodash.chunk = chunk;',
      '    return lodash;',
      '  });',
      '  function small(a) {',
      '    function one() {}',
      '    const two = () => 2;',
      '    return one() + two() + a;',
      '  }',
      '}.call(this));',
    ]);
    expect(brief(r)).toEqual([
      'function chunk local 4-4',
      'function slice local 5-5',
      'function head local 6-6',
      'function last local 7-7',
      'function tail local 8-8',
      'function lodash local 9-9',
    ]);
    expect(r.symbols[0]).toMatchObject({
      doc: 'Splits an array into chunks.',
      signature: 'function chunk(array, size)',
    });
    expect(r.symbols[0]!.references).toContain('slice');
  });
});
