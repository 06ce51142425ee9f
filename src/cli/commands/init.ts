import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { CONFIG_FILES, InputError, STARTER_CONFIG, existingConfig } from '../../core/index.js';
import { EXIT, requireFolder, type CliIo } from '../io.js';

const STARTER_FILE = CONFIG_FILES[1];

/** `beast init [path]`: writes a commented starter config, never over an existing one. */
export function registerInitCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('init')
    .description(`Write a commented starter ${STARTER_FILE} (never over an existing config)`)
    .argument('[path]', 'repository root', '.')
    .action(async (target: string) => {
      const root = await requireFolder(io, target);
      const existing = await existingConfig(root);
      if (existing !== undefined)
        throw new InputError(
          `${path.join(root, existing)} already holds this repository's config; not overwritten`,
        );
      const file = path.join(root, STARTER_FILE);
      // wx: created here or not at all, even if one appeared since the check, and never through a symlink.
      await writeFile(file, STARTER_CONFIG, { flag: 'wx', mode: 0o644 }).catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST')
          throw new InputError(`${file} already exists; not overwritten`);
        throw new InputError(`cannot write ${file}: ${(error as Error).message}`, { cause: error });
      });
      io.stdout.write(
        `wrote ${file}: extends beast:recommended, an override for test files, the gates; edit it, then run beast scan\n`,
      );
      done(EXIT.ok);
    });
}
