import { useResource } from '../context';
import { formatMs, formatPercent, formatUsd } from '../format';
import type { ModelStats } from '../types';

/** Every model the router knows, with its acceptance rate, cost and latency so far. */
export function ModelStatsPanel({ refresh }: { refresh: number }) {
  const models = useResource(
    (api) => api.get<{ models: ModelStats[] }>('/api/models').then((r) => r.models),
    [refresh],
  );
  return (
    <section aria-labelledby="models-heading">
      <h2 id="models-heading">Models</h2>
      {models.error && (
        <p role="alert" class="error">
          {models.error}
        </p>
      )}
      {models.data && models.data.length === 0 && <p class="muted">No models configured.</p>}
      {models.data && models.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">State</th>
              <th scope="col" class="num">
                Proposals
              </th>
              <th scope="col" class="num">
                Accepted
              </th>
              <th scope="col" class="num">
                Acceptance
              </th>
              <th scope="col" class="num">
                Cost
              </th>
              <th scope="col" class="num">
                Mean latency
              </th>
            </tr>
          </thead>
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
                <td class="num">{formatUsd(model.stats.costUsd)}</td>
                <td class="num">{formatMs(model.stats.meanLatencyMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
