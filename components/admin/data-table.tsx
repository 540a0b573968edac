// The one table of the admin pages; rows are rendered by the page. `inset` is
// for a table inside a Card (no frame of its own, compact header). Either way
// the table scrolls on its own on a narrow screen instead of widening the page.
export type Column = string | { label: string; align?: 'left' | 'right'; title?: string };

const ALIGN = { left: 'text-left', right: 'text-right' } as const;

export function DataTable({
  headers,
  children,
  empty,
  inset = false,
  testId,
}: {
  headers: Column[];
  children: React.ReactNode;
  empty?: string | false;
  inset?: boolean;
  testId?: string;
}) {
  const columns = headers.map((h) => (typeof h === 'string' ? { label: h } : h));
  return (
    <div
      className={inset ? 'overflow-x-auto' : 'overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm'}
    >
      <table
        className={inset ? 'w-full text-left text-sm' : 'min-w-full divide-y divide-slate-200 text-sm'}
        data-testid={testId}
      >
        <thead className={inset ? 'border-b border-slate-200 text-slate-500' : 'bg-slate-50 text-left text-slate-600'}>
          <tr>
            {columns.map((column) => (
              <th
                key={column.label}
                scope="col"
                title={column.title}
                className={`${inset ? 'py-1 pr-4' : 'px-4 py-2'} font-medium ${ALIGN[column.align ?? 'left']}`}
              >
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className={inset ? '' : 'divide-y divide-slate-100'}>
          {children}
          {empty && (
            <tr>
              <td colSpan={columns.length} className="px-4 py-6 text-center text-slate-500">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

export const cell = 'px-4 py-2 align-middle';
/** A cell of an inset table; `numeric` right-aligns with even digits. */
export const insetCell = (numeric = false) => `py-1 pr-4 ${numeric ? 'text-right tabular-nums' : ''}`;
/** A row of an inset table. */
export const insetRow = 'border-b border-slate-100 align-top';
