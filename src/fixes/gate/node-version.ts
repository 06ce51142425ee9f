import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { isPathInside, readTextInside } from '../../core/index.js';
import {
  compareVersions,
  parseNodeRange,
  parseVersion,
  satisfiesRange,
  type NodeRange,
  type Version,
} from './node-range.js';
import { readPackageJson } from './package-json.js';
import { testEnvironment } from './process.js';

/** Where a Node requirement was written. */
export type NodeRequirementSource =
  | 'engines.node'
  | '.nvmrc'
  | '.node-version'
  | 'volta.node'
  | 'beast.config.json'
  | '.github/workflows';

/** One Node version requirement of the repository. */
export interface NodeRequirement {
  source: NodeRequirementSource;
  /** As written. */
  text: string;
  range: NodeRange;
  /**
   * `engines.node` and the configuration are required; a version manager's pin (`.nvmrc`,
   * `.node-version`, volta) is preferred: the Node its CI uses, while any Node in `engines` runs it.
   */
  strength: 'required' | 'preferred';
}

/** What the repository says about the Node and package manager it runs on. */
export interface NodeRequirements {
  requirements: NodeRequirement[];
  /** package.json `packageManager` as written (`pnpm@9.12.0`), recorded for the report. */
  packageManager?: string;
  /** Requirements that could not be read (not a version range), ignored. */
  warnings: string[];
}

/** Where a Node binary was found. */
export type NodeSource =
  | 'this process'
  | 'BEAST_NODE'
  | '--node'
  | 'PATH'
  | 'nvm'
  | 'fnm'
  | 'volta'
  | 'asdf'
  | 'n'
  | 'mise';

/** A Node to run the repository's checks with. */
export interface RepositoryNode {
  /** Absolute path of the binary. */
  path: string;
  /** Its version, without `v` (`22.23.3`). */
  version: string;
  source: NodeSource;
}

export type FindNodeResult =
  | {
      node: RepositoryNode;
      requirements: NodeRequirements;
      /** What the report should say besides: a preferred pin no Node here has. */
      notes: string[];
    }
  | { reason: string; requirements: NodeRequirements };

export interface FindNodeOptions {
  /** Environment for `BEAST_NODE`, `PATH`, `HOME` and the version managers' variables. */
  env?: NodeJS.ProcessEnv;
  /** A path from the user's `--node` flag; tried before `BEAST_NODE`. */
  flagPath?: string;
  /** A version or range from the configuration (`node`): a requirement, never a path. */
  configRange?: string;
  /** This process's Node; `process.execPath` and `process.versions.node` by default. */
  self?: { path: string; version: string };
  /** The home folder for the version managers' default folders; `os.homedir()` by default. */
  home?: string;
}

const VERSION_MANAGERS = ['nvm', 'fnm', 'volta', 'asdf', 'n', 'mise'] as const;

/** The first meaningful line of a version-manager file (nvm allows `#` comments). */
function pinOf(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const value = line.replace(/#.*$/, '').trim();
    if (value !== '') return value;
  }
  return undefined;
}

/** A pinned release (`22.1.0`) accepts later releases of its major; anything else is a range. */
function pinRange(text: string): NodeRange | undefined {
  const exact = parseVersion(text);
  if (exact === undefined) return parseNodeRange(text);
  const range = parseNodeRange(`^${exact.join('.')}`);
  return range && { ...range, text };
}

/**
 * Reads the repository's Node requirements from package.json (`engines.node`, `volta.node`,
 * `packageManager`), `.nvmrc` and `.node-version`, plus `configRange` from the configuration.
 * Files that are missing say nothing; a value that is not a version range is a warning.
 */
