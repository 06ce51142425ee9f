import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding, ScanReport, SuppressedFinding } from '../../src/core/index.js';
import type { ImproveReport } from '../../src/pipeline/index.js';
import type { SarifLog } from '../../src/analysis/formats/index.js';
import { makeImproveFixture } from '../helpers/improve-fixture.js';
import { BIN, beast, git, makeRepo, type CliResult } from '../helpers/repo.js';
import { createSarifValidator } from '../helpers/sarif.js';

let home: string;
beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
});

function run(dir: string, args: string[], stdin?: string): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', BEAST_HOME: home },
    ...(stdin !== undefined ? { input: stdin } : {}),
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

function scanJson(dir: string, args: string[] = [], stdin?: string): ScanReport {
  const result = run(dir, ['scan', '--format', 'json', '--quiet', '--no-store', ...args], stdin);
  if (result.code !== 0) throw new Error(`beast exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout) as ScanReport;
}

const brief = (f: Finding) => `${f.file}:${f.location.line} ${f.ruleId}`;
const how = (f: SuppressedFinding) => `${brief(f)} ${JSON.stringify(f.suppression)}`;

/** A block of code long enough to be reported as a clone of its copy. */
function cloned(name: string): string {
  return [
    `export function ${name}(items: number[], limit: number): number[] {`,
    '  const out: number[] = [];',
    '  for (let i = 0; i < items.length; i++) {',
    '    const value = items[i] ?? 0;',
    '    if (value > limit) out.push(value * 2 + 1);',
    '    else if (value < -limit) out.push(value * 3 - 1);',
    '    else out.push(Math.round(value / 2) + limit);',
    '  }',
    '  return out.filter((v) => v !== limit).map((v) => v + items.length);',
    '}',
  ].join('\n');
}

const APP = [
  '// beast-disable-next-line no-explicit-any -- third-party shape',
  'export const a: any = 1;',
  'export const b: any = 2; // eslint-disable-line @typescript-eslint/no-explicit-any',
  'export const c: any = 3; // NOSONAR',
  'export function f(x: number): number {',
  '  /* beast-disable eqeqeq */',
  '  if (x == 1) return 1;',
  '  /* beast-enable eqeqeq */',
  '  return x == 2 ? 2 : 3;',
  '}',
  "export const d: any = '// beast-disable-line no-explicit-any';",
  'export const e: any = `/* NOSONAR */`;',
  '// beast-disable-next-line no-debugger',
  'export const g = 4;',
  '// beast-disable-next-line no-such-rule -- typo',
  'export const h = 5;',
  '',
].join('\n');

/** A repository with each kind of comment, suppressing file and repository findings alike. */
const FILES: Record<string, string> = {
  'src/app.ts': APP,
  // An import cycle (circular-import, a repository rule, reports at line 1) and two clones.
  'src/x.ts': `/* Header */\n/* beast-disable circular-import, duplicated-code */\nimport { y } from './y.js';\nexport const x = () => y;\n${cloned('one')}\n`,
  'src/y.ts': `/* eslint-disable import/no-cycle */\nimport { x } from './x.js';\n/* beast-disable duplicated-code */\nexport const y = () => x;\n${cloned('two')}\n`,
};

/** The same files with every comment made inert, keeping every line and column. */
function inert(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([name, text]) => [
      name,
      text.replace(/(beast|eslint)-(disable|enable)/g, '$1-xxxxxx').replace(/NOSONAR/g, 'NOSONAX'),
    ]),
  );
}

describe('inline suppressions through the CLI', () => {
  it('moves suppressed findings of every kind, file and repository rules, to report.suppressed', async () => {
    const dir = await makeRepo(FILES);
    const report = scanJson(dir);
    expect(report.suppressed!.map(how)).toEqual([
      'src/app.ts:2 no-explicit-any {"kind":"beast","line":1,"reason":"third-party shape"}',
      'src/app.ts:3 no-explicit-any {"kind":"eslint","line":3}',
      'src/app.ts:4 no-explicit-any {"kind":"nosonar","line":4}',
      'src/app.ts:7 eqeqeq {"kind":"beast","line":6}',
      'src/x.ts:1 circular-import {"kind":"beast","line":2}',
      'src/x.ts:4 duplicated-code {"kind":"beast","line":2}',
      'src/y.ts:1 circular-import {"kind":"eslint","line":1}',
      'src/y.ts:4 duplicated-code {"kind":"beast","line":3}',
    ]);
    // Text in strings and template literals is not a comment; the eqeqeq block ended at line 8.
    expect(report.findings.map(brief)).toEqual([
      'src/app.ts:9 eqeqeq',
      'src/app.ts:11 no-explicit-any',
      'src/app.ts:12 no-explicit-any',
      'src/app.ts:13 unused-suppression',
      'src/app.ts:15 unused-suppression',
    ]);
    expect(report.findings.filter((f) => f.ruleId === 'unused-suppression')).toMatchObject([
      {
        severity: 'info',
        category: 'maintainability',
        message: 'Unused beast-disable-next-line comment: no no-debugger finding to suppress.',
        location: { line: 13, column: 1, endLine: 13, endColumn: 39 },
      },
      {
        message:
          "The beast-disable-next-line comment names an unknown rule 'no-such-rule' (beast rules lists them).",
      },
    ]);
    expect(report.summary).toMatchObject({ findings: 5, suppressed: 8 });
    expect(report.rules.map((r) => r.id)).toContain('unused-suppression');
  });

  it('leaves the score and the gate to the findings that were not suppressed', async () => {
    const dir = await makeRepo(FILES);
    const plain = await makeRepo(inert(FILES));
    const suppressed = scanJson(dir);
    const all = scanJson(plain);
    // Same code, same metrics: the inert copy has the suppressed findings back, and only those.
    const back = (f: Finding) => `${brief(f)} ${f.message}`;
    const strip = ({ suppression: _, ...f }: SuppressedFinding): Finding => f;
    expect(all.findings.map(back).sort()).toEqual(
      [
        ...suppressed.findings.filter((f) => f.ruleId !== 'unused-suppression'),
        ...suppressed.suppressed!.map(strip),
      ]
        .map(back)
        .sort(),
    );
    expect(all.suppressed).toEqual([]);
    expect(suppressed.score.score).toBeGreaterThan(all.score.score);
    expect(suppressed.summary.debtMinutes).toBeLessThan(all.summary.debtMinutes);

    // The gate: failing on major, both fail (eqeqeq at line 9 is not suppressed)...
    const gate = (cwd: string) => run(cwd, ['scan', '--quiet', '--no-store', '--fail-on', 'major']);
    expect(gate(dir).code).toBe(1);
    expect(gate(plain).code).toBe(1);
    // ... and once that one is suppressed too, only the repository with comments passes.
    const fixed = APP.replace(
      '  return x == 2',
      '  // beast-disable-next-line eqeqeq\n  return x == 2',
    )
      .replace("no-explicit-any';", "no-explicit-any'; // NOSONAR")
      .replace('`/* NOSONAR */`;', '`/* NOSONAR */`; // NOSONAR');
    await writeFile(path.join(dir, 'src/app.ts'), fixed);
    const passed = gate(dir);
    expect(passed.stderr).toBe('');
    expect(passed.code).toBe(0);
    // Unused directives are info findings: they never fail a severity gate above info.
    expect(scanJson(dir).findings.map((f) => f.ruleId)).toEqual([
      'unused-suppression',
      'unused-suppression',
    ]);
  });

  it('writes SARIF 2.1.0 results with inSource suppressions, valid against the schema', async () => {
    const dir = await makeRepo(FILES);
    const result = run(dir, ['scan', '--format', 'sarif', '--quiet', '--no-store']);
    expect(result.code).toBe(0);
    const log = JSON.parse(result.stdout) as SarifLog;
    const validate = createSarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const results = log.runs[0]!.results;
    expect(results).toHaveLength(5 + 8);
    const suppressed = results.filter((r) => r.suppressions !== undefined);
    expect(suppressed).toHaveLength(8);
    expect(suppressed[0]).toMatchObject({
      ruleId: 'no-explicit-any',
      locations: [{ physicalLocation: { region: { startLine: 2 } } }],
      suppressions: [
        {
          kind: 'inSource',
          justification: 'third-party shape',
          location: {
            physicalLocation: {
              artifactLocation: { uri: 'src/app.ts', uriBaseId: '%SRCROOT%' },
              region: { startLine: 1 },
            },
          },
          properties: { directive: 'beast' },
        },
      ],
    });
    expect(suppressed.map((r) => r.suppressions![0]!.properties.directive)).toEqual([
      'beast',
      'eslint',
      'nosonar',
      'beast',
      'beast',
      'beast',
      'eslint',
      'beast',
    ]);
    // No reason, no justification: SARIF's is optional, and an empty one says nothing.
    expect(suppressed[1]!.suppressions![0]).not.toHaveProperty('justification');
    // Suppressing a finding keeps the fingerprints of the others: they are counted over both.
    const plain = await makeRepo(inert(FILES));
    const all = JSON.parse(
      run(plain, ['scan', '--format', 'sarif', '--quiet', '--no-store']).stdout,
    ) as SarifLog;
    const prints = (log: SarifLog) =>
      log.runs[0]!.results.filter((r) => r.ruleId !== 'unused-suppression').map(
        (r) => r.partialFingerprints,
      );
    expect(prints(log).sort(byJson)).toEqual(prints(all).sort(byJson));
  });

  it('says how many were suppressed in the table and markdown reports', async () => {
    const dir = await makeRepo(FILES);
    for (const format of ['table', 'markdown']) {
      const result = run(dir, ['scan', '--format', format, '--quiet', '--no-store']);
      expect(result.code).toBe(0);
      expect(result.stdout.split('\n').filter((l) => l.includes('suppressed inline'))).toEqual([
        expect.stringMatching(/^ *8 findings suppressed inline \(2 unused directives\)$/),
      ]);
    }
    const clean = await makeRepo({ 'a.ts': 'export const a = 1;\n' });
    expect(run(clean, ['scan', '--quiet', '--no-store']).stdout).not.toContain('suppressed');
  });

  it('suppresses the same in a partial scan, from stdin, and from the cache', async () => {
    const dir = await makeRepo(FILES);
    const whole = scanJson(dir);
    const chosen = scanJson(dir, ['src/y.ts']);
    expect(chosen.suppressed!.map(how)).toEqual(
      whole.suppressed!.filter((f) => f.file === 'src/y.ts').map(how),
    );
    expect(chosen.findings).toEqual([]);

    // Unsaved content from an editor: its own comments count, not those on disk.
    const edited = APP.replace(
      '// beast-disable-next-line no-explicit-any -- third-party shape\n',
      '// beast-disable-next-line no-explicit-any\n',
    );
    const stdin = scanJson(dir, ['--stdin', '--stdin-filename', 'src/app.ts'], edited);
    expect(stdin.suppressed!.map(how)[0]).toBe(
      'src/app.ts:2 no-explicit-any {"kind":"beast","line":1}',
    );

    // Rescans come from the cache (the repository result, then each file's analysis).
    const cached = scanJson(dir);
    expect(cached.summary.fromCache).toBe(3);
    expect(cached.suppressed).toEqual(whole.suppressed);
    expect(cached.findings).toEqual(whole.findings);
    await writeFile(path.join(dir, 'src/extra.ts'), 'export const z = 1;\n');
    const partly = scanJson(dir);
    expect(partly.summary.parsed).toBe(1);
    expect(partly.suppressed).toEqual(whole.suppressed);

    // Removing a comment brings its finding back, and the cache does not hide that.
    const app = await readFile(path.join(dir, 'src/app.ts'), 'utf8');
    await writeFile(path.join(dir, 'src/app.ts'), app.replace(' // NOSONAR', ''));
    const after = scanJson(dir);
    expect(after.findings.map(brief)).toContain('src/app.ts:4 no-explicit-any');
    expect(after.suppressed).toHaveLength(7);
  });

  it('does not crash on odd directives, and honours unused-suppression being off', async () => {
    const odd = [
      '/* beast-disable , ,, */',
      '// beast-disable-next-line -- ',
      '// beast-disable-line ../../etc/passwd, <script>, 💥',
      '// beast-enable',
      '/* eslint-disable not/a-rule */',
      `// beast-disable-next-line ${'x'.repeat(150)}`,
      'export const a = 1;',
      '',
    ].join('\n');
    const dir = await makeRepo({ 'src/odd.ts': odd });
    const report = scanJson(dir);
    const unknown = (type: string, name: string) =>
      `The beast-${type} comment names an unknown rule '${name}' (beast rules lists them).`;
    expect(report.findings.map((f) => `${f.location.line} ${f.message}`)).toEqual([
      '1 Unused beast-disable comment: it suppresses no finding.',
      '2 Unused beast-disable-next-line comment: it suppresses no finding.',
      `3 ${unknown('disable-line', '../../etc/passwd')}`,
      `3 ${unknown('disable-line', '<script>')}`,
      `3 ${unknown('disable-line', '💥')}`,
      '4 A // beast-enable line comment has no effect: write it as a block comment, /* beast-enable */.',
      `6 ${unknown('disable-next-line', 'x'.repeat(150))}`,
    ]);
    const off = scanJson(dir, ['--disable', 'unused-suppression']);
    expect(off.findings).toEqual([]);
    expect(off.rules.map((r) => r.id)).not.toContain('unused-suppression');
  });
});

function byJson(a: unknown, b: unknown): number {
  return JSON.stringify(a).localeCompare(JSON.stringify(b));
}

describe('beast improve and suppressed findings', () => {
  it('proposes no change for a suppressed finding', async () => {
    const repo = await makeImproveFixture(1);
    const file = path.join(repo, 'src/mod0.js');
    const source = await readFile(file, 'utf8');
    await writeFile(
      file,
      `/* beast-disable prefer-template, object-shorthand -- kept as written */\n${source}`,
    );
    git(repo, 'commit', '-q', '-am', 'suppress two rules');
    const result = beast(['improve', repo, '--json'], { env: { BEAST_HOME: home } });
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as ImproveReport;
    expect(report.changes.map((c) => c.finding.ruleId)).toEqual(['prefer-const']);
    expect(report.status).toBe('delivered');
  }, 180_000);
});
