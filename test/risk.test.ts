import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RISK_MODEL_NAME, type RiskModel } from '../src/analysis/index.js';
import { latestRiskModel, openStore, saveRiskModel } from '../src/store/index.js';
import { beast, makeRepo } from './helpers/repo.js';

const DAY = 86_400;
// Ends just before now: `makeRepo` makes its empty initial commit at the current time.
const START = Math.floor(Date.now() / 1000) - 605 * DAY;

/** Commits with a given author date (the helpers' `git` has no way to set it). */
function commitAt(dir: string, day: number, message: string, author: string): void {
  const date = `@${START + day * DAY} +0000`;
  execFileSync('git', ['add', '-A'], { cwd: dir });
  execFileSync('git', ['commit', '-q', '-m', message], {
    cwd: dir,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: author,
      GIT_AUTHOR_EMAIL: `${author}@example.com`,
      GIT_COMMITTER_NAME: author,
      GIT_COMMITTER_EMAIL: `${author}@example.com`,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
  });
}

/**
 * Twelve modules over 600 days. Files 0-3 keep getting features that the next commit then fixes
 * (a fix rewrites the line the feature added, so SZZ blames the feature); files 4-11 grow quietly.
 */
async function makeHistory(): Promise<string> {
  const files: Record<string, string[]> = {};
  for (let f = 0; f < 12; f++) files[`src/m${f}.ts`] = [`export const m${f} = ${f};`];
  const dir = await makeRepo({});
  const flush = async () => {
    for (const [name, lines] of Object.entries(files))
      await writeFile(path.join(dir, name), `${lines.join('\n')}\n`);
  };
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await flush();
  commitAt(dir, 0, 'initial modules', 'ann');
  for (let k = 1; k <= 120; k++) {
    const day = k * 5;
    if (k % 2 === 1) {
      const name = `src/m${((k - 1) / 2) % 4}.ts`;
      files[name]?.push(`export const feature${k} = () => ${k} + 1;`);
      await flush();
      commitAt(dir, day, `feat: feature ${k}`, k % 3 ? 'bob' : 'cy');
    } else {
      const name = `src/m${((k - 2) / 2) % 4}.ts`;
      const lines = files[name] ?? [];
      lines[lines.length - 1] = `export const feature${k - 1} = () => ${k - 1};`;
      await flush();
      commitAt(dir, day, `fix: off-by-one in feature ${k - 1}`, 'ann');
      const quiet = `src/m${4 + (k % 8)}.ts`;
      files[quiet]?.push(`export const q${k} = ${k};`);
      await flush();
      commitAt(dir, day + 1, `chore: add constant ${k}`, 'dan');
    }
  }
  return dir;
}

let repo: string;
let home: string;

beforeAll(async () => {
  repo = await makeHistory();
  home = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
}, 120_000);

