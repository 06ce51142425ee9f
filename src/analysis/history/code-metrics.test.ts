import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CODE_METRICS,
  mineCodeMetrics,
  parseCatFileBatch,
  parseLsTree,
  snapshotCommit,
  sourceMetrics,
} from './code-metrics.js';
import { buildSnapshot, featureNames, isPredictedFile } from './features.js';
import { createFixMatcher } from './labels.js';
import { mineHistory } from './mine.js';
import type { History } from './types.js';

const DAY = 86_400;
const START = 1_600_000_000;
const T = START + 400 * DAY;

const SIMPLE = 'export function f(a: number) {\n  return a + 1;\n}\n';
const BRANCHY =
  'export function f(a: number) {\n  if (a > 0) {\n    return a;\n  }\n  return -a;\n}\n';
const NESTED =
  'export function f(a: number) {\n  for (const x of [a]) {\n    if (x > 0) {\n      while (a) {\n        if (a % 2) a--;\n        else a -= 2;\n      }\n    }\n  }\n  return a;\n}\nexport const g = () => (a ? 1 : 2);\n';

let dir: string;
let history: History;

async function commitAt(day: number, message: string, files: Record<string, string>) {
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  const date = `${START + day * DAY} +0000`;
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['commit', '-q', '-m', message], {
    cwd: dir,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'a',
      GIT_AUTHOR_EMAIL: 'a@example.com',
      GIT_COMMITTER_NAME: 'a',
      GIT_COMMITTER_EMAIL: 'a@example.com',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'beast-metrics-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  await commitAt(0, 'initial', { 'src/a.ts': SIMPLE, 'src/b.ts': SIMPLE });
  await commitAt(300, 'fix: sign of a', { 'src/a.ts': BRANCHY });
  // Everything from here on is at or after the prediction time T.
  await commitAt(400, 'fix: at the boundary', { 'src/a.ts': NESTED });
  await commitAt(450, 'new file', { 'src/e.ts': NESTED, 'src/b.ts': NESTED });
  history = await mineHistory(dir);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mineCodeMetrics', () => {
  it('measures each file as it was in the commit before the prediction time, not at HEAD', async () => {
    const mined = await mineCodeMetrics(dir, history.commits, [T], { include: isPredictedFile });
    expect(mined.names).toEqual([...CODE_METRICS]);
    const atT = mined.values.get(T);
    expect([...(atT?.keys() ?? [])]).toEqual(['src/a.ts', 'src/b.ts']);
    expect(atT?.get('src/a.ts')).toEqual(sourceMetrics('src/a.ts', BRANCHY));
    expect(atT?.get('src/b.ts')).toEqual(sourceMetrics('src/b.ts', SIMPLE));
    const head = await mineCodeMetrics(dir, history.commits, [Infinity], {
      include: isPredictedFile,
    });
    expect(head.values.get(Infinity)?.get('src/a.ts')).toEqual(sourceMetrics('a.ts', NESTED));
    expect(head.values.get(Infinity)?.get('src/a.ts')).not.toEqual(atT?.get('src/a.ts'));
  });

  it('gives the features at T the same values with or without the later commits', async () => {
    const isFix = createFixMatcher();
    const past = history.commits.filter((c) => c.time < T);
    const build = async (commits: typeof past) => {
      const codeMetrics = await mineCodeMetrics(dir, commits, [T], { include: isPredictedFile });
      return buildSnapshot(commits, T, { isFix, codeMetrics });
    };
    const withFuture = await build(history.commits);
    expect(withFuture).toEqual(await build(past));
    const cognitive = featureNames({
      codeMetrics: { names: [...CODE_METRICS], values: new Map() },
    }).indexOf('cognitive');
    expect(withFuture.features[0]?.[cognitive]).toBe(sourceMetrics('a.ts', BRANCHY)?.[0]);
  });

  it('analyses a blob shared by several snapshots once', async () => {
    const times = [START + 100 * DAY, START + 200 * DAY, T];
    const mined = await mineCodeMetrics(dir, history.commits, times, { include: isPredictedFile });
    expect(mined.cost).toMatchObject({ snapshots: 3, files: 6, blobs: 2 });
  });
});

describe('git output parsing', () => {
  it('picks the last commit of the prefix before the time', () => {
    const commits = [10, 20, 30].map((time) => ({
      sha: `c${time}`,
      time,
      author: '',
      subject: '',
      files: [],
    }));
    expect(snapshotCommit(commits, 25)?.sha).toBe('c20');
    expect(snapshotCommit(commits, 20)?.sha).toBe('c10');
    expect(snapshotCommit(commits, 10)).toBeUndefined();
  });

  it('reads ls-tree and cat-file --batch output', () => {
    expect(parseLsTree('100644 blob abc\tsrc/a b.ts\x00040000 tree def\tsrc\x00')).toEqual(
      new Map([['src/a b.ts', 'abc']]),
    );
    const batch = Buffer.from('abc blob 3\nx\ny\nzzz missing\ndef blob 0\n\n');
    expect(parseCatFileBatch(batch)).toEqual(
      new Map([
        ['abc', 'x\ny'],
        ['def', ''],
      ]),
    );
  });

  it('treats a file that does not parse as unknown', () => {
    expect(sourceMetrics('a.ts', 'export function (')).toBeUndefined();
  });
});
