import { createServer } from 'node:net';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getJob, openStore } from '../src/store/index.js';
import { makeImproveFixture } from './helpers/improve-fixture.js';
import { beast, makeRepo } from './helpers/repo.js';
import { client, startServe, stopServers } from './helpers/serve.js';

// A failed assertion must not leave a server running.
afterEach(stopServers);

/** Reads a job's event stream until `until` says stop; returns the events read. */
async function readEvents(
  response: Response,
  until: (event: string, data: { status?: string }) => boolean,
): Promise<{ event: string; data: { status?: string } }[]> {
  const events: { event: string; data: { status?: string } }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as { status?: string };
      events.push({ event, data });
      // Leaving the loop cancels the stream.
      if (until(event, data)) return events;
    }
  }
  return events;
}

describe('beast serve', () => {
  it('serves the API on loopback with a generated token saved owner-only, printed once', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'beast-serve-home-'));
    const server = await startServe(home);
    const tokenFile = path.join(home, 'api-token');
    const token = /API token (\S+) \(saved to (.+)\)$/.exec(server.lines[1] ?? '');
    expect(server.lines).toEqual([
      expect.stringMatching(/^beast: serving on http:\/\/127\.0\.0\.1:\d+\/$/),
      `beast: API token ${token?.[1]} (saved to ${tokenFile})`,
      `beast: dashboard ${server.url}#token=${token?.[1]}`,
    ]);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect(server.url).not.toMatch(/:0\//);

    expect((await fetch(new URL('/api/repos', server.url))).status).toBe(401);
    const call = client(server, token![1]!);
    const repo = await makeRepo({ 'src/a.ts': 'export var a = 1;\n' });
    const registered = await call('POST', '/api/repos', { path: repo });
    expect(registered.status).toBe(201);
    const { repo: created } = (await registered.json()) as { repo: { id: number } };
    const queued = await call('POST', '/api/self-improvement/scan', { repo: created.id });
    const { job } = (await queued.json()) as { job: { id: number } };
    const events = await readEvents(
      await call('GET', `/api/jobs/${job.id}/events`),
      (e) => e === 'done',
    );
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'succeeded' } });
    const quality = (await (await call('POST', '/api/repos/quality', { repo })).json()) as {
      grade: string;
    };
    expect(quality.grade).toMatch(/^[A-E]$/);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    // The saved token is reused and not printed again.
    const again = await startServe(home);
    expect(again.lines).toHaveLength(2);
    expect(again.lines[1]).toBe(`beast: dashboard ${again.url}#token=${token?.[1]}`);
    expect((await client(again, token![1]!)('GET', '/api/repos')).status).toBe(200);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
  });

  it('exits 2 with one line when the port is taken or a flag is wrong', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'beast-serve-home-'));
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const result = beast(['serve', '--port', String(port)], { env: { BEAST_HOME: home } });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(`beast: cannot listen on 127.0.0.1:${port}: EADDRINUSE\n`);
      expect(result.stdout).toBe('');
    } finally {
      taken.close();
    }
    for (const args of [
      ['--port', '70000'],
      ['--jobs', '0'],
      ['--port', 'x'],
    ]) {
      const result = beast(['serve', ...args], { env: { BEAST_HOME: home } });
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(
          `^beast: ${args[0]}: expected a whole number from \\d+ to \\d+, got "${args[1]}"\n$`,
        ),
      );
    }
  });

  it('marks in-flight jobs interrupted on shutdown and after a crash, and reruns them', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'beast-serve-home-'));
    const token = 'restart-test-token';
    const repo = await makeImproveFixture(2);
    const first = await startServe(home, { BEAST_API_TOKEN: token });
    expect(first.lines.join('\n')).not.toContain(token);
    const call1 = client(first, token);
    await call1('POST', '/api/repos', { path: repo });
    const { job } = (await (
      await call1('POST', '/api/self-improvement/improve', { repo, options: { dryRun: true } })
    ).json()) as { job: { id: number } };
    await readEvents(
      await call1('GET', `/api/jobs/${job.id}/events`),
      (_, d) => d.status === 'running',
    );
    // Graceful: SIGTERM while the job runs.
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const store = await openStore(path.join(home, 'beast.db'));
    const stopped = await getJob(store, job.id);
    await store.close();
    expect(stopped).toMatchObject({ status: 'interrupted', attempts: 1 });
    expect(stopped?.error).toMatch(/stopped/);

    const second = await startServe(home, { BEAST_API_TOKEN: token });
    const call2 = client(second, token);
    const rerun = await call2('POST', `/api/jobs/${job.id}/rerun`);
    expect(rerun.status).toBe(202);
    const { job: again } = (await rerun.json()) as { job: { id: number } };
    await readEvents(
      await call2('GET', `/api/jobs/${again.id}/events`),
      (_, d) => d.status === 'running',
    );
    // A crash: nothing gets to mark the job.
    second.child.kill('SIGKILL');
    await second.exited;

    const third = await startServe(home, { BEAST_API_TOKEN: token });
    const call3 = client(third, token);
    const crashed = (await (await call3('GET', `/api/jobs/${again.id}`)).json()) as {
      job: { status: string };
    };
    expect(crashed.job.status).toBe('interrupted');
    const last = (await (await call3('POST', `/api/jobs/${again.id}/rerun`)).json()) as {
      job: { id: number };
    };
    const events = await readEvents(
      await call3('GET', `/api/jobs/${last.job.id}/events`),
      (e) => e === 'done',
    );
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'succeeded' } });
    expect(events.some((e) => e.event === 'progress')).toBe(true);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(third.stderr.join('\n')).toMatch(
      new RegExp(`marked 1 job\\(s\\).*interrupted: ${again.id}$`),
    );
  });
});