afterAll(async () => {
  await rm(repo, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

describe('beast train and beast risk', () => {
  it('refuses to list risk before a model is trained', () => {
    const result = beast(['risk', repo], { env: { BEAST_HOME: home } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no defect-risk model .* run `beast train/);
  });

  it('trains with SZZ labels, prints the model against both baselines and stores it', () => {
    const result = beast(['train', repo, '--horizon', '30'], { env: { BEAST_HOME: home } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/60 bug-fix commits; labels: SZZ/);
    expect(result.stdout).toMatch(
      /gradient-boosted trees\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}/,
    );
    expect(result.stdout).toMatch(/churn x complexity\s+\d\.\d{3}/);
    expect(result.stdout).toMatch(/logistic on lines added\s+\d\.\d{3}/);
    expect(result.stdout).toMatch(
      /ranking by (the model \(gradient-boosted trees\)|churn x complexity|logistic on lines added): it measured (best|as well as any \(a tie goes to the simpler ranking\)) on the most recent closed window \(test AUC \d\.\d{3}; /,
    );
    expect(result.stdout).toMatch(
      /AUC difference: [+-]\d\.\d{3} against churn x complexity \(95% bootstrap interval over files [+-]\d\.\d{3} \.\. [+-]\d\.\d{3}; higher in \d+% of \d+ resamples\)/,
    );
    expect(result.stdout).toMatch(
      /hyperparameters: \d+ rounds, depth \d, learning rate [\d.]+, from the (churn x complexity prior|base rate), chosen of 24 on the training snapshots alone by the one-standard-error rule \(validation AUC \d\.\d{3}/,
    );
    expect(result.stdout).toContain('stored as quality:defect-risk version 1');
  });

  it('lists files by predicted risk with the factors behind each', () => {
    const result = beast(['risk', repo, '-n', '4', '--json'], { env: { BEAST_HOME: home } });
    expect(result.code).toBe(0);
    const { version, kind, files } = JSON.parse(result.stdout) as {
      version: number;
      kind: string;
      files: { file: string; risk: number; factors: { feature: string }[] }[];
    };
    expect(version).toBe(1);
    expect(kind).toBe('gbt');
    // The four files that keep needing fixes come first.
    expect(files.map((f) => f.file).sort()).toEqual([
      'src/m0.ts',
      'src/m1.ts',
      'src/m2.ts',
      'src/m3.ts',
    ]);
    expect(files[0]?.factors).toHaveLength(3);
    const text = beast(['risk', repo, '-n', '2'], { env: { BEAST_HOME: home } });
    expect(text.stdout).toMatch(/feature importance: /);
    expect(text.stdout).toMatch(/src\/m[0-3]\.ts {2}\[\w+=[\d.]+ \([+-]\d\.\d\d\)/);
  });

  it('adds defect risk, with its importance, to the quality report of beast status', () => {
    expect(beast(['scan', repo, '--quiet'], { env: { BEAST_HOME: home } }).code).toBe(0);
    const result = beast(['status', repo, '--json'], { env: { BEAST_HOME: home } });
    expect(result.code).toBe(0);
    const { quality } = JSON.parse(result.stdout) as {
      quality: { factors: Record<string, { value: number; importance: number }> };
    };
    const risk = quality.factors.defectRisk;
    expect(risk?.value).toBeGreaterThanOrEqual(0);
    expect(risk?.value).toBeLessThanOrEqual(1);
    expect(risk?.importance).toBeGreaterThan(0);
    const text = beast(['status', repo], { env: { BEAST_HOME: home } }).stdout;
    expect(text).toMatch(/Quality report: quality \d\.\d{3}/);
    expect(text).toMatch(/defectRisk\s+\d\.\d{3}\s+\d\.\d{3}/);
  });

  it('refuses a stored model trained on other features, and the report says to retrain', async () => {
    const db = path.join(home, 'stale.db');
    expect(beast(['train', repo, '--db', db], { env: { BEAST_HOME: home } }).code).toBe(0);
    expect(beast(['scan', repo, '--quiet', '--db', db], { env: { BEAST_HOME: home } }).code).toBe(
      0,
    );
    const store = await openStore(db);
    try {
      const stored = await latestRiskModel(store, repo, RISK_MODEL_NAME);
      const model = stored!.model as RiskModel;
      // As an older version stored it: without the churn x complexity feature.
      const features = model.features.filter((f) => f !== 'churn_x_complexity');
      await saveRiskModel(store, repo, {
        name: RISK_MODEL_NAME,
        commit: undefined,
        kind: model.kind,
        labelling: model.labelling,
        trainedFrom: stored!.trainedFrom,
        trainedTo: stored!.trainedTo,
        features,
        metrics: {},
        model: { ...model, features },
      });
    } finally {
      await store.close();
    }
    const risk = beast(['risk', repo, '--db', db], { env: { BEAST_HOME: home } });
    expect(risk.code).toBe(2);
    expect(risk.stderr.trim().split('\n')).toHaveLength(1);
    expect(risk.stderr).toMatch(
      /trained on other features \(without churn_x_complexity\); run `beast train` again/,
    );
    const status = beast(['status', repo, '--json', '--db', db], { env: { BEAST_HOME: home } });
    expect(status.code).toBe(0);
    const { quality } = JSON.parse(status.stdout) as {
      quality: { factors: Record<string, unknown>; recommendations: { message: string }[] };
    };
    expect(quality.factors.defectRisk).toBeUndefined();
    expect(quality.recommendations.map((r) => r.message).join('\n')).toMatch(
      /run `beast train` again/,
    );
  });

  it('uses the heuristic ranking, and says so, with too few bug fixes', () => {
    const result = beast(['train', repo, '--fix-pattern', 'nothing-matches-this', '--no-store'], {
      env: { BEAST_HOME: home },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /ranking by churn x complexity: no model was trained \(only 0 bug-fix commits \(need 20\)\), and it needs no training/,
    );
  });
});
