/** A table's header row: one column header per name (an empty name for a column of buttons). */
export function TableHead({ columns }: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((h, i) => (
          <th scope="col" key={i}>
            {h}
          </th>
        ))}
      </tr>
    </thead>
  );
}
