import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact.js';
import { holdSecrets, isSecretName, readSecret, withSecrets } from './secrets.js';

describe('isSecretName', () => {
  const secret = [
    'OPENAI_API_KEY',
    'ANTHROPIC_API_KEY',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'GITHUB_TOKEN',
    'NODE_AUTH_TOKEN',
    'DB_PASSWORD',
    'SENTRY_DSN',
    'PRIVATE_KEY_PEM',
    'my_llm_credential',
    'BEAST_API_TOKEN',
    'OPENAIKEY',
  ];
  const plain = ['PATH', 'HOME', 'PWD', 'SSH_AUTH_SOCK', 'GIT_AUTHOR_NAME', 'KEYBOARD', 'LANG'];
  it.each(secret)('%s is a credential', (name) => expect(isSecretName(name)).toBe(true));
  it.each(plain)('%s is not', (name) => expect(isSecretName(name)).toBe(false));
});

describe('holdSecrets', () => {
  it('remembers the values it holds, so stored text is scrubbed of them', () => {
    const value = 'an-internal-credential-9f8e7d';
    holdSecrets({ INTERNAL_SERVICE_TOKEN: value });
    expect(redactSecrets(`echoed ${value} back`)).toBe('echoed [REDACTED:api-key] back');
  });

  it('moves credentials out of the environment, where readSecret still finds them', () => {
    const env: Record<string, string | undefined> = {
      PATH: '/usr/bin',
      OPENAI_API_KEY: 'sk-1',
      CUSTOM_ENDPOINT_CRED: 'c-1',
      PLAIN: 'p',
    };
    expect(holdSecrets(env, ['CUSTOM_ENDPOINT_CRED'])).toEqual([
      'OPENAI_API_KEY',
      'CUSTOM_ENDPOINT_CRED',
    ]);
    expect(env).toEqual({ PATH: '/usr/bin', PLAIN: 'p' });
    expect({ ...env }).not.toHaveProperty('OPENAI_API_KEY');
    expect(readSecret(env, 'OPENAI_API_KEY')).toBe('sk-1');
    expect(readSecret(env, 'CUSTOM_ENDPOINT_CRED')).toBe('c-1');
    expect(readSecret(env, 'PLAIN')).toBe('p');
    expect(withSecrets(env)).toEqual({
      PATH: '/usr/bin',
      OPENAI_API_KEY: 'sk-1',
      CUSTOM_ENDPOINT_CRED: 'c-1',
      PLAIN: 'p',
    });
  });

  it('keeps each environment its own: another object does not see what one held', () => {
    const held: Record<string, string | undefined> = { GH_TOKEN: 'a' };
    holdSecrets(held);
    expect(readSecret({}, 'GH_TOKEN')).toBeUndefined();
    // A value set again after holding wins over the held one.
    held.GH_TOKEN = 'b';
    expect(readSecret(held, 'GH_TOKEN')).toBe('b');
  });
});
