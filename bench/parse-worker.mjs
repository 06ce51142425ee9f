// Parse-only baseline worker: reads and parses files with oxc-parser and does nothing else.
import { readFileSync } from 'node:fs';
import { parseSync } from 'oxc-parser';

export default function parseFiles(files) {
  let nodes = 0;
  for (const file of files) {
    const result = parseSync(file, readFileSync(file, 'utf8'));
    nodes += result.program.body.length;
  }
  return nodes;
}
