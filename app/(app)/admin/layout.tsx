import Link from 'next/link';
import { requireAdmin } from '@/lib/session';
import { SignOutButton } from '@/components/sign-out-button';
import { FLOWFORGE_VERSION } from '@/lib/version';
import { getConfig } from '@/lib/config';

const NAV = [
  ['/admin', 'Overview'],
  ['/admin/users', 'Users'],
  ['/admin/teams', 'Teams'],
  ['/admin/projects', 'Projects'],
  ['/admin/settings', 'Settings'],
  ['/admin/audit', 'Audit log'],
  ['/admin/traffic', 'Traffic'],
] as const;

// One role check for every page below /admin. Server actions check again themselves.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const admin = await requireAdmin();
  const nav = getConfig().collector.enabled ? [...NAV, ['/admin/collector', 'Collector'] as const] : NAV;
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl items-center justify-between px-4 py-3">
          <nav className="flex flex-wrap gap-4 text-sm font-medium" aria-label="Admin">
            <span className="font-semibold text-blue-800">FlowForge</span>
            {nav.map(([href, label]) => (
              <Link key={href} href={href} className="text-slate-700 hover:text-blue-700">
                {label}
              </Link>
            ))}
          </nav>
          <div className="flex items-center gap-3 text-sm text-slate-600">
            <span>{admin.email}</span>
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
      <footer className="mx-auto max-w-6xl px-4 pb-8 text-xs text-slate-400">FlowForge {FLOWFORGE_VERSION}</footer>
    </div>
  );
}
