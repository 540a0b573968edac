import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/session';
import { sameOriginPath } from '@/lib/requested-path';
import { LoginForm } from './login-form';

export const metadata = { title: 'Sign in · FlowForge' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  // Only a path on this site: the login page must not be an open redirect.
  const next = sameOriginPath((await searchParams).callbackUrl) ?? '/';
  if (await currentUser()) redirect(next);
  return (
    <main className="mx-auto max-w-sm px-4 py-16">
      <h1 className="mb-6 text-2xl font-semibold">Sign in to FlowForge</h1>
      <LoginForm next={next} />
    </main>
  );
}
