import type { Command } from 'commander';
import { resolveConfig } from '../../core/index.js';
import { modelStatuses, type ModelStatus } from '../../pipeline/index.js';
import { defaultStorePath, openStore } from '../../store/index.js';
import { dbOption, EXIT, requireFolder, type CliIo } from '../io.js';

function percent(value: number | undefined): string {
  return value === undefined ? '-' : `${(value * 100).toFixed(0)}%`;
}

/**
 * Dollars as recorded, whatever their size: cents to four places, large sums in full with
 * separators, absurd ones in exponent form, and a tiny or negative figure never rounded to $0.0000.
 */
export function formatUsd(value: number): string {
  if (!Number.isFinite(value)) return `$${value}`;
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs >= 1e12) return `${sign}$${abs.toExponential(2)}`;
  if (abs >= 1000) return `${sign}$${abs.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;
  if (abs > 0 && abs < 0.0001) return `${sign}$${abs.toExponential(1)}`;
  return `${sign}$${abs.toFixed(4)}`;
}

function money(deployments: ModelStatus['deployments'], builtin: boolean): string {
  if (builtin) return '$0';
  const spent = formatUsd(deployments.reduce((sum, d) => sum + d.costUsd, 0));
  const unpriced = deployments.reduce((sum, d) => sum + d.unpriced, 0);
  return unpriced > 0 ? `${spent} + ${unpriced} unpriced` : spent;
}

function latency(ms: number | undefined): string {
  return ms === undefined ? '-' : `${(ms / 1000).toFixed(2)} s`;
}

/** Pure: the `beast models` table. */
export function formatModels(statuses: readonly ModelStatus[]): string[] {
  const header = ['model', 'state', 'proposals', 'accepted', 'spent', 'latency', 'detail'];
  const rows = statuses.map((s) => [
    s.purpose === 'embeddings' ? `${s.id} (embeddings)` : s.id,
    s.state,
    String(s.proposals),
    percent(s.acceptance),
    money(s.deployments, s.builtin),
    latency(s.meanLatencyMs),
    [
      s.detail,
      ...s.deployments.map((d) => {
        const price = d.price
          ? `$${d.price.inputPerMillion}/$${d.price.outputPerMillion} per M tokens`
          : 'no known price: cost unknown';
        const calls = d.calls > 0 ? `, ${d.calls} calls, ${d.failures} failed` : '';
        const anomalies =
          d.usageAnomalies > 0
            ? `, ${d.usageAnomalies} with impossible or missing usage (charged in full)`
            : '';
        return `${d.id}: ${price}${calls}${anomalies}`;
      }),
    ]
      .filter(Boolean)
      .join('; '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export function registerModelsCommand(
  program: Command,
  io: CliIo,
  done: (code: number) => void,
): void {
  program
    .command('models')
    .description(
      'Models beast improve can use: state (ready, missing key, cooling down, over budget) and measured stats',
    )
    .argument('[path]', 'repository whose beast.config.json declares the models', '.')
    .option('--json', 'print as JSON')
    .addOption(dbOption())
    .action(async (target: string, flags: { json?: boolean; db?: string }) => {
      const root = await requireFolder(io, target);
      const { config } = await resolveConfig(root, io.env);
      const store = await openStore(flags.db ?? defaultStorePath(io.env));
      try {
        const statuses = await modelStatuses(config.models, io.env, store);
        io.stdout.write(
          flags.json
            ? `${JSON.stringify(statuses, null, 2)}\n`
            : `${formatModels(statuses).join('\n')}\n`,
        );
        done(EXIT.ok);
      } finally {
        await store.close();
      }
    });
}
