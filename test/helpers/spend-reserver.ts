/**
 * Child process for test/budget-concurrency.test.ts: waits for "go" on stdin so that all start
 * together, then reserves calls against the shared daily budget until it is refused, settling
 * each at its full reservation, so any call admitted past the limit would show in the total.
 *
 * Usage: node --import tsx test/helpers/spend-reserver.ts <db-file> <worker> <limit-usd>
 * Prints "ready", then one JSON line `{ worker, reserved, refused }`.
 */
import { once } from 'node:events';
import { openStore, reserveSpend, settleSpend } from '../../src/store/index.js';

async function main(file: string, worker: number, limit: number): Promise<void> {
  process.stdout.write('ready\n');
  process.stdin.setEncoding('utf8');
  await once(process.stdin, 'data');
  process.stdin.pause();
  const store = await openStore(file);
  let reserved = 0;
  let refused = 0;
  try {
    for (let i = 0; i < 200 && refused < 3; i++) {
      const maxUsd = 0.01 + ((worker * 7 + i * 13) % 10) / 1000;
      const id = await reserveSpend(
        store,
        {
          at: new Date(),
          model: `custom:w${worker}`,
          deployment: `custom:w${worker}`,
          provider: 'custom:shared',
          maxUsd,
        },
        { perDayUsd: limit },
      );
      if (typeof id === 'string') {
        refused++;
        continue;
      }
      reserved++;
      await settleSpend(store, id, { outcome: 'ok', costUsd: maxUsd, latencyMs: 1 });
    }
  } finally {
    await store.close();
  }
  process.stdout.write(`${JSON.stringify({ worker, reserved, refused })}\n`);
}

const [file, worker, limit] = process.argv.slice(2);
main(file ?? '', Number(worker), Number(limit)).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
