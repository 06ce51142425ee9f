import { rename, rm, writeFile } from 'node:fs/promises';
import { InputError } from './errors.js';

/**
 * Writes through a temporary file and a rename, so a killed process never leaves half a file;
 * a failure removes the temporary file and is reported as an InputError naming the file.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InputError(`cannot write ${file}: ${reason}`, { cause: error });
  }
}
