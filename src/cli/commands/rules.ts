import type { Command } from 'commander';
import { allRules } from '../../analysis/index.js';
import { EXIT, type CliIo } from '../io.js';

export function registerRulesCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('rules')
    .description('List the rules with their category, severity, effort and fixability')
    .option('--json', 'print as JSON')
    .action((flags: { json?: boolean }) => {
      const metas = allRules.map((r) => r.meta);
      if (flags.json) {
        io.stdout.write(`${JSON.stringify(metas, null, 2)}\n`);
      } else {
        for (const m of metas) {
          const state = m.optIn ? ' (opt-in)' : '';
          io.stdout.write(
            `${m.id.padEnd(32)} ${m.category.padEnd(15)} ${m.severity.padEnd(8)} ${String(m.effortMinutes).padStart(3)}min ${m.fixability.padEnd(10)} ${m.description}${state}\n`,
          );
        }
      }
      done(EXIT.ok);
    });
}
