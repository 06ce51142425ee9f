import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { describeError, resolveConfig } from '../../core/index.js';
import { chatAboutCodebase, type ChatEvent } from '../../pipeline/index.js';
import { getChatSession, listChatMessages } from '../../store/index.js';
import type { ApiApp, AppDeps } from '../app.js';
import { errorBody, notFound } from '../errors.js';
import { resolveRepository, resolveRepositoryFile } from '../paths.js';
import {
  ErrorSchema,
  ERRORS,
  JobResponse,
  json,
  jsonBody,
  NOT_FOUND,
  RepoRef,
} from '../schemas.js';

const refactorRoute = createRoute({
  method: 'post',
  path: '/api/codebase/refactor',
  summary:
    'Queue one validated refactoring of one file (of `rule` if given, else of its complexity, size, duplication or nesting findings): the job result holds the diff and its evidence; with `apply`, the branch holding it',
  request: {
    body: jsonBody(
      z
        .object({
          repo: RepoRef,
          file: z.string().min(1).max(4096),
          rule: z
            .string()
            .regex(/^[a-z0-9-]+$/, 'a rule id (lowercase letters, digits, dashes)')
            .optional(),
          apply: z.boolean().optional(),
        })
        .strict(),
    ),
  },
  responses: { 202: json(JobResponse, 'Queued'), ...ERRORS, ...NOT_FOUND },
});

const chatRoute = createRoute({
  method: 'post',
  path: '/api/codebase/chat',
  summary:
    "Ask about a repository's code. Server-sent events, in order: `session` {sessionId}, `retrieval` {hits}, `text` {delta, attempt} (attempt 2: the answer asked once to repair failed citations), `citations` {citations, each checked against the indexed commit}, `done` {answer, messageId}; or `error` {message}. The index is brought up to date first.",
  request: {
    body: jsonBody(
      z
        .object({
          repo: RepoRef,
          question: z.string().trim().min(1).max(4000),
          /** Continue this conversation; a new one when absent. */
          sessionId: z.number().int().positive().optional(),
          /** A language model id (`custom:<name>`, `provider:model`); the config's when absent. */
          model: z.string().min(1).max(200).optional(),
        })
        .strict(),
    ),
  },
  responses: {
    200: { description: 'Event stream', content: { 'text/event-stream': { schema: z.string() } } },
    ...ERRORS,
    ...NOT_FOUND,
  },
});

const CitationSchema = z.object({
  file: z.string(),
  startLine: z.number(),
  endLine: z.number(),
  index: z.number(),
  quoted: z.string().optional(),
  ok: z.boolean(),
  reason: z.string().optional(),
  detail: z.string().optional(),
});

const MessageSchema = z.object({
  id: z.number(),
  role: z.enum(['user', 'assistant']),
  text: z.string(),
  createdAt: z.string(),
  citations: z.array(CitationSchema).optional(),
  mode: z.string().optional(),
  model: z.string().nullable().optional(),
  commit: z.string().nullable().optional(),
  repaired: z.boolean().optional(),
  failed: z.number().optional(),
});

const sessionRoute = createRoute({
  method: 'get',
  path: '/api/codebase/chat/{sessionId}',
  summary: "A chat session's messages, oldest first, answers with their checked citations",
  request: {
    params: z.object({
      sessionId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    }),
  },
  responses: {
    200: json(
      z.object({
        session: z.object({
          id: z.number(),
          repoId: z.number(),
          title: z.string(),
          createdAt: z.string(),
        }),
        messages: z.array(MessageSchema),
      }),
      'The session',
    ),
    ...ERRORS,
    404: json(ErrorSchema, 'Unknown session'),
  },
});

/** The SSE event of a chat event: its name and its data. */
function sseOf(event: ChatEvent): { event: string; data: string } {
  const { type, ...data } = event;
  return { event: type, data: JSON.stringify(data) };
}

function registerChatRoutes(app: ApiApp, deps: AppDeps): void {
  app.openapi(chatRoute, async (c) => {
    const body = c.req.valid('json');
    const repo = await resolveRepository(deps.store, body.repo);
    if (body.sessionId !== undefined) {
      const session = await getChatSession(deps.store, body.sessionId);
      if (!session || session.repoId !== repo.id)
        throw notFound(`chat session ${body.sessionId} does not exist for repository ${repo.id}`);
    }
    const env = deps.env ?? process.env;
    const { config } = await resolveConfig(repo.root, env);
    return streamSSE(c, async (stream) => {
      const aborted = new AbortController();
      stream.onAbort(() => aborted.abort());
      // Events arrive synchronously while the answer streams; written in order, one at a time.
      let writes = Promise.resolve();
      const send = (event: { event: string; data: string }): void => {
        writes = writes.then(() => stream.writeSSE(event));
      };
      try {
        await chatAboutCodebase({
          store: deps.store,
          repoId: repo.id,
          root: repo.root,
          question: body.question,
          ...(body.sessionId !== undefined ? { sessionId: body.sessionId } : {}),
          models: config.models,
          env,
          ...(body.model !== undefined ? { modelOverride: [body.model] } : {}),
          onEvent: (event) => send(sseOf(event)),
          signal: aborted.signal,
        });
      } catch (error) {
        if (!aborted.signal.aborted)
          send({ event: 'error', data: JSON.stringify({ message: describeError(error) }) });
      }
      await writes;
    });
  });

  app.openapi(sessionRoute, async (c) => {
    const id = c.req.valid('param').sessionId;
    const session = await getChatSession(deps.store, id);
    if (!session) throw notFound(`chat session ${id} does not exist`);
    const messages = await listChatMessages(deps.store, id);
    return c.json(
      {
        session,
        messages: messages.map(({ sessionId: _, ...m }) =>
          m.role === 'assistant'
            ? { ...m, citations: CitationSchema.array().parse(m.citations) }
            : m,
        ),
      },
      200,
    );
  });
}

/** Endpoints BEAST MODE's design names whose capability is not built yet. */
const UNBUILT = [
  { path: '/api/repos/quality/generate-feature', what: 'feature generation' },
] as const;

export function registerCodebaseRoutes(app: ApiApp, deps: AppDeps): void {
  app.openapi(refactorRoute, async (c) => {
    const body = c.req.valid('json');
    const repo = await resolveRepository(deps.store, body.repo);
    const file = await resolveRepositoryFile(repo.root, body.file);
    const params = {
      file,
      ...(body.rule === undefined ? {} : { rule: body.rule }),
      apply: body.apply === true,
    };
    const job = await deps.runner.enqueue({ kind: 'refactor', repoId: repo.id, params });
    return c.json({ job }, 202);
  });

  registerChatRoutes(app, deps);

  for (const { path, what } of UNBUILT) {
    const route = createRoute({
      method: 'post',
      path,
      summary: `Not built yet: ${what}`,
      responses: {
        501: json(ErrorSchema, 'Not built yet'),
        401: ERRORS[401],
      },
    });
    app.openapi(route, (c) =>
      c.json(errorBody('not-implemented', `${what} (${path}) is not built yet`), 501),
    );
  }
}
