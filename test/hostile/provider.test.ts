import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelStatus } from '../../src/pipeline/index.js';
import { openStore } from '../../src/store/index.js';
import { makeImproveFixture } from '../helpers/improve-fixture.js';
import { beastAsync, git } from '../helpers/repo.js';

/*
 * The LLM provider is untrusted input. A real HTTP server on 127.0.0.1 speaks the OpenAI (and
 * Anthropic) wire protocol and lies: about token usage, with a 30 MB or endless answer, with
 * garbage, with keys echoed back. `beast improve` runs as a user would; the ledger, the budget,
 * the store's size and its bytes must hold up.
 */

const KEY_ENV = 'HOSTILE_KEY';
/** Not shaped like any known key: only the configured-value scrubbing can catch it. */
const KEY = 'local-provider-secret-value-4242';
/** Shaped like an OpenAI project key, planted in the repository's code. */
const PLANTED = 'sk-proj-PLANTEDplantedPLANTED0123456789abcdef';
const PRICE = { inputPerMillion: 3, outputPerMillion: 15 };
/** An honest endpoint is stopped by this after a few calls; see `budgetRun`. */
const DAILY_USD = 0.2;

type Handler = (body: Record<string, unknown>, res: ServerResponse, req: IncomingMessage) => void;

interface HostileServer {
  baseUrl: string;
  requests: number;
  /** Bytes the server managed to write, over every response. */
  written: number;
}

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

async function serve(handler: Handler): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  const state = { baseUrl: '', requests: 0, written: 0 };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      state.requests++;
      const write = res.write.bind(res);
      res.write = ((chunk: string | Buffer, ...rest: never[]) => {
        state.written += chunk.length;
        return write(chunk, ...rest);
      }) as typeof res.write;
      handler(JSON.parse(raw || '{}') as Record<string, unknown>, res, req);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return state;
}

/** An OpenAI chat completion carrying `text`, with `usage` as given (omitted when undefined). */
function completion(text: string, usage: unknown): string {
  return JSON.stringify({
    id: 'chatcmpl-hostile',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'hostile',
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    ...(usage === undefined ? {} : { usage }),
  });
}

const PROSE = 'I would rather not change anything here.';

function answer(text: string, usage: unknown): Handler {
  return (_body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(completion(text, usage));
  };
}

/** Writes `prefix`, then `piece` again and again, until the client hangs up. */
function endless(prefix: string, piece: string): Handler {
  return (_body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(prefix);
    const more = (): void => {
      if (res.destroyed) return;
      if (res.write(piece)) setImmediate(more);
      else res.once('drain', more);
    };
    more();
  };
}

/** A repository of eight findings every model may be asked about, configured for `server`. */
async function hostileRepo(
  server: HostileServer,
  extra: {
    files?: Record<string, string>;
    model?: Record<string, unknown>;
    dailyUsd?: number;
  } = {},
): Promise<string> {
  const repo = await makeImproveFixture(2);
  for (const [name, content] of Object.entries(extra.files ?? {})) {
    await writeFile(path.join(repo, name), content);
  }
  const config = {
    models: {
      use: ['custom:hostile'],
      custom: {
        hostile: {
          baseUrl: server.baseUrl,
          model: 'hostile',
          apiKeyEnv: KEY_ENV,
          price: PRICE,
          timeoutMs: 20_000,
          ...extra.model,
        },
      },
      budget: { perDayUsd: extra.dailyUsd ?? DAILY_USD },
    },
  };
  await writeFile(path.join(repo, 'beast.config.json'), JSON.stringify(config, null, 2));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'hostile provider config');
  return repo;
}

async function improve(repo: string, home: string) {
  const result = await beastAsync(['improve', repo, '--json', '--dry-run'], {
    env: { BEAST_HOME: home, [KEY_ENV]: KEY },
  });
  return { ...result, report: JSON.parse(result.stdout || '{}') as { warnings?: string[] } };
}

async function freshHome(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'beast-hostile-'));
}

/** The ledger's rows, as stored. */
async function ledger(home: string) {
  const store = await openStore(path.join(home, 'beast.db'));
  try {
    return await store.db.selectFrom('model_calls').selectAll().orderBy('id').execute();
  } finally {
    await store.close();
  }
}

/** Every byte of the store: the database, its WAL and shared memory. */
async function storeFiles(home: string): Promise<{ bytes: Buffer; size: number }> {
  const names = (await readdir(home)).filter((n) => n.startsWith('beast.db'));
  const parts = await Promise.all(names.map((n) => readFile(path.join(home, n))));
  const sizes = await Promise.all(names.map(async (n) => (await stat(path.join(home, n))).size));
  return { bytes: Buffer.concat(parts), size: sizes.reduce((a, b) => a + b, 0) };
}

