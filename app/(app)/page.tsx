import { redirect } from 'next/navigation';
import { requireUser } from '@/lib/session';
import { isAdmin } from '@/lib/permissions';
import { listUserTeams } from '@/lib/data/teams';
import { SignOutButton } from '@/components/sign-out-button';
import { Card } from '@/components/ui/card';

export default async function HomePage() {
  const user = await requireUser();
  if (isAdmin(user)) redirect('/admin');
  const memberships = await listUserTeams(user.id);
  return (
    <main className="mx-auto max-w-2xl px-4 py-12">
      <Card title={`Hello, ${user.name}`}>
        <p className="text-slate-700">You are signed in as {user.email} (member).</p>
        <h3 className="mt-4 font-medium">Your teams</h3>
        {memberships.length === 0 ? (
          <p className="text-slate-600">You are not in any team yet. Ask an administrator to add you.</p>
        ) : (
          <ul className="list-inside list-disc">
            {memberships.map((m) => (
              <li key={m.teamId}>
                {m.team.name} ({m.role})
              </li>
            ))}
          </ul>
        )}
        <div className="mt-6">
          <SignOutButton />
        </div>
      </Card>
    </main>
  );
}
