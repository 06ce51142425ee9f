import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GRADES, SEVERITIES } from '../src/core/index.js';
import { beast, BIN, git, makeRepo, PROJECT_ROOT } from './helpers/repo.js';

/**
 * The files other tools read from this repository: the composite GitHub Action (action.yml) and
 * the pre-commit framework's hook list. Nothing here runs GitHub or pre-commit; it checks what
 * they would read: well-formed YAML, inputs that exist, and `beast` flags that exist; and it runs
 * the action's scan and gate scripts as a runner would, on a shallow clone of a local remote.
 */

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default?: string }>;
  runs: { using: string; steps: Step[] };
}

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  files: string;
  pass_filenames: boolean;
}

const actionText = readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8');
const action = parse(actionText) as Action;
const hooks = parse(
  readFileSync(path.join(PROJECT_ROOT, '.pre-commit-hooks.yaml'), 'utf8'),
) as Hook[];

/** The long options `beast <command> --help` lists. */
function optionsOf(command: string): Set<string> {
  const help = beast([command, '--help']);
  expect(help.code).toBe(0);
  return new Set(help.stdout.match(/--[a-z][a-z-]*/g));
}

/** The long options a script passes, leaving out those of its npm and git lines. */
function flagsIn(script: string): string[] {
  return script
    .split('\n')
    .filter((line) => !/\b(npm|git)\b/.test(line))
    .flatMap((line) => line.match(/(?<=\s|\()--[a-z][a-z-]*/g) ?? []);
}

function step(name: string): Step {
  const found = action.runs.steps.find((s) => s.name === name);
  if (!found) throw new Error(`action.yml has no step "${name}"`);
  return found;
}

describe('action.yml', () => {
  it('is a composite action whose script steps name their shell', () => {
    expect(action.name).toBe('BEAST MODE');
    expect(action.runs.using).toBe('composite');
    for (const s of action.runs.steps) {
      expect(s.name).toBeTruthy();
      expect(Boolean(s.run) !== Boolean(s.uses)).toBe(true);
      if (s.run) expect(s.shell).toBe('bash');
    }
  });

  it('declares every input it reads and reads every input it declares', () => {
    const used = new Set([...actionText.matchAll(/\binputs\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(action.inputs).sort());
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description, name).toBeTruthy();
    }
  });

  it('passes inputs to scripts through env, never by pasting them into the script', () => {
    for (const s of action.runs.steps) {
      if (s.run) expect(s.run, s.name).not.toContain('${{');
    }
  });

  it('defaults the gate to a threshold beast accepts', () => {
    const choices: string[] = [...GRADES, ...SEVERITIES, 'none'];
    expect(choices).toContain(action.inputs['fail-on']?.default);
  });

  it('passes only flags beast scan and beast improve have', () => {
    const scan = optionsOf('scan');
    for (const name of ['Scan', 'New-code gate']) {
      const flags = flagsIn(step(name).run ?? '');
      expect(flags.length, name).toBeGreaterThan(0);
      expect(
        flags.filter((flag) => !scan.has(flag)),
        name,
      ).toEqual([]);
    }
    const improve = optionsOf('improve');
    const improveFlags = flagsIn(step('Improve').run ?? '');
    expect(improveFlags).toContain('--dry-run');
    expect(improveFlags).toEqual(expect.arrayContaining(['--push', '--pr']));
    expect(improveFlags.filter((flag) => !improve.has(flag))).toEqual([]);
  });

  it('uploads the SARIF file the scan step writes, and caches the folder BEAST_HOME names', () => {
    expect(step('Scan').run).toContain('--format sarif --output "$file"');
    expect(step('Upload SARIF').with?.sarif_file).toBe('${{ steps.sarif.outputs.file }}');
    expect(step('Install beast-mode').run).toContain('BEAST_HOME=$RUNNER_TEMP/beast-mode');
    expect(step('Restore the BEAST MODE database').with?.path).toBe(
      '${{ runner.temp }}/beast-mode',
    );
  });
});

describe('.pre-commit-hooks.yaml', () => {
  it('declares node hooks that run beast scan on the files pre-commit passes', () => {
    expect(hooks.map((hook) => hook.id)).toEqual(['beast-scan']);
    const scan = optionsOf('scan');
    for (const hook of hooks) {
      expect(hook.name).toBeTruthy();
      expect(hook.language).toBe('node');
      expect(hook.pass_filenames).toBe(true);
      const [bin, command, ...flags] = hook.entry.split(/\s+/);
      expect([bin, command]).toEqual(['beast', 'scan']);
      expect(flags.filter((flag) => !scan.has(flag))).toEqual([]);
      const files = new RegExp(hook.files);
      for (const file of ['src/a.ts', 'b.tsx', 'c.mjs', 'd.cjs', 'e.jsx', 'f.mts'])
        expect(files.test(file), file).toBe(true);
      for (const file of ['README.md', 'a.json', 'a.ts.snap'])
        expect(files.test(file), file).toBe(false);
    }
  });
});

/** A folder with `beast` (the built CLI) in it, for PATH, as the action's install step leaves it. */
function binDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'beast-action-bin-'));
  symlinkSync(BIN, path.join(dir, 'beast'));
  return dir;
}

