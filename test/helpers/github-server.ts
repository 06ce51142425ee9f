import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A request as the fake GitHub API received it. */
export interface GitHubRequest {
  method: string;
  /** Path with query, e.g. `/repos/owner/repo/pulls?head=owner%3Ab`. */
  url: string;
  headers: IncomingMessage['headers'];
  /** The parsed JSON body, undefined for none. */
  body: Record<string, unknown> | undefined;
}

/** What the fake API answers: a status and JSON, raw text, or nothing at all (a hang). */
export type GitHubReply =
  { status: number; json: unknown } | { status: number; text: string } | { hang: true };

export interface GitHubServer {
  /** The API base URL (`http://127.0.0.1:PORT`), as `BEAST_GITHUB_API_URL`. */
  readonly apiUrl: string;
  readonly requests: GitHubRequest[];
  close(): Promise<void>;
}

/**
 * A local HTTP server speaking GitHub's pull-request endpoints: `POST /repos/{o}/{r}/pulls`,
 * `GET /repos/{o}/{r}/pulls?head=…` and `GET /repos/{o}/{r}`. `reply` decides each answer; by
 * default a created pull request numbered 7, no open ones, and `main` as default branch.
 */
export async function startGitHubServer(
  reply: (request: GitHubRequest) => GitHubReply | undefined = () => undefined,
): Promise<GitHubServer> {
  const requests: GitHubRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const request: GitHubRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: raw === '' ? undefined : (JSON.parse(raw) as Record<string, unknown>),
      };
      requests.push(request);
      const answer = reply(request) ?? defaultReply(request);
      if ('hang' in answer) return;
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end('json' in answer ? JSON.stringify(answer.json) : answer.text);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function defaultReply(request: GitHubRequest): GitHubReply {
  const [route] = request.url.split('?');
  const pulls = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/.exec(route ?? '');
  if (pulls && request.method === 'POST') {
    return {
      status: 201,
      json: { number: 7, html_url: `https://github.com/${pulls[1]}/${pulls[2]}/pull/7` },
    };
  }
  if (pulls && request.method === 'GET') return { status: 200, json: [] };
  if (/^\/repos\/[^/]+\/[^/]+$/.test(route ?? '')) {
    return { status: 200, json: { default_branch: 'main' } };
  }
  return { status: 404, json: { message: 'Not Found' } };
}
