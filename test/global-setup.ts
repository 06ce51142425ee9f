import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * End-to-end tests run the CLI and the dashboard as users do, from the built package: build both
 * once first (the same two steps as `npm run build`).
 */
export default function setup(): void {
  // For quick unit-test runs while editing; end-to-end tests then use whatever dist/ holds.
  if (process.env.BEAST_SKIP_BUILD) return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const run = (...args: string[]): void => {
    execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  };
  run('node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json');
  run('node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn');
}
