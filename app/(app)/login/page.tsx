import { redirect } from 'next/navigation';
import { currentUser } from '@/lib/session';
import { LoginForm } from './login-form';

export const metadata = { title: 'Sign in · FlowForge' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await currentUser()) redirect('/');
  const { callbackUrl } = await searchParams;
  let next = '/';
  try {
    if (callbackUrl) next = new URL(callbackUrl, 'http://x').pathname;
  } catch {}
  return (
    <main className="mx-auto max-w-sm px-4 py-16">
      <h1 className="mb-6 text-2xl font-semibold">Sign in to FlowForge</h1>
      <LoginForm next={next} />
    </main>
  );
}
