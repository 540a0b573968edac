// The start of every users/teams/projects page for one record ([id] and [id]/delete):
// the admin role, then the record the URL names or Next's 404 page.
import 'server-only';
import { notFound } from 'next/navigation';
import { requireAdmin } from '@/lib/session';
import type { SessionUser } from '@/lib/data/sessions';

export async function adminRecord<T>(
  params: Promise<{ id: string }>,
  load: (id: string) => Promise<T | null>,
): Promise<{ admin: SessionUser; record: T }> {
  const admin = await requireAdmin();
  const record = await load((await params).id);
  if (!record) notFound();
  return { admin, record };
}
