/** How a line of a unified diff is shown: added, removed, a hunk header, a file header or context. */
export function diffLineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---') || line.startsWith('diff ')) return 'meta';
  if (line.startsWith('index ') || line.startsWith('\\')) return 'meta';
  if (line.startsWith('@@')) return 'hunk';
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return 'ctx';
}

/** A unified diff with added and removed lines marked (by sign and colour alike). */
export function DiffView({ diff }: { diff: string }) {
  const lines = diff.endsWith('\n') ? diff.slice(0, -1).split('\n') : diff.split('\n');
  return (
    <pre class="diff" tabIndex={0} aria-label="Diff">
      {lines.map((line, i) => {
        const kind = diffLineClass(line);
        return (
          <span key={i} class={`diff-line diff-${kind}`}>
            {kind === 'add' && <span class="sr-only">added: </span>}
            {kind === 'del' && <span class="sr-only">removed: </span>}
            {line || ' '}
            {'\n'}
          </span>
        );
      })}
    </pre>
  );
}
