// A plain table's header row: one column header per label, numbers
// right-aligned. For the compact tables (a rep's other deals, the deals
// behind a "what changed" number) that would otherwise repeat the same
// <th> markup per column.
import type { ReactNode } from "react";

export interface Column {
  label: ReactNode;
  /** Right-align numbers so their digits line up. */
  numeric?: boolean;
}

export function ColumnHeaders({ columns }: { columns: readonly Column[] }) {
  return (
    <thead className="bg-slate-50 text-left text-slate-700">
      <tr>
        {columns.map((column, index) => (
          <th
            // The columns of a table never reorder: the position is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed columns
            key={index}
            scope="col"
            className={`px-3 py-2 font-medium ${column.numeric ? "text-right" : ""}`}
          >
            {column.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
