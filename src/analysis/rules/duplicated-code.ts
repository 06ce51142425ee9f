import type { RepositoryRule } from './types.js';

export const duplicatedCode: RepositoryRule = {
  kind: 'repository',
  meta: {
    id: 'duplicated-code',
    category: 'duplication',
    severity: 'major',
    effortMinutes: 20,
    fixability: 'none',
    description: 'A block of code duplicates another block in the repository.',
    docs: 'Copies drift apart: a bug fixed in one is left in the other. Blocks are compared as token streams with names and literals erased, so renamed copies are found too. Extract the shared logic into one function or module and call it from both places.',
  },
  check(context) {
    const seen = new Set<string>();
    for (const clone of context.clones) {
      for (const [here, there] of [
        [clone.a, clone.b],
        [clone.b, clone.a],
      ] as const) {
        const key = `${here.file}:${here.line}:${here.endLine}`;
        if (seen.has(key)) continue;
        seen.add(key);
        context.report({
          file: here.file,
          location: { line: here.line, column: 1, endLine: here.endLine, endColumn: 1 },
          message: `Lines ${here.line}-${here.endLine} duplicate ${there.file}:${there.line}-${there.endLine} (${clone.tokens} tokens).`,
        });
      }
    }
  },
};
