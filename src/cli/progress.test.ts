import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    chunks,
    stream: { isTTY, write: (s: string) => chunks.push(s) } as unknown as NodeJS.WriteStream,
  };
}

describe('progress bar', () => {
  it('draws files and files/s on a terminal and clears the line at the end', () => {
    const { chunks, stream: s } = stream(true);
    const progress = createProgress(s, true);
    progress.update(5, 10);
    progress.update(10, 10);
    progress.finish();
    expect(chunks.some((c) => /\] 10\/10 files {2}\d+ files\/s/.test(c))).toBe(true);
    expect(chunks[chunks.length - 1]).toBe('\r\x1b[2K');
  });

  it('prints nothing when the stream is not a terminal or when disabled', () => {
    for (const [isTTY, enabled] of [
      [false, true],
      [true, false],
    ] as const) {
      const { chunks, stream: s } = stream(isTTY);
      const progress = createProgress(s, enabled);
      progress.update(1, 2);
      progress.finish();
      expect(chunks).toEqual([]);
    }
  });
});
