import { ProviderError, redactSecrets } from '../../core/index.js';

/** HTTP statuses worth another try: timeouts, conflicts, rate limits. Any 5xx also is. */
const RETRYABLE_STATUSES = new Set([408, 409, 429]);

/** Whether a failure with this HTTP status is worth retrying. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status) || status >= 500;
}

/** A failed call to one deployment, with what the router needs to decide what to do next. */
export class DeploymentError extends ProviderError {
  readonly deployment: string;
  readonly status: number | undefined;
  /** From the Retry-After (or retry-after-ms) header, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  constructor(
    deployment: string,
    message: string,
    details: { retryable: boolean; status?: number; retryAfterMs?: number; cause?: unknown },
  ) {
    super(`${deployment}: ${message}`, details.retryable, { cause: details.cause });
    this.deployment = deployment;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** Parses Retry-After (seconds or an HTTP date) or retry-after-ms into milliseconds. */
export function parseRetryAfter(
  headers: Readonly<Record<string, string>> | undefined,
  now: number = Date.now(),
): number | undefined {
  const ms = headers?.['retry-after-ms'];
  if (ms !== undefined && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers?.['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * `text` without `secrets` (the deployment's keys) and without anything shaped like a known key:
 * each becomes `[REDACTED:<kind>]`.
 */
export function redact(text: string, secrets: readonly string[]): string {
  return redactSecrets(text, secrets);
}

/**
 * A stream that broke after its first token. The caller has already seen text, so the router
 * neither retries nor falls back; the caller decides whether to start over.
 */
export class StreamInterruptedError extends DeploymentError {
  constructor(cause: DeploymentError) {
    super(cause.deployment, `stream interrupted after the first token: ${cause.message}`, {
      retryable: false,
      status: cause.status,
      cause,
    });
  }
}

/**
 * An answer larger than the deployment's `maxAnswerBytes`: reading stopped at the cap. It says
 * nothing a retry or a repair could change, so neither happens, and nothing of it is cached.
 */
export class AnswerTooLargeError extends DeploymentError {
  override readonly code = 'answer-too-large';
  readonly maxBytes: number;
  constructor(deployment: string, maxBytes: number, what = 'answer') {
    super(deployment, `${what} larger than ${maxBytes} bytes (maxAnswerBytes); refused`, {
      retryable: false,
    });
    this.maxBytes = maxBytes;
  }
}

/** The AnswerTooLargeError somewhere in an error's cause chain, if any. */
export function answerTooLarge(error: unknown, depth = 0): AnswerTooLargeError | undefined {
  if (error instanceof AnswerTooLargeError) return error;
  if (!(error instanceof Error) || depth > 8) return undefined;
  return answerTooLarge(error.cause, depth + 1);
}
