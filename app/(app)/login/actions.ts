'use server';
import { AuthError } from 'next-auth';
import { signIn } from '@/lib/auth';
import { sameOriginPath } from '@/lib/requested-path';
import { SIGNIN_REFUSED_MESSAGE } from '@/lib/sign-in-limits';

export interface SignInState {
  error?: string;
  /** The email typed, so a failed sign-in keeps it (never the password). */
  email?: string;
}

export async function signInWithPassword(_prev: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get('email') ?? '').trim();
  const password = String(form.get('password') ?? '');
  if (!email || !password) return { error: 'Enter your email and password', email };
  // Only same-site paths, so the login page cannot be used as an open redirect.
  const next = sameOriginPath(String(form.get('next') ?? '/')) ?? '/';
  try {
    await signIn('credentials', { email, password, redirectTo: next });
  } catch (error) {
    if (error instanceof AuthError) {
      const code = (error as AuthError & { code?: string }).code;
      if (code === 'rate_limited') return { error: SIGNIN_REFUSED_MESSAGE, email };
      return { error: 'Wrong email or password', email };
    }
    throw error; // the redirect after a successful sign-in
  }
  return {};
}