export async function readNodeRequirements(
  root: string,
  configRange?: string,
): Promise<NodeRequirements> {
  const out: NodeRequirements = { requirements: [], warnings: [] };
  const add = (
    source: NodeRequirementSource,
    text: unknown,
    strength: NodeRequirement['strength'],
  ): void => {
    if (typeof text !== 'string') {
      if (text !== undefined) out.warnings.push(`${source} is not a string; ignored`);
      return;
    }
    const range = strength === 'required' ? parseNodeRange(text) : pinRange(text);
    if (range === undefined)
      out.warnings.push(`${source} "${text}" is not a Node version; ignored`);
    else out.requirements.push({ source, text: text.trim(), range, strength });
  };

  const read = await readPackageJson(root);
  if ('pkg' in read) {
    const { engines, volta, packageManager } = read.pkg as {
      engines?: { node?: unknown };
      volta?: { node?: unknown };
      packageManager?: unknown;
    };
    add('engines.node', isObject(engines) ? engines.node : undefined, 'required');
    add('volta.node', isObject(volta) ? volta.node : undefined, 'preferred');
    if (typeof packageManager === 'string') out.packageManager = packageManager;
  }
  for (const file of ['.nvmrc', '.node-version'] as const) {
    const text = await readTextInside(root, file, { followInside: true }).catch(() => undefined);
    if (text !== undefined) add(file, pinOf(text) ?? '', 'preferred');
  }
  const ci = await workflowNodeMajors(root);
  // What CI sets up is what the tests are known to pass on: preferred, as a version manager's pin.
  if (ci.length > 0)
    add('.github/workflows', ci.map((major) => `^${major}`).join(' || '), 'preferred');
  if (configRange !== undefined) add('beast.config.json', configRange, 'required');
  return out;
}

/**
 * Pure: the Node majors a GitHub Actions workflow sets up (`node-version: 22`, `[20, 22]`, or a
 * matrix list under `node-version:`); expressions and aliases (`lts/*`) are not versions.
 */
