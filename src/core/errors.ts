/** Base class of every error BEAST MODE raises on purpose; `code` is stable and machine-readable. */
export class BeastError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The configuration file or a flag or environment value is invalid. */
export class ConfigError extends BeastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('config', message, options);
  }
}

/** The user's input is unusable: a missing path, an unreadable file, a bad git ref. */
export class InputError extends BeastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('input', message, options);
  }
}

/** A model provider failed; `isRetryable` tells the router whether to try again. */
export class ProviderError extends BeastError {
  readonly isRetryable: boolean;
  constructor(message: string, isRetryable: boolean, options?: { cause?: unknown }) {
    super('provider', message, options);
    this.isRetryable = isRetryable;
  }
}

/** A proposed change could not be validated. */
export class ValidationError extends BeastError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('validation', message, options);
  }
}

/** One-line description of any thrown value, for the CLI boundary. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] ?? error.name;
  return String(error);
}
