import { describe, expect, it } from 'vitest';
import type { FileReport, Finding } from '../core/index.js';
import {
  decodeRepository,
  encodeRepository,
  packAnalysis,
  repositoryKey,
  unpackAnalysis,
  type RepositoryResult,
} from './scan-cache.js';

function file(path: string, imports: string[], parseError?: string): FileReport {
  return {
    path,
    hash: `hash-of-${path}`,
    lang: 'ts',
    metrics: {
      physicalLines: 10,
      codeLines: 8,
      commentLines: 1,
      logicalLines: 6,
      functions: 1,
      cyclomatic: 2,
      cognitive: 1,
      maxCognitive: 1,
      maxCyclomatic: 2,
      maxNesting: 1,
      halsteadVolume: 12.5,
      halsteadEffort: 40.25,
      maintainability: 71.3,
      duplicatedLines: 0,
      fanIn: 1,
      fanOut: imports.length,
    },
    functions: [
      {
        name: 'f',
        start: 0,
        end: 40,
        line: 1,
        endLine: 3,
        physicalLines: 3,
        logicalLines: 2,
        cyclomatic: 2,
        cognitive: 1,
        maxNesting: 1,
        params: 1,
        halstead: {
          distinctOperators: 3,
          distinctOperands: 4,
          totalOperators: 5,
          totalOperands: 6,
          volume: 12.5,
          difficulty: 2.25,
          effort: 28.13,
        },
        maintainability: 71.3,
      },
    ],
    imports,
    score: { score: 97.5, grade: 'A', components: { complexity: 100 } },
    ...(parseError !== undefined ? { parseError } : {}),
  };
}

function finding(ruleId: string, path: string, line: number, message: string): Finding {
  return {
    ruleId,
    category: 'maintainability',
    severity: 'minor',
    message,
    file: path,
    location: { line, column: 1, endLine: line, endColumn: 9 },
    effortMinutes: 5,
    fixability: 'safe-fix',
  };
}

describe('repository cache encoding', () => {
  const result: RepositoryResult = {
    files: [file('a.ts', ['b.ts']), file('b.ts', [], 'Unexpected token')],
    findings: [
      finding('no-var', 'a.ts', 1, 'Use let or const'),
      finding('no-var', 'a.ts', 3, 'Use let or const'),
      finding('todo-comment', 'b.ts', 2, 'TODO left in code'),
    ],
    clones: [
      {
        a: { file: 'a.ts', line: 1, endLine: 9 },
        b: { file: 'b.ts', line: 2, endLine: 10 },
        tokens: 60,
      },
    ],
    suppressed: [
      {
        ...finding('no-console', 'a.ts', 5, 'Unexpected console call'),
        suppression: { kind: 'eslint', line: 4, reason: 'CLI output' },
      },
    ],
  };

  it('decodes to what was encoded, through JSON, with keys in the same order', () => {
    const decoded = decodeRepository(JSON.parse(JSON.stringify(encodeRepository(result))));
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(result));
  });

  it('keeps functions whose metrics differ in shape as they are', () => {
    const odd = file('c.ts', []);
    const [fn] = odd.functions;
    if (fn === undefined) throw new Error('fixture has no function');
    // The same keys in another order: packing by the first function's shape would reorder them.
    const { name, ...rest } = fn;
    odd.functions = [{ ...rest, name: `${name}2` }];
    const mixed = { ...result, files: [...result.files, odd] };
    const encoded = encodeRepository(mixed);
    expect(encoded.functionShape).toBeNull();
    const decoded = decodeRepository(JSON.parse(JSON.stringify(encoded)));
    expect(JSON.stringify(decoded)).toBe(JSON.stringify(mixed));
  });

  it('packs and unpacks one file’s analysis, and reads one cached unpacked', () => {
    const analysis = { path: 'a.ts', functions: file('a.ts', []).functions, findings: [] };
    const packed = JSON.parse(JSON.stringify(packAnalysis(analysis))) as unknown;
    expect(JSON.stringify(unpackAnalysis(packed))).toBe(JSON.stringify(analysis));
    expect(unpackAnalysis({ ...analysis })).toEqual(analysis);
    const none = { path: 'b.ts', functions: [] };
    expect(unpackAnalysis(JSON.parse(JSON.stringify(packAnalysis(none))))).toEqual(none);
  });

  it('keys by settings, paths and hashes', () => {
    const files = [{ path: 'a.ts', hash: '1' }];
    const key = repositoryKey('s', { minTokens: 50 }, files);
    expect(repositoryKey('s', { minTokens: 50 }, [{ path: 'a.ts', hash: '1' }])).toBe(key);
    expect(repositoryKey('s', { minTokens: 60 }, files)).not.toBe(key);
    expect(repositoryKey('t', { minTokens: 50 }, files)).not.toBe(key);
    expect(repositoryKey('s', { minTokens: 50 }, [{ path: 'b.ts', hash: '1' }])).not.toBe(key);
  });
});
