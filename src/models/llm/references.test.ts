import { describe, expect, it } from 'vitest';
import { referencedSignatures } from './references.js';

const files: Record<string, string> = {
  'src/shapes.ts': [
    'export interface Shape {',
    '  area(): number;',
    '}',
    '',
    'export function scale(shape: Shape, factor: number): Shape {',
    '  return shape;',
    '}',
  ].join('\n'),
  'src/main.ts': [
    "import { scale, type Shape } from './shapes.js';",
    '',
    'export const LIMIT = 10;',
    '',
    'function helper(count: number, label: string): string {',
    '  return label.repeat(count);',
    '}',
    '',
    'export function run(shape: any) {',
    '  return helper(LIMIT, String(scale(shape as Shape, 2)));',
    '}',
  ].join('\n'),
};
const readFile = (file: string): Promise<string> =>
  files[file] !== undefined ? Promise.resolve(files[file]) : Promise.reject(new Error('ENOENT'));

describe('referencedSignatures', () => {
  it('gives the signatures of local and imported declarations used near the finding', async () => {
    const signatures = await referencedSignatures({
      file: 'src/main.ts',
      source: files['src/main.ts']!,
      from: 9,
      to: 10,
      shown: { first: 9, last: 11 },
      readFile,
    });
    expect(signatures).toEqual([
      'src/main.ts:5: function helper(count: number, label: string): string',
      'src/main.ts:3: export const LIMIT = 10;',
      'src/shapes.ts:5: export function scale(shape: Shape, factor: number): Shape',
      'src/shapes.ts:1: export interface Shape {\n  area(): number;\n}',
    ]);
  });

  it('leaves out declarations already shown and names it cannot find', async () => {
    const signatures = await referencedSignatures({
      file: 'src/main.ts',
      source: files['src/main.ts']!,
      from: 10,
      to: 10,
      shown: { first: 1, last: 11 },
      readFile,
    });
    expect(signatures).toEqual([
      'src/shapes.ts:5: export function scale(shape: Shape, factor: number): Shape',
      'src/shapes.ts:1: export interface Shape {\n  area(): number;\n}',
    ]);
  });
});
