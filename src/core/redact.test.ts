import { describe, expect, it } from 'vitest';
import { redactSecrets, rememberSecrets } from './redact.js';

const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

/** Each case: text holding a secret, and the text after scrubbing. */
const INVALID: [string, string][] = [
  ['key sk-abcdefghijklmnopqrstuvwxyz0123', 'key [REDACTED:openai-key]'],
  ['sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34', '[REDACTED:openai-key]'],
  ['"sk-ant-api03-AbCdEfGhIjKlMnOpQrSt-uvwx"', '"[REDACTED:anthropic-key]"'],
  ['token=ghp_0123456789abcdefghijABCDEFGHIJ012345', 'token=[REDACTED:github-token]'],
  ['gho_0123456789abcdefghijABCDEFGHIJ012345', '[REDACTED:github-token]'],
  ['github_pat_11ABCDEFG0123456789_abcdefghijklmnop', '[REDACTED:github-token]'],
  ['id AKIAIOSFODNN7EXAMPLE end', 'id [REDACTED:aws-access-key] end'],
  [
    'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    'aws_secret_access_key = [REDACTED:aws-secret-key]',
  ],
  ['xoxb-123456789012-abcdefghijkl', '[REDACTED:slack-token]'],
  ['AIzaSyA-1234567890abcdefghijklmnopqrstu', '[REDACTED:google-api-key]'],
  [
    'Authorization: Bearer abc.DEF-ghi_jkl~mno+pq/rs==',
    'Authorization: Bearer [REDACTED:bearer-token]',
  ],
  [`a\n${PEM}\nb`, 'a\n[REDACTED:private-key]\nb'],
  [
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    '[REDACTED:jwt]',
  ],
  ['sk_live_0123456789abcdefghij', '[REDACTED:stripe-key]'],
  ['hf_abcdefghijklmnopqrstuvwxyzABCDEF', '[REDACTED:huggingface-token]'],
];

/** Text that looks a little like a key but is not one: left alone. */
const VALID = [
  'const task = "ask-for-the-longest-possible-name-here";',
  'sk-short',
  'Bearer token',
  'AKIA is a prefix',
  'the JWT eyJ is a prefix',
  'risk-assessment-of-a-very-long-thing',
];

describe('redactSecrets', () => {
  it.each(INVALID)('scrubs %j', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it.each(VALID)('leaves %j alone', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });

  it('scrubs remembered key values, raw and as written in JSON', () => {
    const value = 'plain"value\\with-quote';
    rememberSecrets([value, 'short', undefined]);
    const json = JSON.stringify({ answer: `echo ${value}`, word: 'short' });
    const scrubbed = redactSecrets(json);
    expect(scrubbed).not.toContain('plain');
    expect(JSON.parse(scrubbed)).toEqual({ answer: 'echo [REDACTED:api-key]', word: 'short' });
    expect(redactSecrets(`raw ${value}`)).toBe('raw [REDACTED:api-key]');
  });

  it('scrubs extra values given with the call', () => {
    expect(redactSecrets('x my-own-key-value y', ['my-own-key-value'])).toBe(
      'x [REDACTED:api-key] y',
    );
  });

  it('keeps scrubbed JSON parseable', () => {
    const json = JSON.stringify({ pem: PEM, list: ['sk-abcdefghijklmnopqrstuvwxyz0123'] });
    expect(JSON.parse(redactSecrets(json))).toEqual({
      pem: '[REDACTED:private-key]',
      list: ['[REDACTED:openai-key]'],
    });
  });
});
