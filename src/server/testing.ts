import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { createJobHandlers, createJobRunner, type JobRunner } from '../pipeline/index.js';
import { openStore, type Store } from '../store/index.js';
import { createApp, type AppDeps } from './app.js';

/* Test helpers of the server's tests: a real store, the real job handlers and the app over them. */

export const TOKEN = 'test-token-0123456789';

export interface Harness {
  dir: string;
  store: Store;
  runner: JobRunner;
  app: ReturnType<typeof createApp>;
  call(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
}

const open: Harness[] = [];

/** Stops the runners and closes the stores of every harness made so far; for `afterEach`. */
export async function closeHarnesses(): Promise<void> {
  const harnesses = open.splice(0);
  for (const h of harnesses) await h.runner.stop();
  for (const store of new Set(harnesses.map((h) => h.store))) await store.close();
}

/** A real store in a temporary folder, the real job handlers, and the app over them. */
export async function harness(
  options: Partial<Pick<AppDeps, 'corsOrigin' | 'staticDir' | 'maxBodyBytes'>> & {
    start?: boolean;
    store?: Store;
    dir?: string;
  } = {},
): Promise<Harness> {
  const dir = options.dir ?? (await mkdtemp(path.join(tmpdir(), 'beast-serve-')));
  const store = options.store ?? (await openStore(path.join(dir, 'beast.db')));
  const runner = createJobRunner({ store, handlers: createJobHandlers(store, dir, process.env) });
  if (options.start !== false) await runner.start();
  const app = createApp({
    store,
    runner,
    token: TOKEN,
    staticDir: options.staticDir ?? path.join(dir, 'web'),
    ...(options.corsOrigin ? { corsOrigin: options.corsOrigin } : {}),
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
  });
  const call: Harness['call'] = async (method, url, body, headers = {}) =>
    app.request(url, {
      method,
      headers: {
        authorization: `Bearer ${TOKEN}`,
        'content-type': 'application/json',
        ...headers,
      },
      ...(body === undefined
        ? {}
        : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const h = { dir, store, runner, app, call };
  open.push(h);
  return h;
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export interface Job {
  id: number;
  status: string;
  kind: string;
  repoId: number;
  params: unknown;
  progress: unknown;
  result: Record<string, unknown> | null;
  error: string | null;
  attempts: number;
}

export async function register(h: Harness, folder: string): Promise<number> {
  const response = await h.call('POST', '/api/repos', { path: folder });
  expect(response.status).toBe(201);
  return (await json<{ repo: { id: number } }>(response)).repo.id;
}

/** Queues a job through the API and waits until the queue is empty; returns the finished job. */
export async function runJob(h: Harness, url: string, body: unknown): Promise<Job> {
  const queued = await h.call('POST', url, body);
  expect(queued.status).toBe(202);
  const { job } = await json<{ job: Job }>(queued);
  await h.runner.idle();
  return (await json<{ job: Job }>(await h.call('GET', `/api/jobs/${job.id}`))).job;
}

export const SOURCE = {
  'src/a.ts':
    'export function f(x: any) {\n  var y = x;\n  if (y == 1) { return 1; }\n  return y;\n}\n',
  'src/b.ts': 'export const b = (n: number) => n * 2;\n',
};

/** The events of a server-sent event stream's text. */
export function parseEvents(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const lines = block.split('\n');
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? '';
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6) ?? 'null';
      return { event, data: JSON.parse(data) as unknown };
    });
}
