import { parseSandboxEnvironment, type SandboxSettings } from './config.js';
import { ConfigError } from './errors.js';
import { holdSecrets } from './secrets.js';

let settings: SandboxSettings = { mode: 'auto', network: false };

/**
 * Once, where BEAST MODE starts (the CLI): reads the sandbox settings from the environment it was
 * started with and moves that environment's credentials into memory (see `holdSecrets`). A bad
 * setting is a ConfigError.
 */
export function setupProcessIsolation(env: Record<string, string | undefined>): void {
  const { sandbox, errors } = parseSandboxEnvironment(env);
  if (errors.length > 0) throw new ConfigError(`environment ${errors[0]}`);
  configureSandbox(sandbox);
  holdSecrets(env);
}

/** Sets how the repository's commands are isolated in this process from now on. */
export function configureSandbox(next: SandboxSettings): void {
  settings = { ...next };
}

/** How the repository's commands are isolated in this process (default: `auto`, no network). */
export function sandboxSettings(): SandboxSettings {
  return settings;
}