async function models(repo: string, home: string) {
  const env = { BEAST_HOME: home, [KEY_ENV]: KEY };
  const json = await beastAsync(['models', repo, '--json'], { env });
  const table = await beastAsync(['models', repo], { env });
  expect(json.stderr + table.stderr).toBe('');
  const hostile = (JSON.parse(json.stdout) as ModelStatus[]).find((m) => m.id === 'custom:hostile');
  return { hostile, table: table.stdout };
}

describe('a provider that lies about token usage', () => {
  it('is stopped by the daily budget no later than an honest one, and each lie is recorded', async () => {
    // Honest: usage a real model could report for these prompts.
    const honest = await serve(answer(PROSE, { prompt_tokens: 500, completion_tokens: 3000 }));
    const honestHome = await freshHome();
    const honestRun = await improve(await hostileRepo(honest), honestHome);
    expect(honestRun.stderr).toBe('');
    const honestCalls = honest.requests;
    // The budget, not the number of findings, stopped it.
    expect(honestCalls).toBeGreaterThan(0);
    expect(honestCalls).toBeLessThan(8);
    expect(honestRun.report.warnings?.join('\n')).toMatch(/budget spent/);

    const lies: [string, unknown][] = [
      ['negative', { prompt_tokens: -5_000_000_000, completion_tokens: -3000 }],
      ['huge', { prompt_tokens: 1e15, completion_tokens: 1e15 }],
      ['NaN', { prompt_tokens: null, completion_tokens: 'NaN' }],
      ['missing', undefined],
    ];
    for (const [name, usage] of lies) {
      const liar = await serve(answer(PROSE, usage));
      const home = await freshHome();
      const repo = await hostileRepo(liar);
      const run = await improve(repo, home);
      expect(run.stderr, name).toBe('');
      expect(run.code, name).toBe(honestRun.code);
      expect(liar.requests, name).toBeGreaterThan(0);
      expect(liar.requests, name).toBeLessThanOrEqual(honestCalls);

      const rows = await ledger(home);
      const costs = rows.map((r) => r.cost_usd ?? Number.NaN);
      expect(
        costs.every((c) => c >= 0 && c < 1),
        `${name}: ${costs.join(', ')}`,
      ).toBe(true);
      expect(
        costs.reduce((a, b) => a + b, 0),
        name,
      ).toBeLessThanOrEqual(DAILY_USD);
      // Every call was charged its reservation: usage the SDK could not read makes the answer
      // unusable (NaN), usage it could read was impossible or absent.
      const settled = rows.filter((r) => r.outcome !== 'reserved');
      expect(settled.length, name).toBe(liar.requests);
      for (const row of settled) {
        expect(row.usage_anomaly, name).toMatch(/charged the reservation$/);
      }
      const anomalies = settled.length;

      const { hostile, table } = await models(repo, home);
      expect(hostile?.deployments[0]?.usageAnomalies, name).toBe(anomalies);
      const spent = hostile?.deployments[0]?.costUsd ?? Number.NaN;
      expect(spent, name).toBeGreaterThan(0);
      expect(spent, name).toBeLessThanOrEqual(DAILY_USD);
      expect(table, name).toMatch(
        new RegExp(
          `custom:hostile .*\\$0\\.\\d{4} .*${anomalies} with impossible or missing usage`,
        ),
      );
    }
  }, 600_000);
});

describe('an Anthropic endpoint that lies about token usage', () => {
  it('is charged its reservation, never a negative sum', async () => {
    const server = await serve((body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'msg_hostile',
          type: 'message',
          role: 'assistant',
          model: body.model,
          content: [{ type: 'text', text: PROSE }],
          stop_reason: 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: -33_000_000_000, output_tokens: 10 },
        }),
      );
    });
    const home = await freshHome();
    const repo = await hostileRepo(server, { model: { protocol: 'anthropic' } });
    const run = await improve(repo, home);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = await ledger(home);
    expect(rows.length).toBe(server.requests);
    expect(rows.every((r) => (r.cost_usd ?? -1) > 0 && r.outcome === 'ok')).toBe(true);
    expect(rows.every((r) => /input -33000000000 of at most/.test(r.usage_anomaly ?? ''))).toBe(
      true,
    );
    expect(rows.reduce((sum, r) => sum + (r.cost_usd ?? 0), 0)).toBeLessThanOrEqual(DAILY_USD);
  }, 300_000);
});

