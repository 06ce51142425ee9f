import { sortedCounts } from '../format';

/** A count map as a table with a bar per row, largest first. */
export function CountTable({
  caption,
  label,
  counts,
}: {
  caption: string;
  label: string;
  counts: Record<string, number>;
}) {
  const rows = sortedCounts(counts);
  const max = Math.max(1, ...rows.map(([, n]) => n));
  return (
    <table class="counts">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{label}</th>
          <th scope="col" class="num" colSpan={2}>
            Findings
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && (
          <tr>
            <td colSpan={3} class="muted">
              none
            </td>
          </tr>
        )}
        {rows.map(([name, n]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td class="bar-cell" aria-hidden="true">
              <span class="bar" style={{ width: `${(n / max) * 100}%` }} />
            </td>
            <td class="num">{n}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