export function parseWorkflowNodeVersions(text: string): number[] {
  const majors: number[] = [];
  const take = (value: string): void => {
    const clean = value.trim().replace(/^['"]|['"]$/g, '');
    const match = /^v?(\d+)(?:\.(?:\d+|x)){0,2}$/.exec(clean);
    if (match) majors.push(Number(match[1]));
  };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const found = /^(\s*)(?:-\s+)?node-version:\s*(.*?)\s*(?:#.*)?$/.exec(line);
    if (!found) continue;
    const value = found[2] ?? '';
    if (value.startsWith('[')) value.slice(1, value.indexOf(']')).split(',').forEach(take);
    else if (value !== '') take(value);
    else {
      const indent = (found[1] ?? '').length;
      for (let j = i + 1; j < lines.length; j++) {
        const item = /^(\s*)-\s+(.*?)\s*(?:#.*)?$/.exec(lines[j] ?? '');
        if (!item || (item[1] ?? '').length < indent) break;
        take(item[2] ?? '');
      }
    }
  }
  return majors;
}

/** A workflow step that runs the repository's test script (`pnpm test`, `npm run test`, `yarn test`). */
const RUNS_TESTS = /^\s*(?:-\s+)?run:\s*(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:test|t)\b/m;

/**
 * Pure: the workflow's jobs as text (the blocks under `jobs:`), or the whole text when it has no
 * recognisable jobs.
 */
function workflowJobs(text: string): string[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^jobs:\s*$/.test(l));
  if (start < 0) return [text];
  const jobs: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    if (/^ {2}[\w-]+:\s*$/.test(line)) jobs.push([]);
    jobs.at(-1)?.push(line);
  }
  return jobs.length > 0 ? jobs.map((j) => j.join('\n')) : [text];
}

/**
 * The Node majors the repository's GitHub Actions workflows set up for the jobs that run its test
 * script (for every job when none does), sorted, once each.
 */
async function workflowNodeMajors(root: string): Promise<number[]> {
  const folder = '.github/workflows';
  const files = await readdir(path.join(root, folder)).catch(() => [] as string[]);
  const testing: number[] = [];
  const any: number[] = [];
  for (const file of files.filter((f) => /\.ya?ml$/.test(f))) {
    const text = await readTextInside(root, `${folder}/${file}`).catch(() => undefined);
    if (text === undefined) continue;
    for (const job of workflowJobs(text)) {
      const majors = parseWorkflowNodeVersions(job);
      any.push(...majors);
      if (RUNS_TESTS.test(job)) testing.push(...majors);
    }
  }
  const majors = new Set(testing.length > 0 ? testing : any);
  return [...majors].sort((a, b) => a - b);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const versions = new Map<string, string | undefined>();

/**
 * `<node> --version`, once per binary (by real path, size and time), without our secrets in its
 * environment. Undefined when it does not run or does not answer like Node.
 */
async function probeVersion(
  binary: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<string | undefined> {
  let key: string;
  try {
    const real = await realpath(binary);
    const info = await stat(real);
    if (!info.isFile()) return undefined;
    key = `${real}\0${info.size}\0${info.mtimeMs}`;
  } catch {
    return undefined;
  }
  if (versions.has(key)) return versions.get(key);
  const answer = await new Promise<string | undefined>((resolve) => {
    execFile(
      binary,
      ['--version'],
      { cwd, env: testEnvironment(env), timeout: 10_000, maxBuffer: 4096 },
      (error, stdout) => resolve(error ? undefined : stdout.trim()),
    );
  });
  const version =
    answer !== undefined && parseVersion(answer) ? answer.replace(/^v/, '') : undefined;
  versions.set(key, version);
  return version;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** `<folder>/<version>/<rest>` for each version folder, newest first. */
async function installations(folder: string, rest: string): Promise<string[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const versionOf = (name: string): Version => parseVersion(name) ?? [-1, 0, 0];
  return names
    .sort((a, b) => compareVersions(versionOf(b), versionOf(a)))
    .map((name) => path.join(folder, name, rest));
}

/** The version managers' Node installations, in the order of VERSION_MANAGERS. */
async function managerCandidates(
  env: NodeJS.ProcessEnv,
  home: string,
): Promise<{ path: string; source: NodeSource }[]> {
  const data = env.XDG_DATA_HOME || path.join(home, '.local/share');
  const folders: Record<(typeof VERSION_MANAGERS)[number], [string, string]> = {
    nvm: [path.join(env.NVM_DIR || path.join(home, '.nvm'), 'versions/node'), 'bin/node'],
    fnm: [
      path.join(env.FNM_DIR || path.join(data, 'fnm'), 'node-versions'),
      'installation/bin/node',
    ],
    volta: [path.join(env.VOLTA_HOME || path.join(home, '.volta'), 'tools/image/node'), 'bin/node'],
    asdf: [path.join(env.ASDF_DATA_DIR || path.join(home, '.asdf'), 'installs/nodejs'), 'bin/node'],
    n: [path.join(env.N_PREFIX || '/usr/local', 'n/versions/node'), 'bin/node'],
    mise: [path.join(env.MISE_DATA_DIR || path.join(data, 'mise'), 'installs/node'), 'bin/node'],
  };
  const out: { path: string; source: NodeSource }[] = [];
  for (const source of VERSION_MANAGERS) {
    const [folder, rest] = folders[source];
    for (const binary of await installations(folder, rest)) out.push({ path: binary, source });
  }
  return out;
}

function describeRequirements(requirements: readonly NodeRequirement[]): string {
  return requirements.map((r) => `${r.text} (${r.source})`).join(' and ');
}

function fits(version: string, requirements: readonly NodeRequirement[]): boolean {
  const parsed = parseVersion(version);
  return parsed !== undefined && requirements.every((r) => satisfiesRange(parsed, r.range));
}

type Candidate = { path: string; source: NodeSource };

function isUserChoice(source: NodeSource): boolean {
  return source === '--node' || source === 'BEAST_NODE';
}

/** The binaries the user named with `--node` and `BEAST_NODE`; what is wrong with them goes to `problems`. */
async function userCandidates(
  options: FindNodeOptions,
  env: NodeJS.ProcessEnv,
  problems: string[],
): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const [given, source] of [
    [options.flagPath, '--node'],
    [env.BEAST_NODE, 'BEAST_NODE'],
  ] as const) {
    if (given === undefined || given === '') continue;
    if (!path.isAbsolute(given)) problems.push(`${source} must be an absolute path: ${given}`);
    else if (!(await isExecutable(given)))
      problems.push(`${source} is not an executable file: ${given}`);
    else out.push({ path: given, source });
  }
  return out;
}

async function pathCandidates(env: NodeJS.ProcessEnv): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const folder of (env.PATH ?? '').split(path.delimiter)) {
    const binary = path.join(folder, 'node');
    if (path.isAbsolute(folder) && (await isExecutable(binary)))
      out.push({ path: binary, source: 'PATH' });
  }
  return out;
}

/** Every Node asked for its version so far, each once, with all the places it was found. */
interface Survey {
  found: RepositoryNode[];
  sourcesOf: Map<RepositoryNode, NodeSource[]>;
  problems: string[];
}

/**
 * Asks each candidate's version, once per real binary, yielding each new Node; a binary inside
 * the repository is never run.
 */
