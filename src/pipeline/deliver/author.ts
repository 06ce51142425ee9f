import { ConfigError } from '../../core/index.js';

/** Pure: `"Name <email>"` (config `delivery.author`) as git's identity. */
export function parseAuthor(author: string): { name: string; email: string } {
  const match = /^(.+?) <([^<>\s]+)>$/.exec(author.trim());
  if (!match?.[1] || !match[2]) {
    throw new ConfigError(`delivery.author: expected "Name <email>", got "${author}"`);
  }
  return { name: match[1], email: match[2] };
}
