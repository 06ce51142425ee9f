import { afterEach, describe, expect, it } from 'vitest';
import { parseSandboxEnvironment } from './config.js';
import { ConfigError } from './errors.js';
import { configureSandbox, sandboxSettings, setupProcessIsolation } from './isolation.js';
import { readSecret } from './secrets.js';

afterEach(() => configureSandbox({ mode: 'auto', network: false }));

describe('parseSandboxEnvironment', () => {
  it.each([
    [{}, { mode: 'auto', network: false }],
    [{ BEAST_SANDBOX: 'bwrap' }, { mode: 'bwrap', network: false }],
    [
      { BEAST_SANDBOX: 'off', BEAST_SANDBOX_NETWORK: '1' },
      { mode: 'off', network: true },
    ],
  ])('%j gives %j', (env, sandbox) => {
    expect(parseSandboxEnvironment(env)).toEqual({ sandbox, errors: [] });
  });

  it('names what is wrong', () => {
    expect(
      parseSandboxEnvironment({ BEAST_SANDBOX: 'docker', BEAST_SANDBOX_NETWORK: 'yes' }).errors,
    ).toEqual([
      'BEAST_SANDBOX: expected one of auto, bwrap, off, got "docker"',
      'BEAST_SANDBOX_NETWORK: expected 0 or 1, got "yes"',
    ]);
  });
});

describe('setupProcessIsolation', () => {
  it('sets the sandbox from the environment and holds its credentials', () => {
    const env: Record<string, string | undefined> = {
      BEAST_SANDBOX: 'bwrap',
      ANTHROPIC_API_KEY: 'sk-ant',
    };
    setupProcessIsolation(env);
    expect(sandboxSettings()).toEqual({ mode: 'bwrap', network: false });
    expect(env.ANTHROPIC_API_KEY).toBeUndefined();
    expect(readSecret(env, 'ANTHROPIC_API_KEY')).toBe('sk-ant');
  });

  it('rejects a bad setting with a ConfigError and changes nothing', () => {
    const env = { BEAST_SANDBOX: 'maybe', GH_TOKEN: 't' };
    expect(() => setupProcessIsolation(env)).toThrow(ConfigError);
    expect(sandboxSettings()).toEqual({ mode: 'auto', network: false });
    expect(env.GH_TOKEN).toBe('t');
  });
});