async function* probeCandidates(
  candidates: readonly Candidate[],
  survey: Survey,
  root: string,
  env: NodeJS.ProcessEnv,
): AsyncGenerator<RepositoryNode> {
  const realRoot = await realpath(root).catch(() => path.resolve(root));
  const seen = new Map<string, RepositoryNode>();
  for (const node of survey.found) seen.set(await realpath(node.path).catch(() => node.path), node);
  for (const candidate of candidates) {
    const real = await realpath(candidate.path).catch(() => undefined);
    if (real === undefined) continue;
    if (isPathInside(realRoot, real) || isPathInside(path.resolve(root), candidate.path)) {
      survey.problems.push(
        `${candidate.source} names a node inside the repository, not run: ${candidate.path}`,
      );
      continue;
    }
    const known = seen.get(real);
    if (known !== undefined) {
      survey.sourcesOf.get(known)?.push(candidate.source);
      continue;
    }
    const version = await probeVersion(candidate.path, env, root);
    if (version === undefined) {
      if (isUserChoice(candidate.source))
        survey.problems.push(
          `${candidate.source} does not answer --version like Node: ${candidate.path}`,
        );
      continue;
    }
    const node: RepositoryNode = { path: candidate.path, version, source: candidate.source };
    seen.set(real, node);
    survey.found.push(node);
    survey.sourcesOf.set(node, [candidate.source]);
    yield node;
  }
}

/** `none on PATH or in nvm/fnm folders`: the places where no Node was found at all. */
function whereNone(survey: Survey): string {
  const searched = new Set(survey.found.flatMap((node) => survey.sourcesOf.get(node) ?? []));
  const managers = VERSION_MANAGERS.filter((s) => !searched.has(s));
  const folders = managers.length > 0 ? `${managers.join('/')} folders` : '';
  if (!searched.has('PATH')) return folders ? `none on PATH or in ${folders}` : 'none on PATH';
  return folders ? `none in ${folders}` : '';
}

function missingReason(required: readonly NodeRequirement[], survey: Survey): string {
  const listed = survey.found
    .map((node) => `${node.version} (${[...new Set(survey.sourcesOf.get(node))].join(', ')})`)
    .join(', ');
  const none = whereNone(survey);
  return [
    `the repository needs Node ${describeRequirements(required)}; found ${listed}${none ? `, ${none}` : ''}`,
    ...survey.problems,
    'set BEAST_NODE to a matching node binary',
  ].join('; ');
}

/**
 * Finds a Node that satisfies the repository's requirements: this process's own first, then the
 * `--node` flag's and `BEAST_NODE`'s binary, `node` on PATH, and the installations of nvm, fnm,
 * volta, asdf, n and mise. A Node that also meets the version managers' pins is preferred; one
 * that meets only `engines.node` is taken with a note (at once when the user named it). The
 * reason, when none does, names the requirement, every version found and where none was.
 *
 * Paths come only from the user (flag, environment, PATH, their own version managers): never
 * from the repository, whose configuration may name a version only, and never a binary inside
 * the repository (its `node_modules/.bin/node`), which we would run outside the sandbox to ask
 * its version.
 */
export async function findRepositoryNode(
  root: string,
  options: FindNodeOptions = {},
): Promise<FindNodeResult> {
  const env = options.env ?? process.env;
  const self = options.self ?? { path: process.execPath, version: process.versions.node };
  const requirements = await readNodeRequirements(root, options.configRange);
  const all = requirements.requirements;
  const required = all.filter((r) => r.strength === 'required');
  const pins = describeRequirements(all.filter((r) => r.strength === 'preferred'));
  const matched = required.length > 0 ? describeRequirements(required) : 'no other requirement';
  const pinNote = (node: RepositoryNode): string =>
    isUserChoice(node.source)
      ? `Node ${node.version} (${node.source}) does not match ${pins}; ran it as chosen, as it matches ${matched}`
      : `no Node here matches ${pins}; ran Node ${node.version} (${node.source}), which matches ${matched}`;
  const selfNode: RepositoryNode = { ...self, source: 'this process' };
  if (fits(self.version, all)) return { node: selfNode, requirements, notes: [] };

  const survey: Survey = {
    found: [selfNode],
    sourcesOf: new Map([[selfNode, ['this process']]]),
    problems: [],
  };
  const candidates = [
    ...(await userCandidates(options, env, survey.problems)),
    ...(await pathCandidates(env)),
    ...(await managerCandidates(env, options.home ?? homedir())),
  ];
  let fallback = fits(self.version, required) ? selfNode : undefined;
  for await (const node of probeCandidates(candidates, survey, root, env)) {
    if (fits(node.version, all)) return { node, requirements, notes: [] };
    if (!fits(node.version, required)) continue;
    // The user's own choice wins over a version manager's pin.
    if (isUserChoice(node.source)) return { node, requirements, notes: [pinNote(node)] };
    fallback ??= node;
  }
  if (fallback !== undefined) return { node: fallback, requirements, notes: [pinNote(fallback)] };
  return { requirements, reason: missingReason(required, survey) };
}
