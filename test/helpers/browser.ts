import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { git, PROJECT_ROOT } from './repo.js';

// The browser tests' Chromium: Debian's, driven by playwright-core, offline.

export const CHROMIUM = process.env.BEAST_CHROMIUM ?? '/usr/bin/chromium';
// Without the background-networking flags chromium keeps dialling Google's hosts, which a closed
// network refuses; playwright gives every launch a fresh, empty user-data-dir of its own.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where the browser tests leave screenshots and logs. */
export const RESULTS = path.join(PROJECT_ROOT, 'test-results');

/**
 * Launches headless Chromium, after checking that it and the built dashboard are there: a missing
 * one fails the test with what to do, not with a launch error.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser test needs Chromium at ${CHROMIUM}, and it is not there. Install Debian's ` +
        `chromium with \`bash scripts/install-chromium.sh\` (apt-get install chromium), or point ` +
        `BEAST_CHROMIUM at a Chromium binary.`,
    );
  }
  if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'web', 'index.html'))) {
    throw new Error('The dashboard is not built (dist/web/index.html): run `npm run build`.');
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** What a `beast serve` child has printed so far, for a failing test's message. */
export interface ServerLog {
  text: string;
}

/**
 * Resolves with a `beast serve` child's URL from its `serving on` line, collecting everything it
 * prints into `log`; rejects if it exits first.
 */
export function waitForUrl(child: ChildProcess, log: ServerLog): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      log.text += chunk.toString();
      const match = /serving on (https?:\/\/\S+)/.exec(log.text);
      if (match?.[1]) resolve(match[1].replace(/\/$/, ''));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`beast serve exited (${code ?? signal}) before serving:\n${log.text}`)),
    );
  });
}

/**
 * A git repository holding a copy of examples/demo-repo, the repository `npm start` improves (it
 * has findings the built-in models fix), in a new temporary folder that is added to `temps`.
 */
export async function demoRepo(prefix: string, temps: string[]): Promise<string> {
  const dir = path.join(await mkdtemp(path.join(tmpdir(), prefix)), 'demo-repo');
  temps.push(path.dirname(dir));
  await cp(path.join(PROJECT_ROOT, 'examples', 'demo-repo'), dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'demo-repo as shipped');
  return dir;
}
