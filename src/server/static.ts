import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';
import type { ApiApp } from './app.js';

/** `src/server/static.ts` compiles to `dist/server/static.js`; the dashboard builds to `dist/web`. */
export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Same-origin only: no inline scripts, no third-party hosts (the dashboard works offline). */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async function sendFile(c: Context, file: string, cache: string): Promise<Response | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  c.header('Content-Type', TYPES[path.extname(file)] ?? 'application/octet-stream');
  c.header('Cache-Control', cache);
  c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Referrer-Policy', 'no-referrer');
  return c.body(await readFile(file));
}

/**
 * The dashboard: `index.html` at `/` (revalidated every time) and hashed assets under `/assets/`
 * (cached for a year). No token: the page asks for it and sends it to the API.
 */
export function serveDashboard(app: ApiApp, dir = DEFAULT_STATIC_DIR): void {
  const assets = path.join(dir, 'assets');
  app.get('/', async (c) => {
    const page = await sendFile(c, path.join(dir, 'index.html'), 'no-cache');
    return page ?? c.text('beast: the dashboard is not built; run `npm run build`\n', 503);
  });
  app.get('/assets/*', async (c) => {
    let name: string;
    try {
      name = decodeURIComponent(c.req.path.slice('/assets/'.length));
    } catch {
      return c.notFound();
    }
    const file = path.resolve(assets, name);
    // Never outside the assets folder, whatever the URL says.
    if (path.relative(assets, file).startsWith('..') || name.includes('\0')) return c.notFound();
    return (await sendFile(c, file, 'public, max-age=31536000, immutable')) ?? c.notFound();
  });
}
