// Empties dist/ before `npm pack` and `npm publish` build it again, so a file left there by an
// earlier build of a since renamed or deleted source never ships in the tarball.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
