// npm run bench:api [-- --duration SECONDS] [-- --write]
// Starts the built `beast serve` as a child process on loopback with a scanned fixture repository,
// then runs load against the status and quality endpoints, at a fixed 200 requests/s and at full
// speed, first with no job and then while improve jobs run back to back (each in its own process).
// Prints p50/p99 latency and throughput, and the ratio of p99 with and without a job;
// --write records them in docs/benchmarks.md.
// Needs `npm run build` first (it runs the package as users do).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
const FAST_RATE = 1000;
const TARGET_P99_MS = 50;
const TARGET_RATIO = 2;

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
const exited = new Promise((resolve) => child.once('exit', resolve));
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
  job: string;
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
    job: 'none',
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
    job: 'none',
    rps: latencies.length / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    errors,
  };
}

type Endpoint = readonly [string, 'GET' | 'POST', unknown];
const STATUS: Endpoint = ['/api/self-improvement/status', 'GET', undefined];
const QUALITY: Endpoint = ['/api/repos/quality', 'POST', { repo: registered.id }];

interface Jobs {
  queued: number;
  running: number;
}
const jobCounts = async (): Promise<Jobs> =>
  (await api<{ jobs: Jobs }>('GET', '/api/self-improvement/status')).jobs;

/**
 * Keeps an improve job running: enough dry-run jobs queued that one follows another for the rest
 * of the run (the server runs one at a time); returns once one runs.
 */
async function keepImproving(): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < 100; i++) {
    const { job } = await api<{ job: { id: number } }>('POST', '/api/self-improvement/improve', {
      repo: registered.id,
      options: { dryRun: true },
    });
    ids.push(job.id);
  }
  while ((await jobCounts()).running === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  return ids;
}

/** A row measured while a job runs: fails the bench if none ran at its start or its end. */
async function whileImproving(measure: () => Promise<Row>): Promise<Row> {
  if ((await jobCounts()).running === 0) throw new Error('no improve job was running');
  const row = await measure();
  if ((await jobCounts()).running === 0) throw new Error('the improve jobs ran out');
  return { ...row, job: 'improve running' };
}

/**
 * Samples the CPU time of the server's job processes and of the test runs they waited for, from
 * /proc (Linux only): shows that the jobs measured against really worked, and how much.
 */
function sampleJobCpu(server: number): { stop(): number | undefined } {
  const ticks = new Map<number, number>();
  const sample = (): void => {
    let children: string[];
    try {
      children = readFileSync(`/proc/${server}/task/${server}/children`, 'utf8').split(' ');
    } catch {
      return;
    }
    for (const pid of children.filter((p) => p !== '').map(Number)) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // utime, stime, cutime, cstime: fields 14 to 17 of stat(5), counted from the state here.
        const used = fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0);
        ticks.set(pid, Math.max(ticks.get(pid) ?? 0, used));
      } catch {
        // Ended between the listing and the read.
      }
    }
  };
  const timer = setInterval(sample, 250);
  return {
    stop() {
      clearInterval(timer);
      sample();
      if (ticks.size === 0) return undefined;
      return [...ticks.values()].reduce((a, b) => a + b, 0) / 100;
    },
  };
}

const rows: Row[] = [];
const load = loadavg()[0] ?? 0;
let jobCpu: number | undefined;
let busySeconds = 0;
let improveJobs: number[] = [];
try {
  for (const [endpoint, method, body] of [STATUS, QUALITY]) {
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
  rows.push(await paced(...STATUS, FAST_RATE));

  improveJobs = await keepImproving();
  const sampler = sampleJobCpu(child.pid!);
  const busyFrom = performance.now();
  for (const [endpoint, method, body] of [STATUS, QUALITY])
    rows.push(await whileImproving(() => paced(endpoint, method, body, RATE)));
  rows.push(await whileImproving(() => measure(...STATUS)));
  rows.push(await whileImproving(() => paced(...STATUS, FAST_RATE)));
  busySeconds = (performance.now() - busyFrom) / 1000;
  jobCpu = sampler.stop();
} finally {
  child.kill('SIGTERM');
}
const finished = improveJobs.length === 0 ? 0 : await countFinished(improveJobs);

/** How many of the jobs finished, read from the store the server left behind. */
async function countFinished(ids: number[]): Promise<number> {
  await exited;
  const { openStore, getJob } = await import('../src/store/index.js');
  const store = await openStore(path.join(home, 'beast.db'));
  try {
    let done = 0;
    for (const id of ids) if ((await getJob(store, id))?.status === 'succeeded') done++;
    return done;
  } finally {
    await store.close();
  }
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const table = [
  '| endpoint | load | job | throughput (req/s) | p50 (ms) | p99 (ms) | errors |',
  '| --- | --- | --- | ---: | ---: | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| \`${r.endpoint}\` | ${r.load} | ${r.job} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} |`,
  ),
].join('\n');
const worstOf = (load: string, job = 'none'): number =>
  Math.max(...rows.filter((r) => r.load === load && r.job === job).map((r) => r.p99));
const evenLoad = `${RATE} req/s, evenly paced`;
const even = worstOf(evenLoad);
const bursts = worstOf(`${RATE} req/s, autocannon`);
const verdict = (p99: number): string => (p99 < TARGET_P99_MS ? 'met' : 'missed');
const statusRow = (load: string, job: string): Row | undefined =>
  rows.find((r) => r.endpoint === `GET ${STATUS[0]}` && r.load === load && r.job === job);
const idle = statusRow(evenLoad, 'none');
const busy = statusRow(evenLoad, 'improve running');
const ratio = idle && busy ? busy.p99 / Math.max(1, idle.p99) : NaN;
const fastBusy = statusRow(`${FAST_RATE} req/s, evenly paced`, 'improve running');
const section = [
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
  `\`beast serve\` as a child process on loopback, load from the bench process, ${duration} s per row;`,
  `one registered repository of ${files ?? '?'} files scanned 3 times, no defect-risk model trained;`,
  `2 s of warm-up per endpoint first; 1-minute load average ${load.toFixed(1)} when the measurement started.`,
  `Rows with "improve running" were measured while dry-run improve jobs of that repository ran one after another (${finished} finished meanwhile), each in a process of its own; the jobs and their test runs used ${jobCpu === undefined ? '? (no /proc)' : jobCpu.toFixed(0)} CPU-seconds in those ${busySeconds.toFixed(0)} s.`,
  '',
  table,
  '',
  `- worst p99 at an even ${RATE} req/s, no job: **${even} ms** (target < ${TARGET_P99_MS} ms: ${verdict(even)})`,
  `- worst p99 at autocannon's ${RATE} req/s: **${bursts} ms** (${verdict(bursts)}); autocannon sends each connection's quota for a second at once when the second starts, so this row measures a burst of ${RATE} requests every second`,
  `- p99 of the status request at an even ${RATE} req/s with an improve job running / without: ${busy?.p99 ?? '?'} ms / ${idle?.p99 ?? '?'} ms = **${ratio.toFixed(1)}x** (target < ${TARGET_RATIO}x: ${ratio < TARGET_RATIO ? 'met' : 'missed'})`,
  `- at an even ${FAST_RATE} req/s with an improve job running: ${fastBusy?.rps.toFixed(0) ?? '?'} req/s served, p99 ${fastBusy?.p99 ?? '?'} ms`,
].join('\n');
console.log(`\n${section}\n`);

if (write) await recordSection('bench:api', section);
