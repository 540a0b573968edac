// The user page's "Sessions and sign-in" card: how many browsers are signed in
// and what the sign-in limits hold for the account, each with its admin action.
// Plain forms, so they work before hydration and without JavaScript.
import type { AccountSignInLimits } from '@/lib/data/sign-in-limits';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { UtcTime } from '@/components/ui/utc-time';

export function UserAccess({
  userId,
  isSelf,
  liveSessions,
  limits,
  endSessions,
  clearLimits,
}: {
  userId: string;
  isSelf: boolean;
  liveSessions: number;
  limits: AccountSignInLimits;
  endSessions: (form: FormData) => Promise<void>;
  clearLimits: (form: FormData) => Promise<void>;
}) {
  const limited = limits.failures > 0 || limits.addresses.length > 0;
  return (
    <Card title="Sessions and sign-in" className="mt-6">
      <div className="space-y-6 text-sm">
        <form action={endSessions} className="flex flex-wrap items-center justify-between gap-3">
          <input type="hidden" name="id" value={userId} />
          <p data-testid="live-sessions">
            {liveSessions === 1 ? '1 signed-in session' : `${liveSessions} signed-in sessions`}
            {isSelf && ' (yours included: ending them signs you out here too)'}
          </p>
          <Button type="submit" variant="secondary" disabled={liveSessions === 0}>
            End all sessions
          </Button>
        </form>
        <form action={clearLimits} className="space-y-3">
          <input type="hidden" name="id" value={userId} />
          <div className="flex flex-wrap items-center justify-between gap-3">
            <p data-testid="sign-in-limits">
              {limited
                ? `${limits.failures} failed sign-ins in the last 15 minutes` +
                  (limits.delayMs > 0 ? `; each attempt now waits ${limits.delayMs / 1000} s` : '')
                : 'No failed sign-ins in the last 15 minutes.'}
            </p>
            <Button type="submit" variant="secondary" disabled={!limited}>
              Clear sign-in limits
            </Button>
          </div>
          {limits.addresses.length > 0 && (
            <ul className="list-inside list-disc text-slate-700" aria-label="Addresses with failed sign-ins">
              {limits.addresses.map((row) => (
                <li key={row.address}>
                  {row.address}: {row.failures} failed
                  {row.refused ? ', refused' : ''} until <UtcTime value={row.resetAt} /> UTC
                </li>
              ))}
            </ul>
          )}
        </form>
      </div>
    </Card>
  );
}
