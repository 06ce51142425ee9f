import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { GRADES, SEVERITIES } from '../src/core/index.js';
import { beast, PROJECT_ROOT } from './helpers/repo.js';

/**
 * The files other tools read from this repository: the composite GitHub Action (action.yml) and
 * the pre-commit framework's hook list. Nothing here runs GitHub or pre-commit; it checks what
 * they would read: well-formed YAML, inputs that exist, and `beast` flags that exist.
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

  it('passes only flags beast scan and beast improve have (--push and --pr pending)', () => {
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
    // --push and --pr come with the delivery work of issue 13 (docs/ci.md says so).
    const missing = improveFlags.filter((flag) => !improve.has(flag));
    expect(missing.filter((flag) => flag !== '--push' && flag !== '--pr')).toEqual([]);
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
