// Records a benchmark's output in docs/benchmarks.md, between the markers
// `<!-- NAME:start -->` and `<!-- NAME:end -->`, which the document must already have.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const docs = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

/** Replaces what stands between the section's markers with `\n${body}\n`. */
export async function recordSection(name: string, body: string): Promise<void> {
  const text = await readFile(docs, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`docs/benchmarks.md lacks the ${name} markers`);
  await writeFile(docs, `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`);
  console.log(`recorded in ${path.relative(process.cwd(), docs) || docs}`);
}
