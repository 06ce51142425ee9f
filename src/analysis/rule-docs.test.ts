import { describe, expect, it } from 'vitest';
import { FIXABILITY_MEANINGS, ruleDocs, ruleOptionDocs, rulesMarkdown } from './rule-docs.js';
import { allRules, findRule } from './rules/index.js';

describe('rule docs', () => {
  it('reads each option from the rule’s schema: type, default, description', () => {
    expect(ruleOptionDocs(findRule('max-params')!)).toEqual([
      {
        name: 'threshold',
        type: 'integer ≥ 0',
        default: 4,
        description:
          'Most parameters a function may take; a TypeScript `this` parameter does not count.',
      },
    ]);
    expect(ruleOptionDocs(findRule('unused-variable')!).map((o) => [o.name, o.type])).toEqual([
      ['params', '"none" | "after-used"'],
      ['ignorePattern', 'string'],
      ['caughtErrors', 'boolean'],
    ]);
    expect(ruleOptionDocs(findRule('no-magic-numbers')!)).toMatchObject([
      { name: 'ignore', type: 'number[]', default: [-1, 0, 1, 2] },
    ]);
    expect(ruleOptionDocs(findRule('no-debugger')!)).toEqual([]);
  });

  it('lists every rule with its metadata and options', () => {
    const docs = ruleDocs();
    expect(docs.map((d) => d.id)).toEqual(allRules.map((r) => r.meta.id));
    expect(docs.find((d) => d.id === 'max-params')).toMatchObject({
      kind: 'file',
      fixability: 'suggestion',
      eslint: 'max-params',
      options: [{ name: 'threshold', default: 4 }],
    });
  });

  it('prints Markdown with a section per rule and what each fixability label means', () => {
    const markdown = rulesMarkdown();
    for (const rule of allRules) expect(markdown).toContain(`\n## ${rule.meta.id}\n`);
    for (const [label, meaning] of Object.entries(FIXABILITY_MEANINGS))
      expect(markdown).toContain(`- \`${label}\`: ${meaning}`);
    const section = markdown.slice(
      markdown.indexOf('## max-params'),
      markdown.indexOf('\n## ', markdown.indexOf('## max-params') + 1),
    );
    expect(section).toContain('- Fixability: `suggestion`');
    expect(section).toContain('- ESLint equivalent: `max-params`');
    expect(section).toContain(
      '- Suppressed by: `// beast-disable-next-line max-params` (and `-line`, `/* beast-disable max-params */`), `// eslint-disable-next-line max-params` or `@typescript-eslint/max-params` (and `-line`, `/* eslint-disable max-params */`), NOSONAR',
    );
    expect(markdown).toContain(
      '- Suppressed by: `// beast-disable-next-line duplicated-code` (and `-line`, `/* beast-disable duplicated-code */`), NOSONAR',
    );
    expect(markdown).toContain('## Suppressing findings');
    expect(markdown).toContain(
      '- Suppressed by: `// beast-disable-next-line cyclomatic-complexity` (and `-line`, `/* beast-disable cyclomatic-complexity */`), `// eslint-disable-next-line complexity` (and `-line`, `/* eslint-disable complexity */`), NOSONAR',
    );
    expect(markdown).toContain('- Suppressed by: no comment; turn the rule off instead');
    expect(section).toContain('| `threshold` | integer ≥ 0 | `4` |');
    const enumRow = markdown.split('\n').find((l) => l.startsWith('| `params`'));
    expect(enumRow).toBe(
      '| `params` | "none" \\| "after-used" | `"none"` | `after-used` also reports unused parameters after the last one that is used. |',
    );
  });
});
