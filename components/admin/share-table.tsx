// Counts by label with each one's share of the total, in an inset DataTable: the
// collector's distributions and the Events section's tallies. Rows carry data-label.
import { DataTable, insetCell, insetRow } from '@/components/admin/data-table';

const number = new Intl.NumberFormat('en');

export function ShareTable({
  rows,
  name,
  heading,
  countLabel,
}: {
  rows: Array<{ label: string; count: number }>;
  name: string;
  heading: string;
  countLabel: string;
}) {
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  return (
    <DataTable
      inset
      testId={`table-${name}`}
      headers={[heading, { label: countLabel, align: 'right' }, { label: 'Share', align: 'right' }]}
    >
      {rows.map((row) => (
        <tr key={row.label} className={insetRow} data-label={row.label}>
          <td className={`${insetCell()} break-all`}>{row.label}</td>
          <td className={insetCell(true)}>{number.format(row.count)}</td>
          <td className={insetCell(true)}>{total ? `${Math.round((row.count / total) * 100)}%` : '–'}</td>
        </tr>
      ))}
    </DataTable>
  );
}
