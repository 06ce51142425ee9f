import { applyEdits } from '../../core/index.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectFixes, fileRules } from '../../analysis/index.js';
import type { Finding } from '../../core/index.js';
import type { ModelContext } from '../types.js';
import { CODEMOD_RULES, CODEMODS_MODEL_ID, createCodemodsModel } from './codemods.js';

const rulesFolder = fileURLToPath(new URL('../../analysis/rules/', import.meta.url));

function contextFor(files: Record<string, string>): ModelContext {
  return {
    root: '/repo',
    readFile: (file) => {
      const text = files[file];
      return text === undefined
        ? Promise.reject(new Error(`no such file: ${file}`))
        : Promise.resolve(text);
    },
  };
}

/** The findings of one rule in a file, as a scan reports them. */
function findingsOf(ruleId: string, file: string, source: string): Finding[] {
  return collectFixes({ file, source, ruleId }).map((f) => f.finding);
}

const SOURCE = [
  "import { readFile, writeFile } from 'node:fs/promises';",
  '',
  'export async function load(path: string) {',
  '  let total = 0;',
  '  const text = await readFile(path, "utf8");',
  '  if (text === NaN) debugger;',
  '  return total + text.length;',
  '}',
  '',
].join('\n');

describe('builtin:codemods', () => {
  const model = createCodemodsModel();

  it('is a built-in model', () => {
    expect(model.id).toBe(CODEMODS_MODEL_ID);
    expect(model.id).toBe('builtin:codemods');
    expect(model.builtin).toBe(true);
  });

  it('supports findings of rules with fixes only', () => {
    const [finding] = findingsOf('prefer-const', 'src/load.ts', SOURCE);
    expect(model.supports({ kind: 'fix', finding: finding! })).toBe(true);
    const other = { ...finding!, ruleId: 'max-params' };
    expect(model.supports({ kind: 'fix', finding: other })).toBe(false);
  });

  it('proposes the rule fix for the finding, and only that finding', async () => {
    const [finding] = findingsOf('prefer-const', 'src/load.ts', SOURCE);
    const proposals = await model.propose(
      { kind: 'fix', finding: finding! },
      contextFor({ 'src/load.ts': SOURCE }),
    );
    expect(proposals).toHaveLength(1);
    const [proposal] = proposals;
    expect(proposal!.model).toBe('builtin:codemods');
    expect(proposal!.title).toBe("Use const for 'total'");
    expect(proposal!.rationale).toContain('never reassigned');
    expect(proposal!.changes).toHaveLength(1);
    expect(proposal!.changes[0]!.file).toBe('src/load.ts');
    const fixed = applyEdits(SOURCE, proposal!.changes[0]!.edits);
    expect(fixed).toBe(SOURCE.replace('let total', 'const total'));
  });

  it('picks the finding at the task location among several of one rule', async () => {
    const findings = findingsOf('unused-import', 'src/load.ts', SOURCE);
    expect(findings.map((f) => f.message)).toEqual(["'writeFile' is imported but never used."]);
    const [proposal] = await model.propose(
      { kind: 'fix', finding: findings[0]! },
      contextFor({ 'src/load.ts': SOURCE }),
    );
    expect(applyEdits(SOURCE, proposal!.changes[0]!.edits).split('\n')[0]).toBe(
      "import { readFile } from 'node:fs/promises';",
    );
  });

  it('falls back to the line and message when the column moved', async () => {
    const [finding] = findingsOf('use-isnan', 'src/load.ts', SOURCE);
    const moved = { ...finding!, location: { ...finding!.location, column: 1 } };
    const [proposal] = await model.propose(
      { kind: 'fix', finding: moved },
      contextFor({ 'src/load.ts': SOURCE }),
    );
    expect(applyEdits(SOURCE, proposal!.changes[0]!.edits)).toContain(
      'if (Number.isNaN(text)) debugger;',
    );
  });

  it('proposes nothing when the rule has no safe fix for the case', async () => {
    const [finding] = findingsOf('no-debugger', 'src/load.ts', SOURCE);
    expect(finding).toBeDefined();
    const proposals = await model.propose(
      { kind: 'fix', finding: finding! },
      contextFor({ 'src/load.ts': SOURCE }),
    );
    expect(proposals).toEqual([]);
  });

  it('proposes nothing for a finding that is no longer there', async () => {
    const [finding] = findingsOf('prefer-const', 'src/load.ts', SOURCE);
    const fixedSource = SOURCE.replace('let total', 'const total');
    const proposals = await model.propose(
      { kind: 'fix', finding: finding! },
      contextFor({ 'src/load.ts': fixedSource }),
    );
    expect(proposals).toEqual([]);
  });

  it('applies the rule options from config', async () => {
    const source = 'export function f() {\n  if (a) {\n    b();\n  }\n}\n';
    const [finding] = collectFixes({
      file: 'a.ts',
      source,
      ruleId: 'prefer-early-return',
      options: { minStatements: 1 },
    }).map((f) => f.finding);
    const task = { kind: 'fix' as const, finding: finding! };
    // With the default options the rule does not report this function: nothing to fix.
    const context = contextFor({ 'a.ts': source });
    expect(await model.propose(task, context)).toEqual([]);
    const ruleOptions = { 'prefer-early-return': { minStatements: 1 } };
    const [proposal] = await model.propose(task, { ...context, ruleOptions });
    expect(applyEdits(source, proposal!.changes[0]!.edits)).toBe(
      'export function f() {\n  if (!a) return;\n  b();\n}\n',
    );
  });

  it('lists exactly the rules whose tests declare fixes', () => {
    const withFixTests = fileRules
      .map((r) => r.meta.id)
      .filter((id) =>
        readFileSync(path.join(rulesFolder, `${id}.test.ts`), 'utf8').includes('describeFixes('),
      )
      .sort();
    expect(CODEMOD_RULES).toEqual(withFixTests);
  });
});
