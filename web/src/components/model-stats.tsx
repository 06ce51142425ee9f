import { useResource } from '../context';
import { Alert } from './alert';
import { formatMs, formatPercent, formatUsd } from '../format';
import type { ModelStats } from '../types';
import { TableHead } from './table-head';

/** Every model the router knows, with its acceptance rate, cost and latency so far. */
export function ModelStatsPanel({ refresh }: { refresh: number }) {
  const models = useResource(
    (api) => api.get<{ models: ModelStats[] }>('/api/models').then((r) => r.models),
    [refresh],
  );
  return (
    <section aria-labelledby="models-heading">
      <h2 id="models-heading">Models</h2>
      <Alert message={models.error} />
      {models.data && models.data.length === 0 && <p class="muted">No models configured.</p>}
      {models.data && models.data.length > 0 && (
        <table>
          <TableHead
            columns={[
              'Model',
              'State',
              ['Proposals', 'num'],
              ['Accepted', 'num'],
              ['Acceptance', 'num'],
              ['Cost', 'num'],
              ['Mean latency', 'num'],
            ]}
          />
          <tbody>
            {models.data.map((model) => (
              <tr key={model.id}>
                <td>
                  <code>{model.id}</code>
                </td>
                <td>{model.state}</td>
                <td class="num">{model.stats.proposals ?? model.stats.proposed ?? 0}</td>
                <td class="num">{model.stats.accepted}</td>
                <td class="num">{formatPercent(model.stats.acceptance)}</td>
                <td class="num">
                  {formatUsd(model.stats.costUsd)}
                  {(model.stats.usageAnomalies ?? 0) > 0 && (
                    <span class="muted">
                      {' '}
                      ({model.stats.usageAnomalies} with impossible or missing usage, charged in
                      full)
                    </span>
                  )}
                </td>
                <td class="num">{formatMs(model.stats.meanLatencyMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
