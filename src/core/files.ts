import { stat, rename, rm, writeFile } from 'node:fs/promises';
import { InputError } from './errors.js';

/**
 * Writes through a temporary file and a rename, so a killed process never leaves half a file;
 * a failure removes the temporary file and is reported as an InputError naming the file (its
 * cause keeps the system's code, so a full disk can be told apart).
 *
 * A target that exists and is not a regular file (`/dev/stdout`, a named pipe, `/dev/full`) is
 * written to directly: a rename would replace the device or pipe with a plain file.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const target = await stat(file).catch(() => undefined);
  if (target !== undefined && !target.isFile() && !target.isDirectory()) {
    await writeFile(file, text).catch((error: unknown) => {
      throw writeError(file, error);
    });
    return;
  }
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw writeError(file, error);
  }
}

function writeError(file: string, error: unknown): InputError {
  const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new InputError(`cannot write ${file}: ${reason}`, { cause: error });
}
