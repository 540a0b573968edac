import Link from 'next/link';
import { requireAdmin } from '@/lib/session';
import { countUsers } from '@/lib/data/users';
import { countTeams } from '@/lib/data/teams';
import { countProjects } from '@/lib/data/projects';

export const metadata = { title: 'Overview · FlowForge admin' };

export default async function AdminOverview() {
  await requireAdmin();
  const [users, teams, projects] = await Promise.all([countUsers(), countTeams(), countProjects()]);
  const totals = [
    ['Users', users, '/admin/users'],
    ['Teams', teams, '/admin/teams'],
    ['Projects', projects, '/admin/projects'],
  ] as const;
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold">Overview</h1>
      <div className="grid gap-4 sm:grid-cols-3">
        {totals.map(([label, count, href]) => (
          <Link key={label} href={href} className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm hover:border-blue-400">
            <div className="text-sm text-slate-500">{label}</div>
            <div className="mt-1 text-3xl font-semibold" data-testid={`total-${label.toLowerCase()}`}>{count}</div>
          </Link>
        ))}
      </div>
    </>
  );
}
