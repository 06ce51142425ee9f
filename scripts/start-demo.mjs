// `npm start`: run `beast improve` on a fresh, git-initialised copy of examples/demo-repo.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const project = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'beast-demo-'));
const repo = path.join(work, 'demo-repo');
cpSync(path.join(project, 'examples', 'demo-repo'), repo, { recursive: true });

const identity = {
  GIT_AUTHOR_NAME: 'Demo',
  GIT_AUTHOR_EMAIL: 'demo@example.com',
  GIT_COMMITTER_NAME: 'Demo',
  GIT_COMMITTER_EMAIL: 'demo@example.com',
};
const git = (...args) =>
  execFileSync('git', args, { cwd: repo, env: { ...process.env, ...identity }, encoding: 'utf8' });
git('init', '-q', '-b', 'main');
git('add', '-A');
git('commit', '-q', '-m', 'demo-repo as shipped');

// A store of its own, so the demo leaves the user's history alone.
const home = process.env.BEAST_HOME ?? path.join(work, 'beast-home');
process.stderr.write(`demo repository: ${repo}\n`);
const result = spawnSync(
  process.execPath,
  [path.join(project, 'bin', 'beast.js'), 'improve', repo, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, BEAST_HOME: home } },
);
if (result.status === 0) {
  const branch = git('branch', '--list', 'beast/*', '--format=%(refname:short)').trim();
  if (branch) {
    process.stdout.write(
      `\nCommits on ${branch}:\n${git('log', '--format=  %h %s', `main..${branch}`)}`,
    );
    process.stdout.write(`\nInspect: cd ${repo} && git log -p ${branch}\n`);
  }
}
process.exit(result.status ?? 3);