describe('a provider that sends too much', () => {
  it.each([
    [
      'a 30 MB answer',
      answer('x'.repeat(30 * 1024 * 1024), { prompt_tokens: 1, completion_tokens: 1 }),
    ],
    [
      'an answer that never ends',
      endless(
        completion('', undefined).split('"content":""')[0] + '"content":"',
        'y'.repeat(65_536),
      ),
    ],
  ])(
    '%s is refused at the cap, not retried, not cached',
    async (_name, handler) => {
      const server = await serve(handler);
      const home = await freshHome();
      // A budget that holds every call: one request per finding is what is measured here.
      const repo = await hostileRepo(server, {
        model: { maxAnswerBytes: 16 * 1024 },
        dailyUsd: 100,
      });
      const run = await improve(repo, home);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      // One request per finding: nothing retried, nothing repaired.
      expect(server.requests).toBe(8);
      expect(run.report.warnings).toContain(
        'custom:hostile: every deployment failed or is cooling down: custom:hostile: response larger than 589824 bytes (maxAnswerBytes); refused',
      );
      const rows = await ledger(home);
      expect(rows.map((r) => r.outcome)).toEqual(Array(8).fill('too-large'));
      const store = await openStore(path.join(home, 'beast.db'));
      try {
        const cached = await store.db
          .selectFrom('file_cache')
          .select('key')
          .where('key', 'like', 'llm-answer:%')
          .execute();
        expect(cached).toEqual([]);
      } finally {
        await store.close();
      }
      // The store holds a scan and a few ledger rows: far below even one answer at the body cap.
      expect((await storeFiles(home)).size).toBeLessThan(589_824 + 512 * 1024);
      // Reading stopped at the cap: what the server wrote is the cap plus the sockets' buffers.
      expect(server.written).toBeLessThan(8 * (589_824 + 8 * 1024 * 1024));
    },
    300_000,
  );
});

describe('a provider that sends garbage', () => {
  it.each([
    ['not JSON', 'application/json', '<html><body>502 Bad Gateway</body></html>', 'not JSON'],
    [
      'the wrong shape',
      'application/json',
      '{"answer": {"text": 42}}',
      'not an answer in the openai protocol',
    ],
    ['a truncated body', 'application/json', '{"id": "x", "choices": [{"message": ', 'not JSON'],
  ])(
    '%s: one clear line per model, the run finishes',
    async (_name, type, body, what) => {
      const server = await serve((_b, res) => {
        res.writeHead(200, { 'content-type': type });
        res.end(body);
      });
      const home = await freshHome();
      const run = await improve(await hostileRepo(server, { dailyUsd: 100 }), home);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(server.requests).toBe(8);
      const warning = run.report.warnings?.find((w) => w.startsWith('custom:hostile:'));
      expect(warning).toBe(
        `custom:hostile: every deployment failed or is cooling down: custom:hostile: unusable response: the body is ${what}`,
      );
      const rows = await ledger(home);
      expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['malformed']));
      for (const row of rows) expect(row.error).not.toContain('\n');
    },
    300_000,
  );
});

describe('a provider that echoes keys', () => {
  it('leaves no key value and no planted key in any byte of the store', async () => {
    // The answer repeats the request's own key, the planted one and the whole prompt it was sent.
    const server = await serve((body, res, req) => {
      const key = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      const text = `Your key is ${key}. Found ${PLANTED}. You sent: ${JSON.stringify(body)}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(completion(text, { prompt_tokens: 10, completion_tokens: 10 }));
    });
    const home = await freshHome();
    const leaky = [
      '/** @param {string} name */',
      'export function greet(name) {',
      `  let token = '${PLANTED}';`,
      `  return 'hi ' + name + token;`,
      '}',
      '',
    ].join('\n');
    const repo = await hostileRepo(server, { files: { 'src/leaky.js': leaky } });
    const run = await improve(repo, home);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(server.requests).toBeGreaterThan(0);
    const { bytes } = await storeFiles(home);
    // The answers were cached (scrubbed): the search below reads real rows, not an empty store.
    expect(bytes.includes('[REDACTED:api-key]')).toBe(true);
    expect(bytes.includes('[REDACTED:openai-key]')).toBe(true);
    for (const secret of [KEY, PLANTED]) {
      expect(bytes.includes(secret), secret).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le')), secret).toBe(false);
    }
    expect(run.stdout).not.toContain(KEY);
  }, 300_000);
});
