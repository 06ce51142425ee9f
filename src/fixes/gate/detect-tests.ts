import { access, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import {
  resolveFromDependencies,
  resolveRepositoryTests,
  toRunnerPart,
  type FoundTest,
} from './detect-runner.js';
import { readPackageJson, type PackageJson } from './package-json.js';
import { resolvePackageManager, runsPrePost, type PackageManager } from './package-managers.js';
import type { SetupStep, TestPart, TestRunnerInfo } from './runners/index.js';
import { readWorkspace } from './workspaces.js';

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Where a part's binary is: its package's node_modules/.bin, else a parent's (hoisted). */
async function findBin(root: string, dir: string, bin: string): Promise<string | undefined> {
  const parts = dir === '' ? [] : dir.split('/');
  for (let up = 0; up <= parts.length; up++) {
    const from = parts.slice(0, parts.length - up).join('/');
    if (await exists(join(root, from, bin)))
      return posix.join(...Array<string>(up).fill('..'), bin);
  }
  return undefined;
}

function whereOf(dir: string, several: boolean): string {
  if (dir !== '') return ` (${dir})`;
  return several ? ' (root)' : '';
}

/** Pure: what a person reads about the runs: `vitest (packages/a), node:test (root), via \`pnpm test\``. */
export function describeParts(parts: readonly TestPart[], packageManager: PackageManager): string {
  const several = parts.length > 1 || parts.some((p) => p.dir !== '');
  const named = parts.map((part) =>
    part.kind === 'runner'
      ? `${part.name}${whereOf(part.dir, several)}${part.source === 'dependencies' ? ' (no test script: the one runner among the dependencies)' : ''}`
      : `the \`${part.script}\` script${whereOf(part.dir, several)} run as it is (exit status only: a weaker check)`,
  );
  const indirect = several || parts.some((p) => p.via.length > 1);
  const first = parts[0]?.via[0];
  const via =
    indirect && first !== undefined
      ? `, via \`${packageManager} ${first === 'test' ? 'test' : `run ${first}`}\``
      : '';
  return `${named.join(', ')}${via}`;
}

function toInfo(
  parts: TestPart[],
  setup: SetupStep[],
  packageManager: PackageManager,
): TestRunnerInfo {
  const dirs = new Set(parts.map((p) => p.dir));
  const names = [...new Set(setup.map((step) => `\`${step.script}\``))];
  const after =
    names.length === 0
      ? ''
      : `, after the ${names.join(', ')} script${names.length > 1 ? 's' : ''}`;
  return {
    parts,
    setup,
    describe: `${describeParts(parts, packageManager)}${after}`,
    // Several packages narrow to the owners of the changed files, even without related tests.
    supportsRelated: dirs.size > 1 || parts.some((p) => p.kind === 'runner' && p.supportsRelated),
    weak: parts.some((p) => p.kind === 'script'),
    packageManager,
  };
}

/**
 * Finds how to run a repository's tests as its CI does: every runner the root's `test` script
 * runs, through package managers, chains and scripts calling scripts, in the workspace package
 * each runs in (see `resolveRepositoryTests`); without any test script, the one runner among the
 * root's dependencies. A package's script that runs no runner we know is run as it is. A reason
 * instead when there is nothing to run, or when a runner's binary is in no `node_modules/.bin` (a
 * runner we cannot start).
 */
export async function detectTestRunner(
  root: string,
): Promise<{ runner: TestRunnerInfo } | { reason: string }> {
  const read = await readPackageJson(root);
  if ('reason' in read) return read;
  const { pkg } = read;
  const rootFiles = await readdir(root).catch(() => []);
  const packageManager = resolvePackageManager(pkg, rootFiles);
  const found = resolveRepositoryTests(await readWorkspace(root, pkg), {
    prePost: runsPrePost(packageManager, pkg, rootFiles),
  });
  const sorted = found === undefined ? fromDependencies(pkg, rootFiles) : sortFound(found);
  if ('reason' in sorted) return sorted;
  const missing = await locateBins(root, sorted.parts);
  if (missing !== undefined) return { reason: missing };
  return { runner: toInfo(sorted.parts, sorted.setup, packageManager) };
}

function sortFound(found: readonly FoundTest[]): { parts: TestPart[]; setup: SetupStep[] } {
  const parts: TestPart[] = [];
  const setup: SetupStep[] = [];
  for (const f of found) {
    if (f.kind === 'runner') parts.push(toRunnerPart(f.runner, 'script', f.dir, f.via));
    else if (f.kind === 'script') parts.push({ ...f });
    else setup.push({ dir: f.dir, script: f.script, command: f.command });
  }
  return { parts, setup };
}

function fromDependencies(
  pkg: PackageJson,
  rootFiles: readonly string[],
): { parts: TestPart[]; setup: SetupStep[] } | { reason: string } {
  const name = resolveFromDependencies(pkg, rootFiles);
  if (typeof name !== 'string') return name;
  return {
    parts: [toRunnerPart({ name, nodeArgs: [], args: [], env: {} }, 'dependencies')],
    setup: [],
  };
}

/** Points each runner part at its binary, hoisted or not; why not when one is missing. */
async function locateBins(root: string, parts: TestPart[]): Promise<string | undefined> {
  for (const part of parts) {
    if (part.kind !== 'runner' || part.bin === undefined) continue;
    const bin = await findBin(root, part.dir, part.bin);
    if (bin === undefined) {
      const where = part.dir === '' ? '' : ` in ${part.dir}`;
      return `${part.name} runs the tests${where}, but ${part.bin} is missing: a runner we cannot start (are the dependencies installed?)`;
    }
    part.bin = bin;
  }
  return undefined;
}
