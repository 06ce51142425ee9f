import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeImproveFixture } from './helpers/improve-fixture.js';
import { beastAsync } from './helpers/repo.js';
import { client, startServe, stopServers, type Server } from './helpers/serve.js';

/*
 * `beast improve`, the API's improve job and the API's refactor job are one run wired in one place
 * (pipeline/run.ts): for the same repository and the same choices they report the same thing. Each
 * path records into a store of its own, so no run sees another's proposals; everything is the
 * built package, run as a user runs it.
 */

afterEach(stopServers);

interface Check {
  name: string;
  ok?: boolean;
  detail?: string;
  durationMs?: number;
}

interface Change {
  finding: { ruleId: string; file: string; location: { line: number } };
  model: string;
  status: string;
  gate?: string;
  reason?: string;
  commit?: string;
  checks: Check[];
  durationMs?: number;
}

/** The report of `beast improve --json`, as far as this test reads it. */
interface Report {
  kind: string;
  status: string;
  branch?: string;
  base: string;
  dryRun: boolean;
  before: unknown;
  after: unknown;
  afterBasis: string;
  findingsFixed: number;
  outcomes: Record<string, number[]>;
  validations: unknown;
  checks: Check[];
  changes: Change[];
  warnings: string[];
  diff?: string;
}

type Call = ReturnType<typeof client>;

/** Durations differ from run to run; what was checked and how it ended does not. */
function withoutTimes<T extends { durationMs?: number }>(value: T): Omit<T, 'durationMs'> {
  const { durationMs: _ignored, ...rest } = value;
  return rest;
}

/** A change without its timings, nor its commit on a dry run's dropped branch (dated, so unique). */
function change(c: Change) {
  const { commit: _dated, ...rest } = withoutTimes(c);
  return { ...rest, checks: c.checks.map(withoutTimes) };
}

/** A change as the improve job lists it (pipeline/jobs/handlers.ts). */
function listed(c: Change) {
  return {
    ruleId: c.finding.ruleId,
    file: c.finding.file,
    line: c.finding.location.line,
    model: c.model,
    status: c.status,
    gate: c.gate ?? null,
    reason: c.reason ?? null,
  };
}

/** What an improve job's result holds of the CLI's report: everything but timings and names. */
function asImproveJob(report: Report) {
  return {
    kind: report.kind,
    status: report.status,
    branch: null,
    base: report.base,
    dryRun: report.dryRun,
    before: report.before,
    after: report.after,
    findingsFixed: report.findingsFixed,
    accepted: report.outcomes.accepted?.length ?? 0,
    withheld: report.outcomes.withheld?.length ?? 0,
    rejected: report.outcomes.rejected?.length ?? 0,
    afterBasis: report.afterBasis,
    outcomes: report.outcomes,
    validations: report.validations,
    checks: report.checks,
    changes: report.changes.map(listed),
    warnings: report.warnings,
  };
}

/** What a refactor job's result holds of the CLI's report, in a dry run. */
function asRefactorJob(report: Report) {
  const picked = report.changes.find((c) => c.status === 'accepted') ?? report.changes[0];
  return {
    status: report.status,
    branch: null,
    diff: report.diff ?? null,
    change: picked ? change(picked) : null,
    checks: report.checks,
    before: report.before,
    after: report.after,
  };
}

async function cliReport(repo: string, args: string[]): Promise<Report> {
  const home = await mkdtemp(path.join(tmpdir(), 'beast-wiring-cli-'));
  const result = await beastAsync(['improve', repo, '--json', '--dry-run', ...args], {
    env: { BEAST_HOME: home },
  });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Report;
}

/** Queues a job through the HTTP API and reads its event stream until it is done. */
async function jobResult(call: Call, url: string, body: unknown): Promise<Record<string, unknown>> {
  const queued = await call('POST', url, body);
  expect(queued.status).toBe(202);
  const { job } = (await queued.json()) as { job: { id: number } };
  const stream = (await call('GET', `/api/jobs/${job.id}/events`)).body;
  expect(stream).not.toBeNull();
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream ?? []) {
    text += decoder.decode(chunk as Uint8Array, { stream: true });
    if (/^event: done$/m.test(text)) break;
  }
  const done = (await (await call('GET', `/api/jobs/${job.id}`)).json()) as {
    job: { status: string; error: string | null; result: Record<string, unknown> };
  };
  expect(done.job.status, done.job.error ?? '').toBe('succeeded');
  return done.job.result;
}

async function serverCall(): Promise<{ server: Server; call: Call }> {
  const server = await startServe(await mkdtemp(path.join(tmpdir(), 'beast-wiring-serve-')));
  const token = /API token (\S+)/.exec(server.lines[1] ?? '')?.[1] ?? '';
  return { server, call: client(server, token) };
}

async function register(call: Call, repo: string): Promise<number> {
  const response = await call('POST', '/api/repos', { path: repo });
  expect(response.status).toBe(201);
  return ((await response.json()) as { repo: { id: number } }).repo.id;
}

describe('one run wiring', () => {
  it('beast improve and the API improve job report the same run for the same repository', async () => {
    const repo = await makeImproveFixture(2);
    const cli = await cliReport(repo, []);
    // Not vacuous: the built-in engines changed something, and the gate judged it.
    expect(cli.status).toBe('dry-run');
    expect(cli.outcomes.accepted?.length).toBeGreaterThan(1);

    const { call } = await serverCall();
    const id = await register(call, repo);
    const api = await jobResult(call, '/api/self-improvement/improve', {
      repo: id,
      options: { dryRun: true },
    });
    expect(api).toEqual(asImproveJob(cli));
  });

  it('the API refactor job reports what beast improve reports for the same file and rule', async () => {
    // One module: its file holds the only object-shorthand finding, so `--rule` alone restricts the
    // CLI's run to the file the refactor job names. The file's first finding is of another rule,
    // so a refactor that lost its rule would pick that one instead.
    const repo = await makeImproveFixture(1);
    const cli = await cliReport(repo, [
      '--task',
      'refactor',
      '--rule',
      'object-shorthand',
      '--max-changes',
      '1',
    ]);
    expect(cli.status).toBe('dry-run');
    expect(cli.changes.map((c) => [c.finding.file, c.finding.ruleId, c.status])).toEqual([
      ['src/mod0.js', 'object-shorthand', 'accepted'],
    ]);
    expect(cli.diff).toMatch(/^\+\s*return \{ kind, /m);

    const { call } = await serverCall();
    const id = await register(call, repo);
    const api = await jobResult(call, '/api/codebase/refactor', {
      repo: id,
      file: 'src/mod0.js',
      rule: 'object-shorthand',
    });
    expect({
      ...api,
      change: change(api.change as Change),
    }).toEqual(asRefactorJob(cli));
  });
});
