import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { BeastError, describeError } from '../core/index.js';

/** An error the API answers with its own status and a stable code. */
export class ApiError extends BeastError {
  readonly status: ContentfulStatusCode;
  constructor(status: ContentfulStatusCode, code: string, message: string) {
    super(code, message);
    this.status = status;
  }
}

export const notFound = (message: string): ApiError => new ApiError(404, 'not-found', message);

/** The one error shape of the API. */
export function errorBody(
  code: string,
  message: string,
): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** `onError` of the app: every thrown error becomes `{ error: { code, message } }`. */
export function handleError(error: Error, c: Context): Response {
  if (error instanceof ApiError) return c.json(errorBody(error.code, error.message), error.status);
  if (error instanceof HTTPException) {
    const code = error.status === 400 ? 'bad-request' : `http-${error.status}`;
    return c.json(errorBody(code, describeError(error) || 'request rejected'), error.status);
  }
  // The user's input (a path, a config value) was unusable: their error, not ours.
  if (error instanceof BeastError && (error.code === 'input' || error.code === 'config'))
    return c.json(errorBody(error.code, describeError(error)), 400);
  return c.json(errorBody('internal', describeError(error)), 500);
}
