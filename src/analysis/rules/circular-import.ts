import type { RepositoryRule } from './types.js';

export const circularImport: RepositoryRule = {
  kind: 'repository',
  meta: {
    id: 'circular-import',
    category: 'maintainability',
    severity: 'major',
    effortMinutes: 30,
    fixability: 'none',
    eslint: 'import/no-cycle',
    description: 'The file is part of an import cycle.',
    docs: 'Modules that import each other cannot be understood, tested or loaded on their own, and ES module cycles can observe bindings before they are initialised. Move the shared part into a module both can import, or invert one dependency. Type-only imports are not counted.',
  },
  check(context) {
    for (const cycle of context.importCycles) {
      for (const file of cycle) {
        const others = cycle.filter((f) => f !== file);
        const shown =
          others.slice(0, 3).join(', ') +
          (others.length > 3 ? `, and ${others.length - 3} more` : '');
        context.report({
          file,
          location: { line: 1, column: 1, endLine: 1, endColumn: 1 },
          message: `Import cycle of ${cycle.length} files with ${shown}.`,
        });
      }
    }
  },
};
