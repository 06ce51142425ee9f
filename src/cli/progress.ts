import type { WriteStream } from 'node:tty';

/**
 * A one-line progress bar on a terminal. Hand-written rather than a dependency: it is a few lines,
 * and we need exact control over when it draws (only on a TTY, never with --quiet).
 */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

const WIDTH = 24;

export function createProgress(
  stream: NodeJS.WriteStream,
  enabled: boolean,
  label = 'files',
): Progress {
  const tty = stream as WriteStream;
  if (!enabled || !tty.isTTY) return { update() {}, finish() {} };
  const started = Date.now();
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      if (done < total && now - last < 80) return;
      last = now;
      const fraction = total > 0 ? done / total : 1;
      const filled = Math.round(fraction * WIDTH);
      const rate = done / Math.max((now - started) / 1000, 0.001);
      tty.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total} ${label}  ${rate.toFixed(0)} ${label}/s `,
      );
      drawn = true;
    },
    finish() {
      if (drawn) tty.write('\r\x1b[2K');
    },
  };
}
