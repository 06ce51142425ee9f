/**
 * Child process for test/store-concurrency.test.ts: waits for "go" on stdin so that all writers
 * start together, then opens the store (racing the others to migrate it) and records scans.
 *
 * Usage: node --import tsx test/helpers/store-writer.ts <db-file> <worker> <scans>
 * Prints "ready", then one JSON line `{ worker, ids }`; on failure prints the error to stderr and
 * exits with 1.
 */
import { once } from 'node:events';
import {
  getCachedResults,
  openStore,
  putCachedResults,
  recordScan,
} from '../../src/store/index.js';
import { createScanReport } from './store-report.js';

const WRITER_ROOTS = ['/repos/alpha', '/repos/beta'] as const;

async function main(file: string, worker: number, scans: number): Promise<void> {
  process.stdout.write('ready\n');
  process.stdin.setEncoding('utf8');
  await once(process.stdin, 'data');
  process.stdin.pause();

  const store = await openStore(file);
  try {
    const ids: number[] = [];
    for (let i = 0; i < scans; i++) {
      const report = createScanReport({
        root: WRITER_ROOTS[i % WRITER_ROOTS.length],
        startedAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000 + worker).toISOString(),
        commit: `w${worker}-s${i}`,
        files: 10,
        findingsPerFile: 5,
        hotspots: 3,
      });
      ids.push(await recordScan(store, report));
      // Shared keys make the writers race on the same cache rows too.
      await putCachedResults(store, [
        { key: `shared-${i}`, value: { worker, i } },
        { key: `w${worker}-${i}`, value: i },
      ]);
      await getCachedResults(store, [`shared-${i}`]);
    }
    process.stdout.write(`${JSON.stringify({ worker, ids })}\n`);
  } finally {
    await store.close();
  }
}

const [file, worker, scans] = process.argv.slice(2);
if (file === undefined || worker === undefined || scans === undefined) {
  process.stderr.write('usage: store-writer.ts <db-file> <worker> <scans>\n');
  process.exitCode = 2;
} else {
  main(file, Number(worker), Number(scans)).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    const cause = (error as { cause?: { code?: unknown } }).cause;
    process.stderr.write(
      `${String(code)} ${String(cause?.code)}\n${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
