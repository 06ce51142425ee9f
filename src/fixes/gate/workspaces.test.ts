import { describe, expect, it } from 'vitest';
import type { PackageJson } from './package-json.js';
import {
  matchScripts,
  resolvePackageManager,
  runsPrePost,
  type PackageManager,
} from './package-managers.js';
import {
  ownerOf,
  packageJsonWorkspaces,
  parsePnpmWorkspace,
  selectPackages,
  type WorkspacePackage,
} from './workspaces.js';

describe('parsePnpmWorkspace', () => {
  it.each<[string, string, string[]]>([
    [
      'changesets: a block list followed by other settings',
      'packages:\n  - packages/*\n  - scripts/*\n  - site\n\nallowBuilds:\n  "@pnpm/pnpr": true\nminimumReleaseAgeExclude:\n  - vite@8.2.0\n',
      ['packages/*', 'scripts/*', 'site'],
    ],
    [
      'quotes, comments and exclusions',
      "# the workspace\npackages:\n  # apps\n  - 'apps/*'\n  - \"packages/**\" # all\n  - '!**/test/**'\n",
      ['apps/*', 'packages/**', '!**/test/**'],
    ],
    ['a flow list', 'packages: [\'a/*\', "b"]\n', ['a/*', 'b']],
    ['nanoid: no packages at all', 'allowBuilds:\n  simple-git-hooks: true\n', []],
  ])('%s', (_, text, expected) => {
    expect(parsePnpmWorkspace(text)).toEqual(expected);
  });
});

describe('packageJsonWorkspaces', () => {
  it.each<[unknown, string[]]>([
    [['packages/*'], ['packages/*']],
    [{ packages: ['a', 'b'], nohoist: ['x'] }, ['a', 'b']],
    [undefined, []],
    ['packages/*', []],
  ])('%j', (workspaces, expected) => {
    expect(packageJsonWorkspaces({ workspaces })).toEqual(expected);
  });
});

const PACKAGES: WorkspacePackage[] = [
  { dir: '', name: 'root', pkg: {} },
  { dir: 'packages/a', name: '@x/a', pkg: {} },
  { dir: 'packages/a/sub', name: '@x/sub', pkg: {} },
  { dir: 'apps/web', name: 'web', pkg: {} },
];

describe('selectPackages', () => {
  it.each<[string[], string[]]>([
    [[], ['packages/a', 'packages/a/sub', 'apps/web']],
    [['@x/*'], ['packages/a', 'packages/a/sub']],
    [['./apps/*'], ['apps/web']],
    [['{packages/a}'], ['packages/a']],
    [['web...'], ['apps/web']],
    [['...^@x/a'], ['packages/a']],
    [['!web'], ['packages/a', 'packages/a/sub']],
    [['packages/a'], ['packages/a']],
  ])('%j', (filters, expected) => {
    expect(selectPackages(PACKAGES, filters).map((p) => p.dir)).toEqual(expected);
  });
});

describe('ownerOf', () => {
  const dirs = PACKAGES.map((p) => p.dir);
  it.each([
    ['packages/a/src/x.ts', 'packages/a'],
    ['packages/a/sub/src/x.ts', 'packages/a/sub'],
    ['packages/ab/x.ts', ''],
    ['./apps/web/x.ts', 'apps/web'],
    ['src/x.ts', ''],
  ])('%s', (file, expected) => {
    expect(ownerOf(file, dirs)).toBe(expected);
  });
});

describe('matchScripts', () => {
  const scripts = { test: '', 'test:unit': '', 'test:unit:slow': '', 'test:e2e': '', lint: '' };
  it.each<[string, Parameters<typeof matchScripts>[2], string[]]>([
    ['test', 'name', ['test']],
    ['missing', 'name', []],
    ['/^test:/', 'name', ['test:unit', 'test:unit:slow', 'test:e2e']],
    ['/^test:[a-z0-9]+$/', 'name', ['test:unit', 'test:e2e']],
    ['/(/', 'name', []],
    ['test:*', 'npm-run-all', ['test:unit', 'test:e2e']],
    ['test:**', 'npm-run-all', ['test:unit', 'test:unit:slow', 'test:e2e']],
    ['test:*', 'concurrently', ['test:unit', 'test:unit:slow', 'test:e2e']],
  ])('%s (%s)', (pattern, match, expected) => {
    expect(matchScripts(pattern, scripts, match)).toEqual(expected);
  });
});

describe('resolvePackageManager', () => {
  it.each<[PackageJson, string[], string]>([
    [{ packageManager: 'pnpm@10.28.0' }, ['package-lock.json'], 'pnpm'],
    [{ packageManager: 'yarn@4.1.0+sha512.abc' }, [], 'yarn'],
    [{}, ['pnpm-lock.yaml'], 'pnpm'],
    [{}, ['yarn.lock'], 'yarn'],
    [{}, ['bun.lock'], 'bun'],
    [{}, ['package-lock.json'], 'npm'],
    [{ packageManager: 'cnpm@1' }, [], 'npm'],
  ])('%j %j', (pkg, files, expected) => {
    expect(resolvePackageManager(pkg, files)).toBe(expected);
  });
});

describe('runsPrePost', () => {
  it.each<[PackageManager, PackageJson, string[], boolean]>([
    ['npm', {}, [], true],
    ['pnpm', { packageManager: 'pnpm@10.28.0' }, [], true],
    ['pnpm', { packageManager: 'pnpm@7.33.0' }, [], false],
    ['yarn', { packageManager: 'yarn@1.22.22' }, [], true],
    ['yarn', { packageManager: 'yarn@4.1.0' }, [], false],
    ['yarn', {}, ['.yarnrc.yml'], false],
    ['yarn', {}, ['yarn.lock'], true],
    ['bun', {}, [], false],
  ])('%s %j %j', (manager, pkg, files, expected) => {
    expect(runsPrePost(manager, pkg, files)).toBe(expected);
  });
});
