// npm run bench:api [-- --duration SECONDS] [-- --write]
// Starts the built `beast serve` as a child process on loopback with a scanned fixture repository,
// then runs autocannon against the status and quality endpoints, at a fixed 200 requests/s and at
// full speed. Prints p50/p99 latency and throughput; --write records them in docs/benchmarks.md.
// Needs `npm run build` first (it runs the package as users do).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { makeImproveFixture } from '../test/helpers/improve-fixture.js';
import { recordSection } from './record.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const write = args.includes('--write');
const durationArg = args.indexOf('--duration');
const duration = durationArg >= 0 ? Number(args[durationArg + 1]) : 10;
const RATE = 200;
const CONNECTIONS = 10;
const TARGET_P99_MS = 50;

if (!existsSync(path.join(root, 'dist', 'server', 'serve.js'))) {
  console.error('bench:api: dist/ is not built; run `npm run build` first');
  process.exit(2);
}

const home = await mkdtemp(path.join(tmpdir(), 'beast-bench-api-'));
const token = 'bench-api-token';
const child = spawn(
  process.execPath,
  [path.join(root, 'bin', 'beast.js'), 'serve', '--port', '0'],
  {
    env: { ...process.env, BEAST_HOME: home, BEAST_API_TOKEN: token },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
let url = '';
for await (const line of createInterface({ input: child.stdout })) {
  url = /serving on (\S+)/.exec(line)?.[1] ?? url;
  if (url) break;
}
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

async function api<T>(method: string, route: string, body?: unknown): Promise<T> {
  const response = await fetch(new URL(route, url), {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const modules = 20;
const repo = await makeImproveFixture(modules);
const { repo: registered } = await api<{ repo: { id: number } }>('POST', '/api/repos', {
  path: repo,
});
// Three scans, so the trend and the confidence have history to read.
for (let i = 0; i < 3; i++) {
  const { job } = await api<{ job: { id: number } }>('POST', '/api/self-improvement/scan', {
    repo: registered.id,
  });
  let status = 'queued';
  while (status === 'queued' || status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 50));
    status = (await api<{ job: { status: string } }>('GET', `/api/jobs/${job.id}`)).job.status;
  }
  if (status !== 'succeeded') throw new Error(`scan job ${job.id} ${status}`);
}
const files = (await api<{ repos: { latest: { files: number } }[] }>('GET', '/api/repos')).repos[0]
  ?.latest.files;

interface Row {
  endpoint: string;
  load: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(
  endpoint: string,
  method: 'GET' | 'POST',
  body: unknown,
  rate?: number,
): Promise<Row> {
  const result = await autocannon({
    url: new URL(endpoint, url).toString(),
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    connections: CONNECTIONS,
    duration,
    ...(rate === undefined ? {} : { overallRate: rate }),
  });
  return {
    endpoint: `${method} ${endpoint}`,
    load: rate === undefined ? `max (${CONNECTIONS} connections)` : `${rate} req/s, autocannon`,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

/**
 * An open-loop load at an even `rate`: request i is sent at start + i/rate whatever came back
 * before, over at most `CONNECTIONS` sockets, and its latency counts from when it was due (so a
 * slow server cannot hide queued requests: no coordinated omission).
 */
async function paced(
  endpoint: string,
  method: 'GET' | 'POST',
  body: unknown,
  rate: number,
): Promise<Row> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const target = new URL(endpoint, url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const total = rate * duration;
  const latencies: number[] = [];
  let errors = 0;
  const send = (due: number): Promise<void> =>
    new Promise((resolve) => {
      const req = request(target, { method, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - due);
          if (res.statusCode !== 200) errors++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(payload);
    });
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(due));
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN);
  return {
    endpoint: `${method} ${endpoint}`,
    load: `${rate} req/s, evenly paced`,
    rps: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    errors,
  };
}

const rows: Row[] = [];
const load = loadavg()[0] ?? 0;
try {
  for (const [endpoint, method, body] of [
    ['/api/self-improvement/status', 'GET', undefined],
    ['/api/repos/quality', 'POST', { repo: registered.id }],
  ] as const) {
    // Warm-up, not recorded: the first requests compile code paths and fill the report cache.
    await autocannon({
      url: new URL(endpoint, url).toString(),
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      duration: 2,
    });
    rows.push(await paced(endpoint, method, body, RATE));
    rows.push(await measure(endpoint, method, body, RATE));
    rows.push(await measure(endpoint, method, body));
  }
} finally {
  child.kill('SIGTERM');
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const table = [
  '| endpoint | load | throughput (req/s) | p50 (ms) | p99 (ms) | errors |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| \`${r.endpoint}\` | ${r.load} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} |`,
  ),
].join('\n');
const worstOf = (load: string): number =>
  Math.max(...rows.filter((r) => r.load === load).map((r) => r.p99));
const even = worstOf(`${RATE} req/s, evenly paced`);
const bursts = worstOf(`${RATE} req/s, autocannon`);
const verdict = (p99: number): string => (p99 < TARGET_P99_MS ? 'met' : 'missed');
const section = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
  `\`beast serve\` as a child process on loopback, autocannon in the bench process, ${duration} s per row;`,
  `one registered repository of ${files ?? '?'} files scanned 3 times, no defect-risk model trained;`,
  `2 s of warm-up per endpoint first; 1-minute load average ${load.toFixed(1)} when the measurement started.`,
  '',
  table,
  '',
  `- worst p99 at an even ${RATE} req/s: **${even} ms** (target < ${TARGET_P99_MS} ms: ${verdict(even)})`,
  `- worst p99 at autocannon's ${RATE} req/s: **${bursts} ms** (${verdict(bursts)}); autocannon sends each connection's quota for a second at once when the second starts, so this row measures a burst of ${RATE} requests every second`,
].join('\n');
console.log(`\n${section}\n`);

if (write) await recordSection('bench:api', section);
