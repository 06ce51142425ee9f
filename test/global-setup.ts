import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** End-to-end tests run the CLI as users do, from the built package: build it once first. */
export default function setup(): void {
  // For quick unit-test runs while editing; end-to-end tests then use whatever dist/ holds.
  if (process.env.BEAST_SKIP_BUILD) return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
}
