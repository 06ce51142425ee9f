import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { JobRunner } from '../pipeline/index.js';
import type { Store } from '../store/index.js';
import { apiAuth } from './auth.js';
import { errorBody, handleError } from './errors.js';
import { registerCodebaseRoutes } from './routes/codebase.js';
import { registerFindingRoutes } from './routes/findings.js';
import { registerJobRoutes } from './routes/jobs.js';
import { registerKnowledgeRoutes } from './routes/knowledge.js';
import { registerModelRoutes } from './routes/models.js';
import { registerRepoRoutes } from './routes/repos.js';
import { registerRunDetailRoutes } from './routes/run-detail.js';
import { registerSearchRoutes } from './routes/search.js';
import { registerSelfImprovementRoutes } from './routes/self-improvement.js';
import { registerSessionRoutes } from './routes/session.js';
import { registerTestRoutes } from './routes/tests.js';
import { createSessionStore, SESSION_COOKIE, type SessionStore } from './session.js';
import { createLoginLimiter, type LoginLimiter } from './session-limit.js';
import { serveDashboard } from './static.js';

/** What the app is built from; `beast serve` and tests construct these. */
export interface AppDeps {
  store: Store;
  runner: JobRunner;
  /** The bearer token every `/api` route requires (or the session cookie a login with it sets). */
  token: string;
  /** The dashboard's login sessions; default: in memory, 12 hours idle. */
  sessions?: SessionStore;
  /** Counts failed logins per address; default: 10 per 15 minutes. */
  loginLimiter?: LoginLimiter;
  /** Allow cross-origin requests from this origin only; none when undefined. */
  corsOrigin?: string;
  /** The dashboard's built files; the default is `dist/web` of the package. */
  staticDir?: string;
  /** Request bodies larger than this are refused with 413; default 1 MiB. */
  maxBodyBytes?: number;
  /** Where configured models' keys are read from (`/api/models` states); default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export type ApiApp = OpenAPIHono;

/** The HTTP app: the API under `/api` (token required) and the dashboard at `/`. */
export function createApp(deps: AppDeps): ApiApp {
  const app = new OpenAPIHono({
    defaultHook: (result, c) => {
      if (result.success) return undefined;
      const message = result.error.issues
        .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(body)'}: ${i.message}`)
        .join('; ');
      return c.json(errorBody('validation', message), 400);
    },
  });
  app.onError(handleError);
  app.notFound((c) =>
    c.json(errorBody('not-found', `no route ${c.req.method} ${c.req.path}`), 404),
  );

  // Every API answer, refusals included, is private data: not to be cached, not to be sniffed.
  // The dashboard's files set their own caching.
  app.use('/api/*', async (c, next) => {
    await next();
    c.res.headers.set('X-Content-Type-Options', 'nosniff');
    c.res.headers.set('Cache-Control', 'no-store');
  });
  if (deps.corsOrigin !== undefined)
    app.use(
      '/api/*',
      cors({ origin: deps.corsOrigin, allowHeaders: ['Authorization', 'Content-Type'] }),
    );
  const sessions = deps.sessions ?? createSessionStore();
  app.use('/api/*', apiAuth({ token: deps.token, sessions }));
  const maxSize = deps.maxBodyBytes ?? 1024 * 1024;
  app.use(
    '/api/*',
    bodyLimit({
      maxSize,
      onError: (c) => c.json(errorBody('too-large', `request body over ${maxSize} bytes`), 413),
    }),
  );

  registerSessionRoutes(app, {
    token: deps.token,
    sessions,
    loginLimiter: deps.loginLimiter ?? createLoginLimiter(),
  });
  registerRepoRoutes(app, deps);
  registerFindingRoutes(app, deps);
  registerRunDetailRoutes(app, deps);
  registerSelfImprovementRoutes(app, deps);
  registerJobRoutes(app, deps);
  registerCodebaseRoutes(app, deps);
  registerTestRoutes(app, deps);
  registerSearchRoutes(app, deps);
  registerModelRoutes(app, deps);
  registerKnowledgeRoutes(app, deps);

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description: 'set by POST /api/session; changes also need the X-CSRF-Token header',
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'BEAST MODE API', version: '1' },
    security: [{ bearer: [] }, { session: [] }],
  });

  serveDashboard(app, deps.staticDir);
  return app;
}
