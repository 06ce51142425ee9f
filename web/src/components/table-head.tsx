/** A column heading: its text, and `num` for right-aligned figures. */
export type Column = string | [label: string, align: 'num'];

/** The header row of a data table, one `<th scope="col">` a column. */
export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const [label, align] = typeof column === 'string' ? [column, undefined] : column;
          return (
            <th key={label} scope="col" class={align}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
