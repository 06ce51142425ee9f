import { readdir, readFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeImproveFixture } from './improve-fixture.js';
import { git } from './repo.js';

/** A fixture repository whose `origin` fetches from GitHub's URL but pushes to a local bare one. */
export interface DeliveryFixture {
  repo: string;
  /** The bare repository `origin` pushes to. */
  bare: string;
  /** BEAST_HOME for the run: the store and the worktrees. */
  home: string;
}

/**
 * `makeImproveFixture(modules)` with `origin` set up as a GitHub remote: its URL
 * (`https://github.com/owner/repo.git`) names the repository for the API, its push URL is a local
 * bare repository, so a real `git push` runs without a network. `config` is committed as
 * beast.config.json when given.
 */
export async function makeDeliveryFixture(
  modules: number,
  config?: Record<string, unknown>,
): Promise<DeliveryFixture> {
  const repo = await makeImproveFixture(modules);
  const bare = await mkdtemp(path.join(tmpdir(), 'beast-remote-'));
  const home = await mkdtemp(path.join(tmpdir(), 'beast-home-'));
  git(bare, 'init', '-q', '--bare');
  git(repo, 'remote', 'add', 'origin', 'https://github.com/owner/repo.git');
  git(repo, 'config', 'remote.origin.pushurl', bare);
  if (config) {
    await writeFile(path.join(repo, 'beast.config.json'), JSON.stringify(config));
    git(repo, 'add', 'beast.config.json');
    git(repo, 'commit', '-q', '-m', 'config');
  }
  return { repo, bare, home };
}

/** Every file under `dir` whose bytes hold `secret`, relative to `dir`. */
export async function filesHolding(dir: string, secret: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && (await readFile(full)).includes(secret)) {
        found.push(path.relative(dir, full));
      }
    }
  };
  await walk(dir);
  return found;
}
