/**
 * A plain table whose columns sort on click (numbers descending first, text ascending first).
 */
import { type ReactNode, useState } from 'react';

export interface Column<T> {
  readonly key: string;
  readonly title: string;
  readonly value: (row: T) => number | string;
  readonly render?: (row: T) => ReactNode;
  readonly numeric?: boolean;
}

export function SortableTable<T>(props: {
  readonly rows: readonly T[];
  readonly columns: readonly Column<T>[];
  readonly initialSort: string;
  readonly rowKey: (row: T, index: number) => string;
  readonly testId: string;
  readonly empty: string;
  readonly onRowClick?: (row: T) => void;
}) {
  const [sort, setSort] = useState<{ key: string; desc: boolean }>({ key: props.initialSort, desc: true });
  const column = props.columns.find((c) => c.key === sort.key) ?? props.columns[0];
  const rows = [...props.rows];
  if (column) {
    rows.sort((a, b) => {
      const va = column.value(a);
      const vb = column.value(b);
      const cmp = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
      return sort.desc ? -cmp : cmp;
    });
  }
  return (
    <table className="data-table" data-testid={props.testId}>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th
              key={c.key}
              className={c.numeric ? 'num' : ''}
              aria-sort={c.key === sort.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}
            >
              <button
                type="button"
                onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : Boolean(c.numeric) }))}
              >
                {c.title}
                {c.key === sort.key ? (sort.desc ? ' ↓' : ' ↑') : ''}
              </button>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr
            key={props.rowKey(row, i)}
            onClick={props.onRowClick ? () => props.onRowClick?.(row) : undefined}
            className={props.onRowClick ? 'clickable' : ''}
          >
            {props.columns.map((c) => (
              <td key={c.key} className={c.numeric ? 'num' : ''}>
                {c.render ? c.render(row) : c.value(row)}
              </td>
            ))}
          </tr>
        ))}
        {rows.length === 0 && (
          <tr>
            <td colSpan={props.columns.length} className="muted empty-row">
              {props.empty}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
