import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { BIN, git, PROJECT_ROOT } from './repo.js';

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

/** A dashboard page, with the errors it logged and the requests it tried to send elsewhere. */
export interface WatchedPage {
  page: Page;
  errors: string[];
  foreign: string[];
}

/** Where a test's pages are opened: the browser, the served dashboard and its API token. */
export interface DashboardSite {
  browser: Browser;
  baseUrl: string;
  token: string;
  /** Playwright's wait for one step, so that a hung step fails with what it waited for. */
  stepTimeout: number;
}

/**
 * A page signed in to the dashboard (the token in the address once, as `beast serve`'s link
 * does) and then at `hash`, watched for errors and for requests anywhere but the server.
 */
export async function openDashboard(
  site: DashboardSite,
  hash: string,
  viewport = { width: 1280, height: 1000 },
): Promise<WatchedPage> {
  const page = await site.browser.newPage({ viewport });
  page.setDefaultTimeout(site.stepTimeout);
  const watched: WatchedPage = { page, errors: [], foreign: [] };
  page.on('pageerror', (error) => watched.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(message.text());
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(site.baseUrl) || url.startsWith('data:')) return route.continue();
    watched.foreign.push(url);
    return route.abort();
  });
  await page.goto(`${site.baseUrl}/#token=${site.token}`);
  await page.waitForFunction("!location.hash.includes('token=')");
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
  return watched;
}

/**
 * Runs `body` on a dashboard page at `hash`, then expects no page error and no foreign request;
 * a failure leaves a screenshot `<name>-failure.png` in test-results/.
 */
export async function onDashboardPage(
  site: DashboardSite,
  name: string,
  hash: string,
  body: (page: Page) => Promise<void>,
  viewport?: { width: number; height: number },
): Promise<void> {
  const watched = await openDashboard(site, hash, viewport);
  try {
    await body(watched.page);
    expect(watched.errors).toEqual([]);
    expect(watched.foreign).toEqual([]);
  } catch (error) {
    await watched.page.screenshot({
      path: path.join(RESULTS, `${name}-failure.png`),
      fullPage: true,
    });
    throw error;
  } finally {
    await watched.page.close();
  }
}

/** How wide the page is: more than the viewport means it scrolls sideways. */
export const scrollWidth = (page: Page): Promise<number> =>
  page.evaluate('document.scrollingElement.scrollWidth') as Promise<number>;

/** A built `beast serve` on a free port with a fresh store, for the browser tests. */
export interface ServedDashboard {
  baseUrl: string;
  token: string;
  log: ServerLog;
  /** Calls the API with the token; fails the test on an error status. */
  api<T>(route: string, body?: unknown): Promise<T>;
  /** Starts a job through the API and polls it until it ends; fails unless it succeeded. */
  runJob(kind: 'scan' | 'improve', repo: number): Promise<void>;
  /** Where pages of this server are opened in `browser`. */
  site(browser: Browser, stepTimeout: number): DashboardSite;
  /** Stops the server and writes what it printed to test-results/<name>-serve.log. */
  stop(name: string): Promise<void>;
}

const FINISHED = new Set(['succeeded', 'failed', 'interrupted', 'cancelled']);

/** Starts `beast serve` with a new token and a store in a new folder added to `temps`. */
export async function serveDashboard(temps: string[]): Promise<ServedDashboard> {
  const token = randomBytes(24).toString('hex');
  const home = await mkdtemp(path.join(tmpdir(), 'beast-e2e-home-'));
  temps.push(home);
  const server = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--db', path.join(home, 'beast.db')],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, BEAST_HOME: home, BEAST_API_TOKEN: token, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log: ServerLog = { text: '' };
  const baseUrl = await waitForUrl(server, log);
  const api = async <T>(route: string, body?: unknown): Promise<T> => {
    const response = await fetch(baseUrl + route, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, `${route}: ${await response.clone().text()}`).toBeLessThan(300);
    return (await response.json()) as T;
  };
  return {
    baseUrl,
    token,
    log,
    api,
    async runJob(kind, repo) {
      const { job } = await api<{ job: { id: number } }>(`/api/self-improvement/${kind}`, {
        repo,
      });
      for (;;) {
        const { job: now } = await api<{ job: { status: string; error: unknown } }>(
          `/api/jobs/${job.id}`,
        );
        if (FINISHED.has(now.status)) {
          expect(now.status, `${kind}: ${JSON.stringify(now.error)}\n${log.text}`).toBe(
            'succeeded',
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    site: (browser, stepTimeout) => ({ browser, baseUrl, token, stepTimeout }),
    async stop(name) {
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      await writeFile(path.join(RESULTS, `${name}-serve.log`), log.text).catch(() => undefined);
    },
  };
}
