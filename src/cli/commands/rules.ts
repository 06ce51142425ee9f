import type { Command } from 'commander';
import { ruleDocs, rulesMarkdown } from '../../analysis/index.js';
import { EXIT, type CliIo } from '../io.js';

/** `name=default` of each option, for the one-line listing. */
function defaults(options: readonly { name: string; default: unknown }[]): string {
  if (options.length === 0) return '';
  return ` [${options.map((o) => `${o.name}=${JSON.stringify(o.default)}`).join(', ')}]`;
}

export function registerRulesCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('rules')
    .description(
      'List the rules with their category, severity, effort, fixability and option defaults',
    )
    .option('--json', 'print as JSON, options included')
    .option('--docs', 'print Markdown documentation of every rule and its options')
    .action((flags: { json?: boolean; docs?: boolean }) => {
      const docs = ruleDocs();
      if (flags.docs) {
        io.stdout.write(rulesMarkdown());
      } else if (flags.json) {
        io.stdout.write(`${JSON.stringify(docs, null, 2)}\n`);
      } else {
        for (const m of docs) {
          const state = m.optIn ? ' (opt-in)' : '';
          io.stdout.write(
            `${m.id.padEnd(36)} ${m.category.padEnd(15)} ${m.severity.padEnd(8)} ${String(m.effortMinutes).padStart(3)}min ${m.fixability.padEnd(10)} ${m.description}${state}${defaults(m.options)}\n`,
          );
        }
      }
      done(EXIT.ok);
    });
}