interface StepRun {
  code: number;
  stdout: string;
  stderr: string;
  output: string;
}

/** Runs a step's script the way GitHub runs `shell: bash`, with the step's env filled in by `env`. */
function runStep(name: string, cwd: string, env: Record<string, string>): StepRun {
  const script = step(name).run ?? '';
  const temp = mkdtempSync(path.join(tmpdir(), 'beast-action-runner-'));
  const file = path.join(temp, 'step.sh');
  const output = path.join(temp, 'output');
  writeFileSync(file, script);
  writeFileSync(output, '');
  const declared = Object.keys(step(name).env ?? {});
  expect(Object.keys(env).filter((key) => !declared.includes(key))).toEqual([]);
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      ...Object.fromEntries(declared.map((key) => [key, ''])),
      ...env,
      PATH: `${binDir()}${path.delimiter}${process.env.PATH ?? ''}`,
      RUNNER_TEMP: temp,
      BEAST_HOME: path.join(temp, 'beast-mode'),
      GITHUB_OUTPUT: output,
      NO_COLOR: '1',
    },
  });
  return {
    code: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    output: readFileSync(output, 'utf8'),
  };
}

describe("action.yml's scripts on a pull request's shallow checkout", () => {
  const OLD_ANY = 'export const old: any = 1;\n';
  let base: string;
  let remote: string;

  /** A depth-1 clone of `branch`, as actions/checkout makes one. */
  function checkout(branch: string): string {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'beast-action-checkout-')), 'repo');
    git(tmpdir(), 'clone', '-q', '--depth=1', '--branch', branch, `file://${remote}`, dir);
    expect(git(dir, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    return dir;
  }

  beforeAll(async () => {
    const origin = await makeRepo({
      'src/old.ts': OLD_ANY,
      'src/quiet.ts':
        '// beast-disable-next-line no-explicit-any -- on purpose\nexport const quiet: any = 1;\n',
    });
    base = git(origin, 'rev-parse', 'HEAD').trim();
    git(origin, 'checkout', '-q', '-b', 'clean');
    writeFileSync(path.join(origin, 'src/new.ts'), 'export const fresh = 1;\n');
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'clean change');
    git(origin, 'checkout', '-q', '-b', 'dirty', 'main');
    writeFileSync(path.join(origin, 'src/new.ts'), 'export const fresh: any = 1;\n');
    git(origin, 'add', '-A');
    git(origin, 'commit', '-q', '-m', 'change with an any');
    remote = path.join(mkdtempSync(path.join(tmpdir(), 'beast-action-remote-')), 'remote.git');
    git(tmpdir(), 'clone', '-q', '--bare', origin, remote);
    // GitHub lets a client fetch any reachable commit by its id.
    git(remote, 'config', 'uploadpack.allowReachableSHA1InWant', 'true');
  });

  it('gates only the lines the pull request changed, fetching the base commit it lacks', () => {
    const env = { SCAN_PATH: '.', FAIL_ON: 'major', BASE_REF: '', PR_BASE_SHA: base };
    const clean = runStep('New-code gate', checkout('clean'), env);
    expect(clean.stderr).toContain(`${base} -> FETCH_HEAD`);
    expect(clean.code).toBe(0);
    expect(clean.stdout).not.toContain('no-explicit-any');

    const dirty = runStep('New-code gate', checkout('dirty'), env);
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toContain('no-explicit-any');
    expect(dirty.stdout).toContain('src/new.ts');
    expect(dirty.stdout).not.toContain('src/old.ts');
  });

  it('skips the gate with a notice when there is no base to compare with', () => {
    const result = runStep('New-code gate', checkout('dirty'), {
      SCAN_PATH: '.',
      FAIL_ON: 'major',
      BASE_REF: '',
      PR_BASE_SHA: '',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^::notice title=BEAST MODE::new-code gate skipped/);
  });

  it('writes the SARIF report for the upload step without failing on findings, suppressed ones left out', () => {
    const result = runStep('Scan', checkout('dirty'), { SCAN_PATH: '.' });
    expect(result.code).toBe(0);
    const file = /^file=(.+)$/m.exec(result.output)?.[1];
    expect(file).toBeDefined();
    const sarif = JSON.parse(readFileSync(file!, 'utf8')) as {
      version: string;
      runs: { results: { ruleId: string; locations: unknown[]; suppressions?: unknown }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    const anys = sarif.runs[0]!.results.filter((r) => r.ruleId === 'no-explicit-any');
    // old.ts and new.ts; quiet.ts's is suppressed, and code scanning would open an alert for it.
    expect(anys).toHaveLength(2);
    expect(JSON.stringify(sarif)).not.toContain('src/quiet.ts');
    expect(sarif.runs[0]!.results.filter((r) => r.suppressions !== undefined)).toEqual([]);
  });
});
