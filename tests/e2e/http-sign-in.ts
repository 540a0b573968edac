// Signs in without a browser, through next-auth's own endpoints (what the login
// form's server action calls): for timing, address and cookie checks.
export interface HttpSignIn {
  /** The session cookie's Set-Cookie line, when the sign-in succeeded. */
  sessionCookie?: string;
  /** next-auth's error code on failure: "CredentialsSignin", or "rate_limited" when refused. */
  error?: string;
  ms: number;
}

export async function httpSignIn(
  baseUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<HttpSignIn> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/` }),
    redirect: 'manual',
  });
  const ms = performance.now() - started;
  await response.arrayBuffer();
  const location = new URL(response.headers.get('location') ?? '/', baseUrl);
  const sessionCookie = response.headers.getSetCookie().find((line) => /authjs\.session-token=[^;]/.test(line));
  const error = location.searchParams.get('code') ?? location.searchParams.get('error') ?? undefined;
  return { sessionCookie, error: sessionCookie ? undefined : (error ?? 'unknown'), ms };
}
