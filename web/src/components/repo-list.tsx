import { formatScore } from '../format';
import type { RepoSummary } from '../types';
import { GradeBadge } from './grade';
import { Sparkline } from './sparkline';
import { TableHead } from './table-head';

/** The registered repositories with grade, score and trend; choosing one opens its detail. */
export function RepoList({
  repos,
  selected,
  onSelect,
}: {
  repos: readonly RepoSummary[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  if (repos.length === 0)
    return <p class="muted">No repositories yet: register one by its path below.</p>;
  return (
    <table class="repo-list">
      <caption>Repositories</caption>
      <TableHead columns={['Repository', 'Grade', 'Trend']} />
      <tbody>
        {repos.map((repo) => {
          const id = String(repo.id);
          const current = id === selected;
          return (
            <tr key={id} class={current ? 'selected' : undefined} data-repo={repo.name}>
              <th scope="row">
                <a
                  href={`#repo=${encodeURIComponent(id)}`}
                  aria-current={current ? 'page' : undefined}
                  title={repo.root}
                  onClick={(event) => {
                    event.preventDefault();
                    onSelect(id);
                  }}
                >
                  {repo.name}
                </a>
              </th>
              <td>
                {repo.latest ? (
                  <GradeBadge grade={repo.latest.grade} score={repo.latest.score} />
                ) : (
                  <span class="muted" title="not scanned yet">
                    {formatScore(null)}
                  </span>
                )}
              </td>
              <td>
                <Sparkline trend={repo.trend} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
